"""Atomic writes: a temp file in the same directory, fsync, rename, fsync the directory.

A crash, a full disk or Ctrl-C at any point leaves either the old file whole or the new one
whole, never a mix. On Linux the data goes to an unnamed `O_TMPFILE` inode that only gets a
name once it is complete, so a process killed while writing leaves nothing behind. Elsewhere
(or on a filesystem without `O_TMPFILE`) a named temp file `.<name>.<pid>.<random>.tmp` is
used; one left behind by a killed process is removed by the next write to the same file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import tempfile
from pathlib import Path

from omni_scale.errors import EXIT_ENVIRONMENT, InputError

SECRET_MODE = 0o600
DEFAULT_MODE = 0o644
TEMP_SUFFIX = ".tmp"


def _default_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return DEFAULT_MODE & ~umask


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def _write_error(path: Path, exc: OSError, *, unchanged: bool) -> InputError:
    detail = exc.strerror or str(exc)
    suffix = "; the old file is unchanged" if unchanged and path.exists() else ""
    return InputError(
        f"cannot write {path}: {detail}{suffix}",
        hint="check that the project directory is writable and the disk is not full",
        exit_code=EXIT_ENVIRONMENT,  # a full disk or a read-only mount, not bad input
    )


def resolve_target(path: Path) -> Path:
    """The file a write to `path` should replace: a symlink's target, so the link survives."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def atomic_write(
    path: Path, data: str | bytes, *, mode: int | None = None, secret: bool = False
) -> None:
    """Replace `path` with `data` atomically.

    `mode` is applied before the file gets its name, so a secret is never readable by others,
    not even for a moment. Without `mode` an existing file keeps its mode; a new one gets 0644
    less umask. A symlink inside the project is followed: its target is replaced and the link
    kept. Where the write may land is checked by `fs.guard.checked_target` (no link out of the
    project; a `secret` only into a regular, git-ignored, untracked file); folders created for
    a 0600 file are 0700.
    """
    from omni_scale.fs.guard import checked_target, make_dirs

    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = checked_target(path, secret=secret)
    target_mode = mode if mode is not None else _default_mode(target)
    directory = target.parent
    try:
        make_dirs(directory, private=secret or mode == SECRET_MODE)
    except OSError as exc:
        raise _write_error(path, exc, unchanged=True) from exc
    sweep_stale_temps(target)
    try:
        try:
            _write_and_rename(target, payload, target_mode, anonymous=True)
        except _LinkUnsupported:
            _write_and_rename(target, payload, target_mode, anonymous=False)
    except OSError as exc:
        raise _write_error(path, exc, unchanged=True) from exc
    fsync_directory(directory)


class _LinkUnsupported(Exception):
    """The O_TMPFILE inode could not be given a name here: use a named temp file."""


def _write_and_rename(target: Path, payload: bytes, mode: int, *, anonymous: bool) -> None:
    fd, tmp = _open_temp(target, anonymous=anonymous)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            if tmp is None:
                try:
                    tmp = _link_anonymous(handle.fileno(), target)
                except OSError as exc:
                    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES):
                        raise
                    raise _LinkUnsupported from exc
        tmp.replace(target)
    except BaseException:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise


def _open_temp(target: Path, *, anonymous: bool) -> tuple[int, Path | None]:
    """(fd, temp path); the path is None for an unnamed O_TMPFILE inode."""
    o_tmpfile = getattr(os, "O_TMPFILE", 0)
    if anonymous and o_tmpfile and Path("/proc/self/fd").is_dir():
        try:
            return os.open(target.parent, o_tmpfile | os.O_WRONLY, 0o600), None
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise
    fd, name = tempfile.mkstemp(
        prefix=f"{_temp_prefix(target)}{os.getpid()}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
    return fd, Path(name)


def _link_anonymous(fd: int, target: Path) -> Path:
    """Give the finished O_TMPFILE inode a temp name next to `target` (then renamed over it)."""
    # A dir_fd makes CPython call linkat(..., AT_SYMLINK_FOLLOW) instead of link(), which
    # would try to hard-link the /proc symlink itself (EXDEV).
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        for _ in range(16):
            name = target.parent / (
                f"{_temp_prefix(target)}{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
            )
            try:
                os.link(f"/proc/self/fd/{fd}", name, src_dir_fd=dir_fd, follow_symlinks=True)
            except FileExistsError:
                continue
            return name
    finally:
        os.close(dir_fd)
    raise FileExistsError(errno.EEXIST, "no free temp file name", str(target.parent))


def sweep_stale_temps(target: Path) -> list[Path]:
    """Remove temp files of `target` whose writing process no longer exists."""
    removed: list[Path] = []
    prefix = _temp_prefix(target)
    try:
        candidates = [
            p
            for p in target.parent.iterdir()
            if p.name.startswith(prefix) and p.name.endswith(TEMP_SUFFIX)
        ]
    except OSError:
        return removed
    for candidate in candidates:
        parts = candidate.name[len(prefix) :].split(".")
        # exactly "<pid>.<random>.tmp": anything else belongs to another file's name
        if len(parts) != 3 or not parts[0].isdigit() or _process_alive(int(parts[0])):
            continue
        with contextlib.suppress(OSError):
            candidate.unlink()
            removed.append(candidate)
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return True
    return True


def fsync_directory(directory: Path) -> None:
    """Make a rename in `directory` durable (best effort: some filesystems refuse)."""
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
