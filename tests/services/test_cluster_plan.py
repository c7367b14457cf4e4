"""services.cluster_plan: the refusals that used to sit in the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLE
from omni_scale.errors import InputError
from omni_scale.project import Project
from omni_scale.services.cluster_plan import cluster_plan


@pytest.fixture
def homelab(tmp_path: Path) -> Path:
    root = tmp_path / "homelab"
    shutil.copytree(EXAMPLE, root)
    return root


def test_plans_every_template_from_the_snapshot(homelab: Path) -> None:
    clusters, sources = cluster_plan(Project(homelab), warn=print)
    assert [c.name for c in clusters] == ["homelab"] and clusters[0].ok
    assert [s.mode for s in sources] == ["snapshot"]


def test_a_named_file_without_a_cluster_is_bad_input(homelab: Path) -> None:
    notes = homelab / "clusters" / "notes.yaml"
    notes.write_text("just: notes\n")
    with pytest.raises(InputError, match="no cluster templates to plan"):
        cluster_plan(Project(homelab), [str(notes)], warn=print)


def test_without_any_inventory_it_says_how_to_get_one(homelab: Path) -> None:
    (homelab / "proxmox-snapshot.json").unlink()
    (homelab / "docker" / "config.yaml").unlink(missing_ok=True)
    with pytest.raises(InputError, match="nothing to plan from: proxmox: ") as info:
        cluster_plan(Project(homelab), warn=print)
    assert "omni-scale proxmox snapshot" in (info.value.hint or "")
