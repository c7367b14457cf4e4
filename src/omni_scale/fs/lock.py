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

from omni_scale.errors import EnvironmentProblem

LOCK_NAME = ".claude/omni-scale.lock"  # gitignored with .claude/*.lock
LOCK_TIMEOUT_S = 60.0


@contextmanager
def project_lock(
    root: Path, *, on_wait: Callable[[str], None] | None = None, timeout: float = LOCK_TIMEOUT_S
) -> Iterator[None]:
    from filelock import FileLock, Timeout

    from omni_scale.fs.guard import checked_target, make_dirs

    path = root / LOCK_NAME
    make_dirs(path.parent, private=True)
    lock = FileLock(str(checked_target(path)), timeout=timeout, mode=0o600)
    try:
        try:
            lock.acquire(timeout=0.5)
        except Timeout:
            if on_wait is not None:
                on_wait(f"waiting for another omni-scale command to release {LOCK_NAME}")
            lock.acquire()
    except Timeout:
        raise EnvironmentProblem(
            f"another omni-scale command has held the project lock for {timeout:g}s",
            path=str(path),
            hint="wait for it to finish; delete the lock file only if no omni-scale runs",
        ) from None
    try:
        yield
    finally:
        lock.release()
