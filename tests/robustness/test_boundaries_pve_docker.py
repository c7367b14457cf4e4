"""Proxmox and docker at the boundary: unreachable, refusing, garbage, hanging.

Proxmox answers come from the loopback stand-in (tests/fakes/pve_standin.py), docker from the
fake docker on PATH. Each command must end with exit 3 (or 1 where it reports "unhealthy") and
one clear line naming what failed, never a traceback.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_pve import write_config
from fakes.pve_standin import Reply, StandIn, cluster_routes

PVE_COMMANDS = {
    "check": ("proxmox", "check"),
    "snapshot": ("proxmox", "snapshot", "-o", "-"),
    "plan": ("machineclass", "plan", "--live"),
}

PVE_SCENARIOS: dict[str, Callable[[StandIn], None]] = {
    # 401 with a reason phrase and no body at all, as pveproxy answers a bad token
    "refused": lambda s: s.routes.update(
        {k: Reply(401, "authentication failure", b"") for k in list(s.routes)}
    ),
    # 595: pveproxy cannot reach the node, empty body
    "node-down": lambda s: s.routes.update(
        {k: Reply(595, "Connection refused", b"") for k in list(s.routes)}
    ),
    "garbage": lambda s: s.routes.update(
        {k: Reply(200, None, b"<html>\x00 not json {{{") for k in list(s.routes)}
    ),
    "wrong-shape": lambda s: s.routes.update(
        {k: Reply.data({"unexpected": [1, 2, 3]}) for k in list(s.routes)}
    ),
    "server-error": lambda s: s.routes.update(
        {k: Reply(500, "Internal Server Error", b'{"data":null}') for k in list(s.routes)}
    ),
}


# PVE answers its ordinary API errors with 500 and a message: a failed check (1), not an
# environment problem.
PVE_EXPECTED = {
    ("server-error", "check"): 1,
    ("server-error", "snapshot"): 1,
    ("server-error", "plan"): 1,
}


@pytest.fixture
def pve_homelab(homelab: Path, standin: StandIn) -> Path:
    standin.routes.update(cluster_routes(2, 2))
    write_config(homelab, standin.url)
    (homelab / "proxmox-snapshot.json").unlink()
    return homelab


def _one_clear_line(result: Any) -> str:
    output = result.err + result.out
    # (the in-process stand-in's server threads may print their own BrokenPipe tracebacks)
    assert "omni_scale/" not in output and "internal error" not in output, output
    lines = [line for line in result.err.strip().splitlines() if line.startswith("omni-scale:")]
    assert lines, output
    return lines[-1]


@pytest.mark.parametrize("name", sorted(PVE_COMMANDS))
@pytest.mark.parametrize("scenario", sorted(PVE_SCENARIOS))
def test_proxmox_boundary(
    name: str, scenario: str, pve_homelab: Path, standin: StandIn, cli: Any
) -> None:
    PVE_SCENARIOS[scenario](standin)
    started = time.monotonic()
    result = cli("--project-dir", pve_homelab, *PVE_COMMANDS[name])
    assert time.monotonic() - started < 20
    line = _one_clear_line(result)
    assert result.code == PVE_EXPECTED.get((scenario, name), 3), line
    assert "Proxmox" in line, line


@pytest.mark.parametrize("name", sorted(PVE_COMMANDS))
def test_proxmox_unreachable(name: str, homelab: Path, cli: Any) -> None:
    """The homelab fixture's config points at 127.0.0.1:9: connection refused at once."""
    (homelab / "proxmox-snapshot.json").unlink()
    result = cli("--project-dir", homelab, *PVE_COMMANDS[name])
    line = _one_clear_line(result)
    assert result.code == 3 and "127.0.0.1:9" in line, line


