"""Commands that need omnictl install it on first use: asked on a terminal, `--yes` otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adapters.omnictl.conftest import (  # omnictl fixtures: loopback only, no omnictl on PATH
    asset,
    bare_path,
    github,
    loopback_only,
    xdg_bin,
)
from omni_scale.state import read_state

__all__ = ["asset", "bare_path", "github", "loopback_only", "xdg_bin"]


def test_cluster_status_without_yes_installs_nothing_and_says_how(
    project: Path, github: Any, cli: Any
) -> None:
    result = cli("--project-dir", project, "cluster", "status", "--json")
    assert result.code == 3
    assert "--yes" in result.json()["error"]["hint"]
    assert github.requests == []


def test_cluster_status_with_yes_installs_then_runs_it(
    project: Path, github: Any, omnictl_build: Any, asset: str, xdg_bin: Path, cli: Any
) -> None:
    (project / ".claude").mkdir()
    (project / ".claude" / "omni-scale.local.md").write_text("---\nprovider_id: proxmox\n---\n")
    github.add_release("v1.10.4", {asset: omnictl_build("v1.10.4")})
    github.set_latest("v1.10.4")
    result = cli("--project-dir", project, "cluster", "status", "--yes", "--json")
    assert (xdg_bin / "omnictl").is_file()
    assert read_state(project / ".claude" / "omni-scale.local.md")["omnictl_path"] == str(
        xdg_bin / "omnictl"
    )
    # the installed stand-in knows no clusters: an answer from omnictl, not an install error
    assert result.code in (0, 1), result.err
    assert "clusters" in result.json()
