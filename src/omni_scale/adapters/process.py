"""The one place that runs programs: a timeout that kills the whole process group.

`subprocess.run(timeout=...)` kills only the child it started; a `docker compose` plugin, or a
wrapper script's own children, would live on and keep the pipes open. Here every child starts
in its own session (process group) and, on timeout or interrupt (Ctrl-C), the group is killed
and reaped before `subprocess.TimeoutExpired` (or the interrupt) goes on to the caller. The
child's stdin is /dev/null: nothing it runs may wait for a keyboard.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

# after SIGKILL, how long to wait for the pipes to close (a grandchild that escaped the group)
_REAP_S = 5.0


def _kill_group(proc: subprocess.Popen[str]) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    try:
        proc.communicate(timeout=_REAP_S)
    except (subprocess.TimeoutExpired, ValueError):
        proc.kill()


def _popen(
    argv: list[str], *, cwd: Path | None, env: Mapping[str, str] | None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        cwd=cwd,
        env=dict(env) if env is not None else None,
        start_new_session=True,
    )


def run(
    argv: Sequence[str],
    *,
    timeout: float,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `argv` to the end and capture its output (text; undecodable bytes replaced).

    Raises `subprocess.TimeoutExpired` after killing the process group when `timeout` seconds
    pass, and OSError (FileNotFoundError, PermissionError) when the program cannot start."""
    proc = _popen(list(argv), cwd=cwd, env=env)
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise subprocess.TimeoutExpired(list(argv), timeout) from None
    except BaseException:  # Ctrl-C, or anything else: leave no process behind
        _kill_group(proc)
        raise
    return subprocess.CompletedProcess(list(argv), proc.returncode, stdout, stderr)


@dataclass
class Stream:
    """A running program whose stdout is read line by line; `stderr` and `returncode` are
    known once its `stream` block is left."""

    proc: subprocess.Popen[str]
    stderr: str = ""

    @property
    def lines(self) -> Iterator[str]:
        assert self.proc.stdout is not None
        return iter(self.proc.stdout)

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode


@contextmanager
def stream(
    argv: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> Iterator[Stream]:
    """Start `argv` for the caller to read (`docker compose logs --follow`).

    On leaving the block a still-running group is terminated (SIGTERM; SIGKILL when it has
    not ended 10 s later) and reaped, and its stderr collected."""
    running = Stream(_popen(list(argv), cwd=cwd, env=env))
    try:
        yield running
    finally:
        proc = running.proc
        if proc.poll() is None:
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGTERM)
        try:
            _out, running.stderr = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
