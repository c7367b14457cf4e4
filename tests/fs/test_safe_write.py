"""Nothing a user wrote is replaced without --force, and then a .bak copy is kept."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from omni_scale.errors import EXIT_USAGE, FileConflict
from omni_scale.fs.atomic import SECRET_MODE
from omni_scale.fs.safe_write import (
    WriteStatus,
    is_pristine,
    stamp,
    unstamp,
    write_managed,
    write_new,
)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_new_creates(tmp_path: Path) -> None:
    target = tmp_path / "machine-classes" / "worker.yaml"
    outcome = write_new(target, "a: 1\n")
    assert outcome.status is WriteStatus.CREATED
    assert target.read_text() == "a: 1\n"
    assert not target.with_name("worker.yaml.bak").exists()


def test_write_new_refuses_existing_without_force(tmp_path: Path) -> None:
    target = tmp_path / "worker.yaml"
    target.write_text("mine\n")
    with pytest.raises(FileConflict) as info:
        write_new(target, "theirs\n")
    assert info.value.exit_code == EXIT_USAGE
    assert "--force" in (info.value.hint or "")
    assert target.read_text() == "mine\n"
    assert not (tmp_path / "worker.yaml.bak").exists()


def test_write_new_with_force_keeps_bak(tmp_path: Path) -> None:
    target = tmp_path / "worker.yaml"
    target.write_text("mine\n")
    outcome = write_new(target, "theirs\n", force=True)
    assert outcome.status is WriteStatus.UPDATED
    assert outcome.backup == tmp_path / "worker.yaml.bak"
    assert target.read_text() == "theirs\n"
    assert (tmp_path / "worker.yaml.bak").read_text() == "mine\n"


def test_write_new_same_content_is_unchanged_and_fixes_secret_mode(tmp_path: Path) -> None:
    target = tmp_path / ".env"
    target.write_text("K=V\n")
    target.chmod(0o644)
    outcome = write_new(target, "K=V\n", mode=SECRET_MODE)
    assert outcome.status is WriteStatus.UNCHANGED
    assert mode_of(target) == 0o600


def test_secret_file_and_its_bak_are_0600(tmp_path: Path) -> None:
    target = tmp_path / "config.yaml"
    write_new(target, "tokenSecret: a\n", mode=SECRET_MODE)
    assert mode_of(target) == 0o600
    write_new(target, "tokenSecret: b\n", mode=SECRET_MODE, force=True)
    assert mode_of(target) == 0o600
    backup = tmp_path / "config.yaml.bak"
    assert backup.read_text() == "tokenSecret: a\n"
    assert mode_of(backup) == 0o600


def test_bak_of_a_loose_secret_is_still_0600(tmp_path: Path) -> None:
    """A secret the user left world-readable: the copy we make is not world-readable."""
    target = tmp_path / "config.yaml"
    target.write_text("tokenSecret: a\n")
    target.chmod(0o644)
    write_new(target, "tokenSecret: b\n", mode=SECRET_MODE, force=True)
    assert mode_of(tmp_path / "config.yaml.bak") == 0o600


def test_stamp_round_trip() -> None:
    body = "services: {}\n"
    text = stamp(body)
    assert text.endswith(body)
    assert is_pristine(text)
    assert unstamp(text)[1] == body
    assert not is_pristine(text + "# edited\n")
    assert unstamp("no stamp\n") == (None, "no stamp\n")


def test_write_managed_regenerates_pristine_file(tmp_path: Path) -> None:
    target = tmp_path / "compose.yaml"
    assert write_managed(target, "v: 1\n").status is WriteStatus.CREATED
    assert write_managed(target, "v: 1\n").status is WriteStatus.UNCHANGED
    assert write_managed(target, "v: 2\n").status is WriteStatus.UPDATED
    assert unstamp(target.read_text())[1] == "v: 2\n"
    assert not (tmp_path / "compose.yaml.bak").exists()


def test_write_managed_refuses_hand_edited_file(tmp_path: Path) -> None:
    target = tmp_path / "compose.yaml"
    write_managed(target, "v: 1\n")
    edited = target.read_text() + "extra: mine\n"
    target.write_text(edited)
    with pytest.raises(FileConflict, match="changed by hand"):
        write_managed(target, "v: 2\n")
    assert target.read_text() == edited
    outcome = write_managed(target, "v: 2\n", force=True)
    assert outcome.backup is not None
    assert outcome.backup.read_text() == edited
    assert unstamp(target.read_text())[1] == "v: 2\n"


def test_write_managed_refuses_unstamped_user_file(tmp_path: Path) -> None:
    target = tmp_path / "compose.yaml"
    target.write_text("services: {mine: {}}\n")
    with pytest.raises(FileConflict):
        write_managed(target, "services: {}\n")
    assert target.read_text() == "services: {mine: {}}\n"
