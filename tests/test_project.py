"""Project resolution: --project-dir > $CLAUDE_PROJECT_DIR > git root of cwd > cwd."""

from __future__ import annotations

from pathlib import Path

import pytest

from omni_scale.errors import InputError
from omni_scale.project import Project, find_git_root, resolve_project_dir


@pytest.fixture
def layout(tmp_path: Path) -> dict[str, Path]:
    repo = tmp_path / "repo"
    sub = repo / "clusters" / "deep"
    sub.mkdir(parents=True)
    (repo / ".git").mkdir()
    option = tmp_path / "explicit"
    option.mkdir()
    claude = tmp_path / "claude"
    claude.mkdir()
    plain = tmp_path / "plain"
    plain.mkdir()
    return {"repo": repo, "sub": sub, "option": option, "claude": claude, "plain": plain}


def test_option_wins_over_everything(layout: dict[str, Path]) -> None:
    env = {"CLAUDE_PROJECT_DIR": str(layout["claude"])}
    got = resolve_project_dir(str(layout["option"]), env=env, cwd=layout["sub"])
    assert got == layout["option"].resolve()


def test_claude_project_dir_beats_git_root(layout: dict[str, Path]) -> None:
    env = {"CLAUDE_PROJECT_DIR": str(layout["claude"])}
    assert resolve_project_dir(None, env=env, cwd=layout["sub"]) == layout["claude"].resolve()


def test_git_root_of_cwd(layout: dict[str, Path]) -> None:
    assert resolve_project_dir(None, env={}, cwd=layout["sub"]) == layout["repo"].resolve()


def test_git_worktree_file_counts_as_root(tmp_path: Path) -> None:
    (tmp_path / "wt").mkdir()
    (tmp_path / "wt" / ".git").write_text("gitdir: /elsewhere\n")
    assert find_git_root(tmp_path / "wt") == tmp_path / "wt"


def test_cwd_when_not_in_git(layout: dict[str, Path]) -> None:
    if find_git_root(layout["plain"]) is not None:
        pytest.skip("the temp directory is inside a git repository")
    assert resolve_project_dir(None, env={}, cwd=layout["plain"]) == layout["plain"].resolve()


def test_empty_claude_project_dir_is_ignored(layout: dict[str, Path]) -> None:
    got = resolve_project_dir(None, env={"CLAUDE_PROJECT_DIR": ""}, cwd=layout["sub"])
    assert got == layout["repo"].resolve()


def test_relative_option_is_relative_to_cwd(layout: dict[str, Path]) -> None:
    got = resolve_project_dir("..", env={}, cwd=layout["sub"])
    assert got == layout["sub"].parent.resolve()


def test_missing_directory_is_input_error_naming_the_source(layout: dict[str, Path]) -> None:
    with pytest.raises(InputError, match="--project-dir"):
        resolve_project_dir(str(layout["plain"] / "nope"), env={}, cwd=layout["plain"])
    env = {"CLAUDE_PROJECT_DIR": str(layout["plain"] / "gone")}
    with pytest.raises(InputError, match="CLAUDE_PROJECT_DIR"):
        resolve_project_dir(None, env=env, cwd=layout["plain"])


def test_option_pointing_at_a_file_is_rejected(layout: dict[str, Path]) -> None:
    afile = layout["plain"] / "f.yaml"
    afile.write_text("")
    with pytest.raises(InputError, match="not a directory"):
        resolve_project_dir(str(afile), env={}, cwd=layout["plain"])


def test_empty_option_is_rejected(layout: dict[str, Path]) -> None:
    with pytest.raises(InputError, match="empty"):
        resolve_project_dir("", env={}, cwd=layout["plain"])


def test_project_paths_and_relative(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert project.state_file == tmp_path / ".claude" / "omni-scale.local.md"
    assert project.compose_file == tmp_path / "docker" / "compose.yaml"
    assert project.provider_config == tmp_path / "docker" / "config.yaml"
    assert project.env_file == tmp_path / ".env"
    assert project.machine_classes_dir == tmp_path / "machine-classes"
    assert project.clusters_dir == tmp_path / "clusters"
    assert project.snapshot_file == tmp_path / "proxmox-snapshot.json"
    assert project.relative(project.compose_file) == "docker/compose.yaml"
    assert project.relative(Path("/elsewhere/x.yaml")) == "/elsewhere/x.yaml"
