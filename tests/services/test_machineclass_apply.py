"""machineclass apply's selection: ids or file names, in the order given, .bak copies skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.mc_helpers import machine_class
from omni_scale.errors import InputError
from omni_scale.project import Project
from omni_scale.services.machineclass_apply import select_classes


def _project(tmp_path: Path) -> Project:
    folder = tmp_path / "machine-classes"
    folder.mkdir()
    (folder / "worker.yaml").write_text(machine_class("cores: 2", cid="worker"))
    (folder / "cp.yaml").write_text(machine_class("cores: 2", cid="control-plane"))
    (folder / "worker.bak.yaml").write_text(machine_class("cores: 2", cid="old-worker"))
    return Project(tmp_path)


def test_ids_and_file_names_in_the_order_given(tmp_path: Path) -> None:
    project = _project(tmp_path)
    chosen = select_classes(project, ["cp", "worker"], False)
    assert list(chosen) == ["control-plane", "worker"]
    assert chosen["control-plane"].name == "cp.yaml"


def test_all_skips_backups(tmp_path: Path) -> None:
    assert set(select_classes(_project(tmp_path), [], True)) == {"control-plane", "worker"}


def test_unknown_name_lists_the_known_ids(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        select_classes(_project(tmp_path), ["nope"], False)
    assert info.value.hint == "known classes: control-plane, worker"
