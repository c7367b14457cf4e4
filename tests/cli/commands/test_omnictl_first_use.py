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


TEMPLATE = """\
kind: Cluster
name: lab
kubernetes:
  version: v1.32.3
talos:
  version: v1.9.5
---
kind: ControlPlane
machines:
  - 0f5b2f5e-1c5d-4b8e-9d52-6b1d8f3c9a11
"""


def test_template_validate_with_yes_installs_omnictl_as_documented(
    project: Path, github: Any, omnictl_build: Any, asset: str, xdg_bin: Path, cli: Any
) -> None:
    """The report: `cluster template validate --yes` never installed omnictl (docs/omnictl.md)."""
    (project / "clusters").mkdir()
    (project / "clusters" / "lab.yaml").write_text(TEMPLATE)
    github.add_release("v1.10.4", {asset: omnictl_build("v1.10.4")})
    github.set_latest("v1.10.4")
    plain = cli("--project-dir", project, "cluster", "template", "validate", "clusters/lab.yaml")
    assert github.requests == [] and not (xdg_bin / "omnictl").exists()
    assert "pass --yes to install it now" in plain.out
    result = cli(
        "--project-dir", project, "--json", "cluster", "template", "validate",
        "clusters/lab.yaml", "--yes",
    )  # fmt: skip
    assert (xdg_bin / "omnictl").is_file()
    data = result.json()
    assert data["omnictl"]["available"] is True, data
    assert data["omnictl"]["path"] == str(xdg_bin / "omnictl")
    assert data["omnictl"]["ok"] is not None  # omnictl ran and gave its verdict
