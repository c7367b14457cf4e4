"""omnictl, docker and Proxmox each missing, returning garbage, returning errors or hanging.

Every command that talks to one of them must end (within its timeout) with the contract's exit
code, 3 for an environment problem or 1 where it reports "unhealthy", and one clear line,
never a traceback or an internal error.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_omnictl import install_fake_omnictl

CT = "clusters/homelab.yaml"
OMNICTL_COMMANDS = {
    "apply": ("machineclass", "apply", "homelab-worker"),
    "sync": ("cluster", "template", "sync", CT),
    "diff": ("cluster", "template", "diff", CT),
    "status": ("cluster", "status", "homelab"),
    "create": (
        "cluster", "create", "fresh", "--cp-class", "homelab-control-plane",
        "--worker-class", "homelab-worker",
    ),
}  # fmt: skip

PASS_THROUGH = {"apply", "sync", "diff"}
EXPECTED = {"missing": 3, "refused": 3, "auth": 3, "garbage": 3, "error-exit": 1}
GARBAGE = "\x1b[31m}{ not json \x00\xff garbage\n" * 3


def _no_omnictl_path(tmp_path: Path) -> str:
    """A PATH with the system tools but no omnictl anywhere (the test machine has none)."""
    empty = tmp_path / "empty-bin"
    empty.mkdir(exist_ok=True)
    return os.pathsep.join([str(empty), "/usr/bin", "/bin"])


def _check_one_line(result: Any) -> str:
    output = result.err + result.out
    assert "Traceback" not in output and "internal error" not in output, output
    lines = [line for line in result.err.strip().splitlines() if line.startswith("omni-scale:")]
    assert lines, output
    return lines[-1]


@pytest.mark.parametrize("name", sorted(OMNICTL_COMMANDS))
@pytest.mark.parametrize("scenario", ["missing", "refused", "auth", "garbage", "error-exit"])
def test_omnictl_boundary(
    name: str,
    scenario: str,
    homelab: Path,
    tmp_path: Path,
    cli: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if scenario == "missing":
        monkeypatch.setenv("PATH", _no_omnictl_path(tmp_path))
    else:
        fake = install_fake_omnictl(tmp_path / "omnictl")
        monkeypatch.setenv("PATH", f"{fake.bin_dir}{os.pathsep}{os.environ['PATH']}")
        if scenario == "refused":
            fake.set_backend(unreachable="refused")
        elif scenario == "auth":
            fake.set_backend(auth="invalid-signature")
        elif scenario == "garbage":
            for sub in ("get", "apply", "cluster", "talos", "version"):
                fake.respond([sub], stdout=GARBAGE, stderr=GARBAGE)
        elif scenario == "error-exit":
            for sub in ("get", "apply", "cluster"):
                fake.respond([sub], stderr="Error: something broke inside omnictl\n", exit=1)
    started = time.monotonic()
    result = cli("--project-dir", homelab, *OMNICTL_COMMANDS[name])
    assert time.monotonic() - started < 30
    if scenario == "garbage" and name in PASS_THROUGH:
        # omnictl said yes (exit 0): its output is shown as it is, whatever it looks like
        assert result.code == 0, result.err
        return
    line = _check_one_line(result)
    assert result.code == EXPECTED[scenario], line
    assert "omnictl" in line or "Omni" in line, line
