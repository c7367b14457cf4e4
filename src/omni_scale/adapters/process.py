"""Run an external program with a deadline, and leave nothing of it behind.

`subprocess.run(timeout=...)` kills only the direct child, then waits for its pipes: a grandchild
(`docker compose` starting a plugin, a wrapper script, omnictl's helpers) keeps them open and
outlives the call. Here every program starts in its own process group (a new session), and on a
timeout or any interruption the whole group is killed.

`ProcessGroup` collects the programs started in the threads that run under it (`provider status`
runs one probe a thread): `close()` kills whatever is still running and refuses new starts, so
nothing outlives a command whose probes passed their deadline.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

# After the kill, how long to wait for the pipes to close (a process that left the group by
# starting its own session can keep them open; it is not waited for longer).
DRAIN_S = 5.0

_current = threading.local()
_SIGKILL = getattr(signal, "SIGKILL", 9)


class ProcessGroupClosed(Exception):
    """A program was about to start after its ProcessGroup was closed."""


class ProcessGroup:
    """The programs started by the threads that run under this group."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen[str]] = set()
        self._closed = False

    def _add(self, proc: subprocess.Popen[str]) -> None:
        with self._lock:
            if not self._closed:
                self._procs.add(proc)
                return
        kill_group(proc)
        raise ProcessGroupClosed

    def _discard(self, proc: subprocess.Popen[str]) -> None:
        with self._lock:
            self._procs.discard(proc)

    def close(self) -> int:
        """Kill every program still running and refuse new ones; returns how many were killed."""
        with self._lock:
            self._closed = True
            procs = list(self._procs)
        for proc in procs:
            kill_group(proc)
        return len(procs)

    @contextlib.contextmanager
    def enter(self) -> Iterator[None]:
        """Programs started by this thread inside the block belong to this group."""
        previous = getattr(_current, "group", None)
        _current.group = self
        try:
            yield
        finally:
            _current.group = previous


def kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGKILL the process group PROC leads (and PROC itself)."""
    if hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, _SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        proc.kill()


def run(
    argv: list[str],
    *,
    timeout: float | None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Like `subprocess.run(argv, capture_output=True, text=True, errors="replace")`.

    Raises `subprocess.TimeoutExpired` after killing the whole process group, and
    `ProcessGroupClosed` when the caller's ProcessGroup was closed (its deadline passed).
    OSError (program missing, not executable) propagates as from subprocess.
    """
    group: ProcessGroup | None = getattr(_current, "group", None)
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        cwd=cwd,
        env=None if env is None else dict(env),
        start_new_session=hasattr(os, "killpg"),
    )
    if group is not None:
        group._add(proc)
    try:
        try:
            out, err = proc.communicate(input, timeout=timeout)
        except BaseException:  # timeout, Ctrl-C, the group closed under us
            kill_group(proc)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.communicate(timeout=DRAIN_S)
            raise
        if group is not None and group._closed and proc.returncode == -_SIGKILL:
            raise ProcessGroupClosed
    finally:
        if group is not None:
            group._discard(proc)
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)
