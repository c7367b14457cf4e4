"""`cluster list` as a service: templates joined with Omni's clusters (fake omnictl)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE
from fakes.fixtures_omnictl import FakeOmnictl, cluster_status, resource
from omni_scale.project import Project
from omni_scale.services.cluster_list import list_clusters


@pytest.fixture
def homelab(tmp_path: Path) -> Path:
    root = tmp_path / "homelab"
    shutil.copytree(EXAMPLE, root)
    (root / "clusters" / "notes.yaml").write_text("just: notes\n")
    return root


def test_joins_templates_and_omni(homelab: Path, fake_omnictl: FakeOmnictl) -> None:
    fake_omnictl.add(
        resource("Clusters.omni.sidero.dev", "talos"), cluster_status("talos", total=1, healthy=1)
    )
    warnings: list[str] = []
    listing = list_clusters(Project(homelab), offline=False, note=print, warn=warnings.append)
    assert warnings == [] and listing.omni_asked and listing.omni_error is None
    rows = {r.name: r for r in listing.rows}
    assert (rows["homelab"].template, rows["homelab"].in_omni) == ("clusters/homelab.yaml", False)
    assert (rows["talos"].template, rows["talos"].in_omni, rows["talos"].healthy) == (
        None,
        True,
        True,
    )
    assert listing.to_json()["unreadable_templates"] == [
        {"path": "clusters/notes.yaml", "error": "no kind: Cluster document"}
    ]


def test_offline_or_without_omnictl_lists_the_templates(homelab: Path) -> None:
    warnings: list[str] = []
    offline = list_clusters(Project(homelab), offline=True, note=print, warn=warnings.append)
    assert not offline.omni_asked and warnings == []
    assert [r.in_omni for r in offline.rows] == [None]
    missing = list_clusters(Project(homelab), offline=False, note=print, warn=warnings.append)
    assert missing.omni_error == "omnictl is not installed (omni-scale omnictl install)"
    assert warnings == ["Omni not asked: omnictl is not installed (omni-scale omnictl install)"]
    assert missing.to_json()["omni"] == {"asked": False, "error": missing.omni_error}
