"""services.plan: the plan inputs refuse a contradictory or missing source before any work."""

from __future__ import annotations

from pathlib import Path

import pytest

from omni_scale.core.machineclass.model import MachineClass
from omni_scale.errors import InputError
from omni_scale.project import Project
from omni_scale.services.plan import plan_inputs


def _never() -> list[MachineClass]:
    raise AssertionError("no class is loaded for a refused source")


def test_snapshot_and_live_exclude_each_other(tmp_path: Path) -> None:
    snapshot = tmp_path / "snap.json"
    snapshot.write_text("{}\n")
    with pytest.raises(InputError, match="--snapshot and --live exclude each other"):
        plan_inputs(Project(tmp_path), _never, snapshot_file=snapshot, live=True)


def test_a_missing_snapshot_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        plan_inputs(Project(tmp_path), _never, snapshot_file=tmp_path / "gone.json", live=False)
    assert info.value.message == f"snapshot file {tmp_path / 'gone.json'} does not exist"
    assert info.value.hint == "take one with `omni-scale proxmox snapshot -o FILE`"


def test_plan_classes_on_the_projects_snapshot(tmp_path: Path) -> None:
    import shutil

    from conftest import EXAMPLE
    from omni_scale.services.plan import plan_classes

    root = tmp_path / "homelab"
    shutil.copytree(EXAMPLE, root)
    planned = plan_classes(
        Project(root), ["homelab-worker"], False, snapshot_file=None, live=False, replicas=2,
        warn=print,
    )  # fmt: skip
    assert planned.ok and [p.id for p in planned.plans] == ["homelab-worker"]
    data = planned.to_json()
    assert data["provider"]["id"] == "proxmox" and data["provider"]["release"]
    assert [c["id"] for c in data["classes"]] == ["homelab-worker"]
    assert len(data["classes"][0]["replicas"]) == 2
    assert [s["mode"] for s in data["sources"]] == ["snapshot"]


def test_plan_classes_without_an_inventory_says_how_to_get_one(project: Path) -> None:
    from fakes.fixtures_pve import write_class
    from omni_scale.services.plan import plan_classes

    write_class(project, "workers", 'cores: 2\nmemory: 4096\nstorage_selector: name == "x"\n')
    with pytest.raises(InputError, match="nothing to plan from: proxmox: ") as info:
        plan_classes(
            Project(project), [], False, snapshot_file=None, live=False, replicas=1, warn=print
        )
    assert "omni-scale proxmox snapshot" in (info.value.hint or "")
