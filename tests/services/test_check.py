"""services.check: the check's summary is kept as last_check, and a state file that cannot be
written is a warning, never a failed check."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import EXAMPLE
from omni_scale.project import Project
from omni_scale.services.check import run_check
from omni_scale.services.lint import default_paths
from omni_scale.state import read_state


def _homelab(tmp_path: Path) -> Project:
    root = tmp_path / "homelab"
    shutil.copytree(EXAMPLE, root)
    return Project(root)


def test_record_keeps_the_summary_as_last_check(tmp_path: Path) -> None:
    project = _homelab(tmp_path)
    before = project.state_file.read_bytes()
    warnings: list[str] = []
    paths = default_paths(project)
    quiet = run_check(project, paths, snapshot_file=None, live=False, warn=warnings.append)
    assert project.state_file.read_bytes() == before  # not asked to record: nothing written
    result = run_check(
        project, paths, snapshot_file=None, live=False, warn=warnings.append, record=True
    )
    assert quiet.summary() == result.summary() and warnings == []
    kept = read_state(project.state_file)["last_check"]
    assert kept == {**result.summary(), "checked_at": kept["checked_at"]}
    assert kept["ok"] is True and kept["mode"] == "snapshot" and kept["classes_planned"] == 3
    assert "problems" not in kept


def test_a_failing_class_is_named_in_the_summary(tmp_path: Path) -> None:
    project = _homelab(tmp_path)
    worker = project.machine_classes_dir / "homelab-worker.yaml"
    worker.write_text(worker.read_text().replace("memory: ", "memory: 9999999", 1))
    result = run_check(
        project, default_paths(project), snapshot_file=None, live=False, warn=print, record=True
    )
    summary = read_state(project.state_file)["last_check"]
    assert result.ok is False and summary["ok"] is False
    assert "class homelab-worker would fail" in summary["problems"]


def test_an_unwritable_state_file_is_a_warning(tmp_path: Path) -> None:
    project = _homelab(tmp_path)
    shutil.rmtree(project.state_file.parent)
    project.state_file.parent.write_text("not a folder\n")  # .claude is a file
    warnings: list[str] = []
    result = run_check(
        project,
        default_paths(project),
        snapshot_file=None,
        live=False,
        warn=warnings.append,
        record=True,
    )
    assert result.ok is True
    [warning] = warnings
    assert warning.startswith("state file not updated: ")
