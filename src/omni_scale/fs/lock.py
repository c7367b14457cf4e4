"""THE project lock: one lock covers every file a command rewrites.

A command that reads, plans and rewrites several project files (`provider setup`: compose.yaml,
config*.yaml, .env, .gitignore and the state file) holds `project_lock(root)` from its first
read of them to its last write, so concurrent runs serialise and none works from a stale read
(three `provider setup --id ...` at once used to end with services or .env lines missing).
The state file's own lock (state.update_state) is taken inside it; nothing takes them in the
other order, so they cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from omni_scale.errors import EnvironmentProblem
from omni_scale.fs.guard import checked_target, make_dirs

LOCK_NAME = ".claude/omni-scale.lock"  # gitignored with .claude/*.lock
LOCK_TIMEOUT_S = 60.0


@contextmanager
def project_lock(
    root: Path, *, on_wait: Callable[[str], None] | None = None, timeout: float = LOCK_TIMEOUT_S
) -> Iterator[None]:

    path = root / LOCK_NAME
    make_dirs(path.parent, private=True)
    with held_lock(
        checked_target(path),
        timeout=timeout,
        on_wait=on_wait,
        waiting=f"waiting for another omni-scale command to release {LOCK_NAME}",
        busy=EnvironmentProblem(
            f"another omni-scale command has held the project lock for {timeout:g}s",
            path=str(path),
            hint="wait for it to finish; delete the lock file only if no omni-scale runs",
        ),
    ):
        yield


@contextmanager
def held_lock(
    path: Path,
    *,
    timeout: float,
    on_wait: Callable[[str], None] | None,
    waiting: str,
    busy: EnvironmentProblem,
    grace: float = 0.5,
    mode: int = 0o600,
) -> Iterator[None]:
    """Hold the lock file `path`: when another command still holds it after `grace` seconds,
    `on_wait(waiting)` once, then wait up to `timeout` in all; past it, raise `busy`. THE way
    omni-scale takes a lock (the project lock, the state file's, an omnictl install's).
    `mode`: the lock file's permissions (-1: filelock's default, the umask decides)."""
    lock = FileLock(str(path), timeout=timeout, mode=mode)
    try:
        try:
            lock.acquire(timeout=grace)
        except Timeout:
            if on_wait is not None:
                on_wait(waiting)
            lock.acquire()
    except Timeout:
        raise busy from None
    try:
        yield
    finally:
        lock.release()
