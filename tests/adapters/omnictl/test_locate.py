from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from omni_scale.adapters.omnictl.locate import find_omnictl, locate_omnictl, state_path_problem
from omni_scale.errors import EnvironmentProblem


def make_exe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\necho 'omnictl version v1.10.4 (API Version: 2)'\n")
    path.chmod(0o755)
    return path


def test_state_path_wins_over_path_and_xdg(
    tmp_path: Path, fake_omnictl: Any, xdg_bin: Path
) -> None:
    make_exe(xdg_bin / "omnictl")
    recorded = make_exe(tmp_path / "pinned" / "omnictl")
    located = locate_omnictl(str(recorded))
    assert (located.path, located.source) == (recorded, "state")


def test_relative_state_path_is_project_relative(tmp_path: Path) -> None:
    project = tmp_path / "infra"
    project.mkdir()
    make_exe(tmp_path / "tools" / "omnictl")
    located = locate_omnictl("../tools/omnictl", project)
    assert (located.path, located.source) == (project / "../tools/omnictl", "state")


def test_state_path_inside_the_project_is_never_run(tmp_path: Path) -> None:
    """The state file is repository content: a program of the clone is not run from it."""
    make_exe(tmp_path / "tools" / "omnictl")
    assert find_omnictl("tools/omnictl", tmp_path) is None
    problem = state_path_problem("tools/omnictl", tmp_path)
    assert problem is not None and "inside the project" in problem


def test_path_before_xdg(fake_omnictl: Any, xdg_bin: Path) -> None:
    make_exe(xdg_bin / "omnictl")
    located = locate_omnictl(None)
    assert (located.path, located.source) == (fake_omnictl.path, "PATH")


def test_xdg_dir_last(xdg_bin: Path) -> None:
    exe = make_exe(xdg_bin / "omnictl")
    located = locate_omnictl("/nonexistent/omnictl")
    assert (located.path, located.source) == (exe, "xdg")


def test_xdg_dir_defaults_to_home_local_bin(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    exe = make_exe(tmp_path / ".local" / "bin" / "omnictl")
    assert locate_omnictl().path == exe


def test_nothing_found_is_none() -> None:
    assert find_omnictl(None) is None


def test_not_found_names_the_install_command() -> None:
    with pytest.raises(EnvironmentProblem) as caught:
        locate_omnictl(None)
    assert "omni-scale omnictl install" in caught.value.one_line()


def test_broken_state_path_is_explained(tmp_path: Path) -> None:
    plain = tmp_path / "omnictl"
    plain.write_text("not executable")
    assert "not an executable" in (state_path_problem(str(plain)) or "")
    assert "does not exist" in (state_path_problem(str(tmp_path / "nope")) or "")
    assert state_path_problem(None) is None
