"""Live checks against Proxmox for setup and status (async httpx client, with a deadline)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from omni_scale.errors import EnvironmentProblem

if TYPE_CHECKING:
    from omni_scale.core.provider.config import ProxmoxConfig


async def _probe(config: ProxmoxConfig) -> dict[str, Any]:
    from omni_scale.adapters.proxmox.client import ProxmoxClient

    async with ProxmoxClient(config) as pve:
        version = await pve.get("/version")
        nodes = await pve.get("/nodes")
    info = version if isinstance(version, dict) else {}
    return {
        "version": info.get("version"),
        "release": info.get("release"),
        "nodes": sorted(
            str(n.get("node")) for n in (nodes or []) if isinstance(n, dict) and n.get("node")
        ),
    }


def check_proxmox(config: ProxmoxConfig, *, timeout: float = 25.0) -> dict[str, Any]:
    """GET /version and /nodes with the provider's credentials; raises on any failure."""

    async def bounded() -> dict[str, Any]:
        return await asyncio.wait_for(_probe(config), timeout)

    try:
        return asyncio.run(bounded())
    except TimeoutError:
        raise EnvironmentProblem(
            f"Proxmox at {config.url} did not answer within {timeout:g}s",
            hint="check the URL and the network, or skip the check with --offline",
        ) from None
