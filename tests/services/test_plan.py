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
