"""Writes that never lose what a user wrote.

* `write_new`: create a file; refuse an existing one unless `force` (then keep a `.bak`).
* `write_managed`: (re)generate a file omni-scale owns. The file carries a stamp line with the
  hash of its content; if the content no longer matches the stamp, somebody edited it by hand,
  and we refuse to replace it without `force` (then keep a `.bak`).
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from omni_scale.errors import FileConflict
from omni_scale.fs.atomic import atomic_write
from omni_scale.fs.guard import safe_chmod

STAMP_PREFIX = "# omni-scale: generated file, edit freely (changes are kept); sha256="
_STAMP_RE = re.compile(r"^# omni-scale: generated file.*sha256=([0-9a-f]{16})\n", re.MULTILINE)


class WriteStatus(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class WriteOutcome:
    path: Path
    status: WriteStatus
    backup: Path | None = None


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def stamp(body: str) -> str:
    """`body` with a first line recording its hash."""
    return f"{STAMP_PREFIX}{_digest(body)}\n{body}"


def unstamp(text: str) -> tuple[str | None, str]:
    """(recorded hash or None, body without the stamp line)."""
    match = _STAMP_RE.match(text)
    if not match:
        return None, text
    return match.group(1), text[match.end() :]


def is_pristine(text: str) -> bool:
    """True when `text` is exactly what omni-scale wrote (stamp matches the body)."""
    recorded, body = unstamp(text)
    return recorded is not None and recorded == _digest(body)


def _backup(path: Path, mode: int | None, secret: bool = False) -> Path:
    """Copy `path` to `path.bak`, keeping its mode (or the stricter secret `mode`)."""
    backup = path.with_name(path.name + ".bak")
    keep = mode if mode is not None else path.stat().st_mode & 0o777
    from omni_scale.fs.read import read_capped

    atomic_write(backup, read_capped(path, what=path.name), mode=keep, secret=secret)
    return backup


def _read(path: Path) -> str | None:
    import errno
    import os

    from omni_scale.fs.read import read_capped_or_none

    if path.is_dir():  # a folder where the file must go: the environment's problem (exit 3)
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    raw = read_capped_or_none(path, what=path.name)
    return None if raw is None else raw.decode("utf-8", errors="surrogateescape")


def write_new(
    path: Path, content: str, *, force: bool = False, mode: int | None = None, secret: bool = False
) -> WriteOutcome:
    """Create `path`. An existing file is replaced only with `force`, after a `.bak` copy."""
    existing = _read(path)
    if existing is None:
        atomic_write(path, content, mode=mode, secret=secret)
        return WriteOutcome(path, WriteStatus.CREATED)
    if existing == content:
        if mode is not None:
            safe_chmod(path, mode)
        return WriteOutcome(path, WriteStatus.UNCHANGED)
    if not force:
        raise FileConflict(
            "file already exists",
            path=path,
            hint="choose another name, or re-run with --force to replace it (a .bak copy is kept)",
        )
    backup = _backup(path, mode, secret)
    atomic_write(path, content, mode=mode, secret=secret)
    return WriteOutcome(path, WriteStatus.UPDATED, backup)


def write_managed(
    path: Path, body: str, *, force: bool = False, mode: int | None = None, secret: bool = False
) -> WriteOutcome:
    """Write a generated file with a stamp; never replace a hand-edited one without `force`."""
    content = stamp(body)
    existing = _read(path)
    if existing is None:
        atomic_write(path, content, mode=mode, secret=secret)
        return WriteOutcome(path, WriteStatus.CREATED)
    if unstamp(existing)[1] == body:
        if mode is not None and (path.stat().st_mode & 0o777) != mode:
            safe_chmod(path, mode)
        return WriteOutcome(path, WriteStatus.UNCHANGED)
    if is_pristine(existing):
        atomic_write(path, content, mode=mode, secret=secret)
        return WriteOutcome(path, WriteStatus.UPDATED)
    if not force:
        raise FileConflict(
            "file was changed by hand and differs from what omni-scale would write",
            path=path,
            hint="review the difference, then re-run with --force to replace it "
            "(a .bak copy is kept)",
        )
    backup = _backup(path, mode, secret)
    atomic_write(path, content, mode=mode, secret=secret)
    return WriteOutcome(path, WriteStatus.UPDATED, backup)