@pytest.mark.timeout(60)
def test_proxmox_hanging_ends_within_the_read_timeout(
    pve_homelab: Path, standin: StandIn, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PVE that accepts the connection and never answers: exit 3 after the read timeout
    (15 s by default; 1.5 s here through OMNI_SCALE_PROXMOX_TIMEOUT)."""
    monkeypatch.setenv("OMNI_SCALE_PROXMOX_TIMEOUT", "1.5")
    standin.routes["GET /nodes"] = Reply.data([], delay=40)
    started = time.monotonic()
    result = cli("--project-dir", pve_homelab, "proxmox", "snapshot", "-o", "-")
    elapsed = time.monotonic() - started
    line = _one_clear_line(result)
    assert result.code == 3, line
    assert "timed out" in line, line
    # a read timeout, no retry of it past the limit (the request is a GET: connect errors only)
    assert 1.5 <= elapsed < 1.5 + 10, elapsed


def test_proxmox_read_timeout_defaults_to_15_s(monkeypatch: pytest.MonkeyPatch) -> None:
    from omni_scale.adapters.proxmox.client import default_timeout

    monkeypatch.delenv("OMNI_SCALE_PROXMOX_TIMEOUT", raising=False)
    assert default_timeout().read == 15.0 and default_timeout().connect == 5.0
    for raw, read in (("2.5", 2.5), ("0", 0.1), ("1e9", 600.0), ("nan", 15.0), ("x", 15.0)):
        monkeypatch.setenv("OMNI_SCALE_PROXMOX_TIMEOUT", raw)
        assert default_timeout().read == read, raw


DOCKER_SCENARIOS: dict[str, dict[str, Any]] = {
    "engine-down": {"engine": "down"},
    "no-compose-plugin": {"compose_plugin": False},
}


@pytest.mark.parametrize("scenario", [*sorted(DOCKER_SCENARIOS), "missing"])
@pytest.mark.parametrize(
    "args",
    [("provider", "down"), ("provider", "logs"), ("provider", "up", "--no-wait")],
    ids=["down", "logs", "up"],
)
def test_docker_boundary(
    args: tuple[str, ...],
    scenario: str,
    provider_project: Callable[..., Path],
    fake_docker: Any,
    fake_omnictl: Any,
    cli: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = provider_project()
    if scenario == "missing":
        empty = tmp_path / "no-docker"
        empty.mkdir()
        monkeypatch.setenv("PATH", os.pathsep.join([str(fake_omnictl.bin_dir), str(empty)]))
    else:
        fake_docker.update(**DOCKER_SCENARIOS[scenario])
    started = time.monotonic()
    result = cli("--project-dir", root, *args)
    assert time.monotonic() - started < 20
    line = _one_clear_line(result)
    assert result.code == 3, line
    assert "docker" in line.lower(), line


@pytest.mark.parametrize(
    "failure",
    [
        {"ps": {"stdout": "}{ \x00 garbage\n", "exit": 0}},
        {"ps": {"stderr": "Error response from daemon: boom\n", "exit": 1}},
    ],
    ids=["garbage-ps", "ps-fails"],
)
def test_docker_garbage_or_failing_ps_is_a_failed_check(
    failure: dict[str, Any],
    provider_project: Callable[..., Path],
    fake_docker: Any,
    fake_omnictl: Any,
    cli: Any,
) -> None:
    root = provider_project()
    fake_docker.update(fail=failure)
    result = cli("--project-dir", root, "--json", "provider", "status", "--check", "container")
    assert "Traceback" not in result.err and "internal error" not in result.out + result.err
    assert result.code in (1, 3), result.err
    [check] = result.json()["checks"]
    assert check["status"] in ("fail", "unknown") and check["summary"], check


def test_docker_hanging_status_returns_within_its_timeout(
    provider_project: Callable[..., Path], fake_docker: Any, fake_omnictl: Any, cli: Any
) -> None:
    root = provider_project()
    fake_docker.update(hang=["ps", "logs", "inspect", "info", "version"])
    started = time.monotonic()
    result = cli("--project-dir", root, "--json", "provider", "status", "--timeout", "1")
    assert time.monotonic() - started < 10
    assert result.code in (1, 3), result.err
    checks = {c["check"]: c["status"] for c in result.json()["checks"]}
    assert checks["container"] == "unknown", checks
