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


# Existing .gitignore files (root, and docker/.gitignore where given) that already cover some
# entries; git itself decides which, and setup must add exactly the others.
COVERING = [
    ({".gitignore": ".env*\n"}),
    ({".gitignore": "docker/\n"}),
    ({".gitignore": "/docker/config*.yaml\n.claude/\n"}),
    ({".gitignore": "**/*.bak\n*.local.md\n"}),
    ({".gitignore": "*\n!*.yaml\n"}),
    ({".gitignore": "*.yaml\n!docker/compose.yaml\n"}),
    ({".gitignore": "node_modules/\n", "docker/.gitignore": "config*.yaml\n"}),
    ({".gitignore": ".env\n!.env\n"}),
]


def _git_ignores(root: Path, path: str) -> bool:
    done = subprocess.run(
        ["git", "-C", str(root), "check-ignore", "-q", "--no-index", path],
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(root), "GIT_CONFIG_NOSYSTEM": "1"},
    )
    assert done.returncode in (0, 1), done.stderr
    return done.returncode == 0


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("files", COVERING, ids=[str(i) for i in range(len(COVERING))])
def test_adds_no_line_git_already_covers(tmp_path: Path, files: dict[str, str]) -> None:
    """The report: .gitignore got lines that git already covered."""
    from omni_scale.fs.gitignore import SAMPLES, is_ignored

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    samples = [s for entry in SECRET_ENTRIES for s in SAMPLES[entry]]
    for sample in samples:  # the matcher answers as git does
        assert is_ignored(tmp_path, sample) == _git_ignores(tmp_path, sample), sample
    already = {e for e in SECRET_ENTRIES if all(_git_ignores(tmp_path, s) for s in SAMPLES[e])}
    negated = {line[1:] for line in files[".gitignore"].splitlines() if line.startswith("!")}
    added = ensure_gitignore(tmp_path)
    assert set(added) == set(SECRET_ENTRIES) - already - negated
    for entry in set(SECRET_ENTRIES) - negated:  # and afterwards git ignores every secret
        assert all(_git_ignores(tmp_path, s) for s in SAMPLES[entry]), entry
