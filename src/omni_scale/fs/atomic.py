"""Atomic writes: a temp file in the same directory, fsync, rename, fsync the directory.

A crash, a full disk or Ctrl-C at any point leaves either the old file whole or the new one
whole, never a mix, and never a stray temp file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from omni_scale.errors import InputError

SECRET_MODE = 0o600
DEFAULT_MODE = 0o644


def _default_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return DEFAULT_MODE & ~umask


def atomic_write(path: Path, data: str | bytes, *, mode: int | None = None) -> None:
    """Replace `path` with `data` atomically.

    `mode` is applied before the rename, so a secret is never readable by others, not even for
    a moment. Without `mode` an existing file keeps its mode; a new one gets 0644 less umask.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target_mode = mode if mode is not None else _default_mode(path)
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError(
            f"cannot write {path}: {exc.strerror or exc}",
            hint="check that the project directory is writable and the disk is not full",
        ) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), target_mode)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise InputError(
                f"cannot write {path}: {exc.strerror or exc}; the old file is unchanged",
                hint="check that the project directory is writable and the disk is not full",
            ) from exc
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
