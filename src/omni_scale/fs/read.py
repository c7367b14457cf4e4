"""THE way omni-scale reads a file it did not write: capped, regular files only.

`read_capped` opens without blocking (a FIFO would otherwise wait for a writer forever),
checks the opened descriptor (not the name, which a symlink or a swap could change between a
check and the read) is a regular file, and reads at most `max_bytes + 1` bytes, so
`.gitignore -> /dev/zero`, `--token-secret-file /dev/zero`, a FIFO or a 10 GB file end with
one line instead of reading forever.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from omni_scale.errors import InputError

MAX_READ_BYTES = 1024 * 1024  # 1 MiB: far above any file a project holds


def read_capped(path: Path, *, what: str = "file", max_bytes: int = MAX_READ_BYTES) -> bytes:
    """The bytes of `path`; InputError when missing, not a regular file, or over `max_bytes`.

    FileNotFoundError is raised as an InputError whose `missing` attribute is True, so callers
    that treat a missing file as empty can tell it apart.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        error = InputError(f"{what} not found", path=path, hint="check the path")
        error.missing = True  # type: ignore[attr-defined]
        raise error from None
    except IsADirectoryError:
        raise InputError(f"{what} is a directory", path=path, hint="point at a file") from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", path=path) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{what} is a directory", path=path, hint="point at a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                f"{what} is not a regular file (a pipe or a device)",
                path=path,
                hint="save the content to a file first",
            )
        if info.st_size > max_bytes:
            raise _too_big(path, what, max_bytes, info.st_size)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 16, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:  # it grew while we read it
            raise _too_big(path, what, max_bytes, None)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", path=path) from None
    finally:
        os.close(fd)


def read_capped_or_none(
    path: Path, *, what: str = "file", max_bytes: int = MAX_READ_BYTES
) -> bytes | None:
    """`read_capped`, but None for a missing file."""
    try:
        return read_capped(path, what=what, max_bytes=max_bytes)
    except InputError as exc:
        if getattr(exc, "missing", False):
            return None
        raise


def _too_big(path: Path, what: str, limit: int, size: int | None) -> InputError:
    amount = f"{size} bytes, over" if size is not None else "over"
    return InputError(
        f"{what} is {amount} the {limit}-byte limit",
        path=path,
        hint="is this the right file? configuration files are a few KiB",
    )
