"""Live checks against Proxmox for setup and status (async httpx client, with a deadline)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from omni_scale.adapters.net import run_within
from omni_scale.adapters.proxmox.client import ProxmoxClient

if TYPE_CHECKING:
    from omni_scale.core.provider.config import ProxmoxConfig


async def _probe(config: ProxmoxConfig) -> dict[str, Any]:
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

    return run_within(
        _probe(config),
        timeout,
        late=f"Proxmox at {config.url} did not answer",
        hint="check the URL and the network, or skip the check with --offline",
    )
