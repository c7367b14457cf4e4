"""omnictl tests: only loopback may be contacted, and no real omnictl on PATH gets in the way."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from omni_scale.adapters.omnictl.platform import detect_platform

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Fail any in-process connection to a non-loopback address (records the attempts)."""
    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in LOOPBACK:
            attempts.append(address)
            raise OSError(f"test tried to contact {address!r}: only loopback is allowed")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield attempts
    assert not attempts, f"non-loopback connections attempted: {attempts}"


@pytest.fixture(autouse=True)
def bare_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH without any omnictl: an empty bin dir plus the system dirs /bin/sh needs."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    dirs = [str(empty)] + [d for d in ("/usr/bin", "/bin") if Path(d).is_dir()]
    dirs = [d for d in dirs if not (Path(d) / "omnictl").exists()]
    monkeypatch.setenv("PATH", os.pathsep.join(dirs))
    return empty


@pytest.fixture
def asset() -> str:
    return detect_platform().asset


@pytest.fixture
def xdg_bin() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "bin"


@pytest.fixture
def github(release_server: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The plain-HTTP loopback release server as the release base URL."""
    monkeypatch.setenv("OMNI_SCALE_OMNICTL_BASE_URL", release_server.base_url)
    return release_server


def sysversion(version: str = "1.10.4", api: int = 2) -> dict[str, Any]:
    return {
        "metadata": {
            "type": "SysVersions.system.sidero.dev",
            "namespace": "ephemeral",
            "id": "current",
        },
        "spec": {"backendversion": version, "backendapiversion": api, "instancename": "t"},
    }


def leftovers(directory: Path) -> list[str]:
    """Files in `directory` other than the lock file."""
    if not directory.exists():
        return []
    return sorted(p.name for p in directory.iterdir() if not p.name.endswith(".lock"))
