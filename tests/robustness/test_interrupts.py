"""Ctrl-C (SIGINT to the child process) during a download, a network read or a child program.

Every interrupted command exits 130 with one line; the file it was about to replace stays whole
(and executable, for omnictl), and nothing half-written or temporary is left beside it.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_pve import write_config
from fakes.pve_standin import Reply, StandIn, cluster_routes
from omni_scale.adapters.omnictl.platform import detect_platform

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

REL = "/siderolabs/omni/releases/download"


def _spawn(*args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "omni_scale", *[str(a) for a in args]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=dict(os.environ),
    )


def _interrupt(proc: subprocess.Popen[str]) -> tuple[str, str]:
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith("omni-scale: error: interrupted"), err
    return out, err


def _wait_until(condition: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def test_ctrl_c_during_a_download_keeps_the_installed_omnictl(
    project: Path, release_server: Any, omnictl_build: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    asset = detect_platform().asset
    monkeypatch.setenv("OMNI_SCALE_OMNICTL_BASE_URL", release_server.base_url)
    target = tmp_path / "bin"
    target.mkdir()
    old = omnictl_build("v1.9.2")
    (target / "omnictl").write_bytes(old)
    (target / "omnictl").chmod(0o755)
    release_server.add_release(
        "v1.10.4", {asset: omnictl_build("v1.10.4") + b"#" * 400_000}, chunk_delay=0.02
    )
    proc = _spawn(
        "--project-dir", project, "omnictl", "install", "--version", "v1.10.4",
        "--dir", target, "--force", "--yes",
    )  # fmt: skip
    assert release_server.wait_for(f"{REL}/v1.10.4/{asset}")
    time.sleep(0.2)
    _interrupt(proc)
    installed = target / "omnictl"
    assert installed.read_bytes() == old
    assert stat.S_IMODE(installed.stat().st_mode) & 0o111
    # (the install lock, an empty file filelock keeps, is the one other entry allowed)
    assert [n for n in sorted(os.listdir(target)) if not n.endswith(".lock")] == ["omnictl"]


def test_ctrl_c_while_proxmox_answers_slowly_keeps_the_snapshot(
    homelab: Path,
    standin: StandIn,
    snapshot_tree: Callable[[Path], Callable[[], list[str]]],
) -> None:
    standin.routes.update(cluster_routes(2, 2))
    standin.routes["GET /nodes"] = Reply.data([], delay=30)
    write_config(homelab, standin.url)
    changed = snapshot_tree(homelab)
    proc = _spawn("--project-dir", homelab, "proxmox", "snapshot", "--force")
    _wait_until(lambda: standin.hits.get("GET /nodes", 0) > 0)
    _interrupt(proc)
    assert changed() == []


def test_ctrl_c_while_omnictl_hangs(
    homelab: Path,
    fake_omnictl: Any,
    snapshot_tree: Callable[[Path], Callable[[], list[str]]],
) -> None:
    fake_omnictl.respond(["apply"], hang=True)
    changed = snapshot_tree(homelab)
    started = time.monotonic()
    proc = _spawn("--project-dir", homelab, "machineclass", "apply", "homelab-worker")
    _wait_until(lambda: any(c["argv"][:1] == ["apply"] for c in fake_omnictl.calls()))
    _interrupt(proc)
    assert time.monotonic() - started < 20
    assert [c for c in changed() if not c.endswith(".lock")] == []


def test_ctrl_c_while_docker_hangs(
    provider_project: Callable[..., Path], fake_docker: Any, fake_omnictl: Any
) -> None:
    root = provider_project()
    fake_docker.update(hang=["up"])
    proc = _spawn("--project-dir", root, "provider", "up", "--no-wait")
    _wait_until(lambda: bool(fake_docker.compose_calls("up")))
    _interrupt(proc)
