"""Property: writes never follow a symlink out of the project; secrets land only in regular,
untracked, git-ignored files; secret folders are 0700 under any umask; no outside mode changes.

All writes go through `fs.atomic.atomic_write`, which asks `fs.guard.checked_target` where the
write may land. These tests use real git repositories (git init) and real symlinks.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from robustness.conftest import diff_trees, tree_snapshot

pytestmark = pytest.mark.skipif(
    subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
    reason="git is not installed",
)

SECRET = "5e1f0a7c-9d7b-4d7e-8c41-7f0b9a2f1c33"
KEY = "a2V5LWZvci10ZXN0cy1vbmx5"  # base64 of "key-for-tests-only"


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, env=env
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "infra"
    root.mkdir()
    git(root, "init", "-q")
    (root / "README.md").write_text("# infra\n")
    git(root, "add", "README.md")
    git(root, "commit", "-qm", "init")
    return root


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "victim").write_text("outside data\n")
    (folder / "victim").chmod(0o644)
    return folder


@pytest.fixture
def setup_args(tmp_path: Path) -> Iterator[list[str]]:
    secret = tmp_path / "token-secret"
    secret.write_text(SECRET + "\n")
    key = tmp_path / "key"
    key.write_text(KEY + "\n")
    yield [
        "provider", "setup", "--offline", "--omni-endpoint", "https://omni.example.com",
        "--proxmox-url", "https://pve1.example.com:8006/api2/json", "--token-id", "omni@pve!p",
        "--token-secret-file", str(secret), "--key-file", str(key),
    ]  # fmt: skip


def _one_line_refusal(result: Any, *words: str) -> None:
    assert result.code == 2, (result.code, result.err)
    lines = [line for line in result.err.splitlines() if line.startswith("omni-scale: error:")]
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    for word in words:
        assert word in lines[0], lines[0]


def test_committed_env_symlink_to_a_tracked_file(repo: Path, cli: Any, setup_args: list[str]):
    (repo / ".env").symlink_to("README.md")
    git(repo, "add", ".env")
    git(repo, "commit", "-qm", "env link")
    before = (repo / "README.md").read_text()
    result = cli("--project-dir", repo, *setup_args)
    _one_line_refusal(result, "symlink", ".env")
    assert (repo / "README.md").read_text() == before
    assert git(repo, "status", "--porcelain", "README.md") == ""
    for path in repo.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            assert KEY not in path.read_text(errors="replace"), path


def test_committed_env_regular_file(repo: Path, cli: Any, setup_args: list[str]) -> None:
    (repo / ".env").write_text("OTHER=1\n")
    git(repo, "add", ".env")
    git(repo, "commit", "-qm", "env")
    result = cli("--project-dir", repo, *setup_args)
    _one_line_refusal(result, "git tracks it", "git rm --cached")
    assert (repo / ".env").read_text() == "OTHER=1\n"
    # refused before anything was written: no half-done setup
    assert not (repo / "docker").exists()


def test_env_deliberately_unignored(repo: Path, cli: Any, setup_args: list[str]) -> None:
    (repo / ".gitignore").write_text("!.env\n")
    result = cli("--project-dir", repo, *setup_args)
    _one_line_refusal(result, "does not ignore")
    assert not (repo / ".env").exists()


def test_setup_in_a_fresh_repo_writes_secrets_ignored_and_private(
    repo: Path, cli: Any, setup_args: list[str]
) -> None:
    old = os.umask(0)
    try:
        result = cli("--project-dir", repo, *setup_args)
    finally:
        os.umask(old)
    assert result.code == 0, result.err
    for name in (".env", "docker/config.yaml"):
        assert stat.S_IMODE((repo / name).stat().st_mode) == 0o600
        assert subprocess.run(["git", "-C", str(repo), "check-ignore", "-q", name]).returncode == 0
    for folder in ("docker", ".claude"):
        mode = stat.S_IMODE((repo / folder).stat().st_mode)
        assert mode == 0o700, f"{folder} is {oct(mode)} under umask 000"
    # nothing group/world-writable was created anywhere
    for path in repo.rglob("*"):
        if ".git" not in path.parts and not path.is_symlink():
            assert not path.stat().st_mode & 0o022, path


@pytest.mark.parametrize(
    "link", ["docker/config.yaml", ".env", "docker/compose.yaml", ".claude/omni-scale.local.md"]
)
def test_file_symlinked_outside(
    repo: Path, outside: Path, cli: Any, setup_args: list[str], link: str
) -> None:
    path = repo / link
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(outside / "victim")
    before = tree_snapshot(outside)
    result = cli("--project-dir", repo, *setup_args)
    _one_line_refusal(result, link.split("/")[-1])
    assert diff_trees(before, tree_snapshot(outside)) == []


def test_folder_symlinked_outside(
    repo: Path, outside: Path, cli: Any, setup_args: list[str]
) -> None:
    (repo / "docker").symlink_to(outside)
    before = tree_snapshot(outside)
    result = cli("--project-dir", repo, *setup_args)
    _one_line_refusal(result, "outside the project")
    assert diff_trees(before, tree_snapshot(outside)) == []


@pytest.mark.parametrize(
    "args",
    [
        ("state", "set", "default_cores=4"),
        ("machineclass", "create", "fresh", "--storage-selector", 'name == "x"'),
        ("proxmox", "snapshot", "-o", "proxmox-snapshot.json"),
    ],
)
def test_other_writers_refuse_links_outside(
    homelab: Path, outside: Path, cli: Any, args: tuple[str, ...]
) -> None:
    targets = {
        "state": ".claude/omni-scale.local.md",
        "machineclass": "machine-classes/fresh.yaml",
        "proxmox": "proxmox-snapshot.json",
    }
    path = homelab / targets[args[0]]
    path.unlink(missing_ok=True)
    path.symlink_to(outside / "victim")
    before = tree_snapshot(outside)
    result = cli("--project-dir", homelab, *args)
    assert result.code in (2, 3), result.err
    assert "Traceback" not in result.err
    assert diff_trees(before, tree_snapshot(outside)) == []


def test_link_inside_the_project_is_still_followed(homelab: Path, cli: Any) -> None:
    """Not a false error: a state file linked to another file of the project is updated."""
    state = homelab / ".claude" / "omni-scale.local.md"
    real = homelab / ".claude" / "real-state.local.md"
    state.rename(real)
    state.symlink_to(real.name)
    result = cli("--project-dir", homelab, "state", "set", "default_cores=6")
    assert result.code == 0, result.err
    assert state.is_symlink()
    assert "default_cores: 6" in real.read_text()


def test_secret_link_inside_the_project_is_refused_too(
    repo: Path, cli: Any, setup_args: list[str]
) -> None:
    (repo / "secrets").mkdir()
    (repo / "secrets" / "env").write_text("")
    (repo / ".gitignore").write_text("secrets/\n")
    (repo / ".env").symlink_to("secrets/env")
    result = cli("--project-dir", repo, *setup_args)
    _one_line_refusal(result, "symlink")
