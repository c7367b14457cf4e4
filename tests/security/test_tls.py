"""TLS is verified by default; secrets never travel in clear text.

Covered elsewhere, not repeated here: the Proxmox client refuses an unknown CA and honours
SSL_CERT_FILE (tests/adapters/proxmox/test_client.py), `proxmox check` without the CA exits 3
(tests/security/test_secret_argv.py); omnictl downloads refuse plain HTTP to non-loopback hosts,
redirects to HTTP, an untrusted CA and checksum mismatches (tests/adapters/omnictl/test_install.py,
tests/adapters/omnictl/test_release.py, tests/cli/commands/test_omnictl.py).

Here: a plain-http Proxmox URL to a non-loopback host is refused before any connection, so the
API token never crosses the network in clear text (pveproxy serves only HTTPS anyway).
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_pve import write_config
from omni_scale.adapters.proxmox.client import ProxmoxClient
from omni_scale.errors import EXIT_USAGE, InputError
from omni_scale.services.project_files import load_provider_config


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every outgoing connection attempt is recorded and refused (nothing leaves the host)."""
    attempts: list[Any] = []
    real = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(address)
            raise OSError("test: no connections outside the host")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return attempts


def test_plain_http_to_a_remote_host_is_refused(
    project: Path, no_connections: list[Any], cli: Any
) -> None:
    write_config(project, "http://192.0.2.10:8006/api2/json")
    for args in (("proxmox", "check"), ("proxmox", "snapshot", "-o", "-")):
        result = cli("--project-dir", project, *args)
        assert result.code == EXIT_USAGE, result.err
        assert "clear text" in result.err and "https://192.0.2.10:8006/api2/json" in result.err
        errors = [line for line in result.err.splitlines() if "error" in line]
        assert len(errors) == 1 and errors[0].startswith("omni-scale: error: refusing plain-HTTP")
    assert no_connections == []


def test_the_client_refuses_before_connecting(project: Path, no_connections: list[Any]) -> None:
    config = load_provider_config(write_config(project, "http://192.0.2.11:8006/api2/json"))

    async def go() -> None:
        async with ProxmoxClient(config) as pve:
            await pve.get("/version")

    with pytest.raises(InputError) as caught:
        asyncio.run(go())
    assert "clear text" in caught.value.message
    assert no_connections == []


def test_plain_http_to_loopback_stays_allowed(project: Path) -> None:
    """Loopback stand-ins (tests, benches, an SSH tunnel) may use plain HTTP."""
    config = load_provider_config(write_config(project, "http://127.0.0.1:9/api2/json"))

    async def go() -> None:
        async with ProxmoxClient(config):
            pass

    asyncio.run(go())
