"""The .gitignore helper adds the secret paths once, and respects what the user wrote."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from omni_scale.fs.gitignore import HEADER, SECRET_ENTRIES, ensure_gitignore


def test_creates_gitignore_with_every_secret_path(tmp_path: Path) -> None:
    added = ensure_gitignore(tmp_path)
    assert added == list(SECRET_ENTRIES)
    lines = (tmp_path / ".gitignore").read_text().splitlines()
    assert lines[0] == HEADER
    for entry in (".env", "docker/config.yaml", ".claude/*.local.md"):
        assert entry in lines


def test_idempotent(tmp_path: Path) -> None:
    ensure_gitignore(tmp_path)
    first = (tmp_path / ".gitignore").read_text()
    assert ensure_gitignore(tmp_path) == []
    assert ensure_gitignore(tmp_path) == []
    assert (tmp_path / ".gitignore").read_text() == first


def test_appends_only_missing_entries_and_keeps_user_lines(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("node_modules/\n/.env")  # no final newline
    added = ensure_gitignore(tmp_path)
    assert ".env" not in added
    text = (tmp_path / ".gitignore").read_text()
    assert text.startswith("node_modules/\n/.env\n")
    assert text.count(".env") == 1
    assert text.count(HEADER) == 1
    ensure_gitignore(tmp_path, (".env", "extra.txt"))
    text = (tmp_path / ".gitignore").read_text()
    assert text.count(HEADER) == 1
    assert text.endswith("extra.txt\n")


def test_respects_a_deliberate_negation(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("!docker/config.yaml\n")
    added = ensure_gitignore(tmp_path)
    assert "docker/config.yaml" not in added


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_git_really_ignores_the_secrets(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    ensure_gitignore(tmp_path)
    paths = [".env", "docker/config.yaml", ".claude/omni-scale.local.md", "docker/config.yaml.bak"]
    result = subprocess.run(
        ["git", "-C", str(tmp_path), "check-ignore", "--no-index", *paths],
        capture_output=True,
        text=True,
    )
    assert sorted(result.stdout.split()) == sorted(paths)
    kept = subprocess.run(
        ["git", "-C", str(tmp_path), "check-ignore", "--no-index", "docker/compose.yaml"],
        capture_output=True,
    )
    assert kept.returncode == 1
