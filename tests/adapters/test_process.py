"""The one process runner: output captured, stdin closed, the whole group killed on timeout."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from omni_scale.adapters import process

# A parent that starts a grandchild (same group), records its pid, and both wait a minute.
SPAWNER = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
open(sys.argv[1], "w").write(str(child.pid))
print("started", flush=True)
time.sleep(60)
"""


def _gone(pid: int) -> bool:
    """True when `pid` no longer runs (absent, or a zombie waiting for its reaper)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return "Z" in state.split()[1]


def test_run_captures_text_and_exit_code(tmp_path: Path) -> None:
    proc = process.run(
        [
            sys.executable,
            "-c",
            "import sys; print('out'); print('err', file=sys.stderr); "
            "sys.stdout.write(sys.stdin.read()); sys.exit(3)",
        ],
        timeout=60,
        cwd=tmp_path,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (3, "out\n", "err\n")


def test_run_passes_env_and_cwd(tmp_path: Path) -> None:
    proc = process.run(
        [sys.executable, "-c", "import os; print(os.environ['X'], os.getcwd())"],
        timeout=60,
        cwd=tmp_path,
        env={"X": "1", "PATH": "/usr/bin:/bin"},
    )
    assert proc.stdout.split() == ["1", str(tmp_path)]


def test_timeout_kills_the_grandchildren_too(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    started = time.monotonic()
    with pytest.raises(subprocess.TimeoutExpired):
        process.run([sys.executable, "-c", SPAWNER, str(pidfile)], timeout=2)
    # returned long before the 60 s sleeps end: the pipes were not held open by the grandchild
    assert time.monotonic() - started < 30
    grandchild = int(pidfile.read_text())
    deadline = time.monotonic() + 10
    while not _gone(grandchild) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(grandchild), "the grandchild outlived the timeout"


def test_missing_program_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        process.run([str(tmp_path / "nope")], timeout=5)


def test_stream_reads_lines_then_stops_the_group(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    with process.stream([sys.executable, "-c", SPAWNER, str(pidfile)]) as running:
        first = next(running.lines)
    assert first == "started\n"
    assert running.returncode == -15  # terminated when the block was left
    grandchild = int(pidfile.read_text())
    deadline = time.monotonic() + 10
    while not _gone(grandchild) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(grandchild)
