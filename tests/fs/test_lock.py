"""`held_lock`: the note once while another process holds the lock, the error past the timeout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from omni_scale.errors import EnvironmentProblem
from omni_scale.fs.lock import held_lock

HOLDER = """
import sys, time
from filelock import FileLock
with FileLock(sys.argv[1]):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold(path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def _take(path: Path, notes: list[str], timeout: float) -> None:
    busy = EnvironmentProblem("busy", path=str(path))
    with held_lock(path, timeout=timeout, on_wait=notes.append, waiting="waiting", busy=busy):
        notes.append("inside")


def test_a_free_lock_is_taken_without_a_note(tmp_path: Path) -> None:
    notes: list[str] = []
    _take(tmp_path / "x.lock", notes, timeout=5)
    assert notes == ["inside"]
    assert (tmp_path / "x.lock").stat().st_mode & 0o777 == 0o600


def test_a_held_lock_notes_once_then_is_taken_when_released(tmp_path: Path) -> None:
    holder = _hold(tmp_path / "x.lock", 1.5)
    notes: list[str] = []
    try:
        _take(tmp_path / "x.lock", notes, timeout=30)
    finally:
        holder.wait(timeout=30)
    assert notes == ["waiting", "inside"]


def test_a_lock_held_past_the_timeout_raises_busy(tmp_path: Path) -> None:
    holder = _hold(tmp_path / "x.lock", 30)
    notes: list[str] = []
    try:
        with pytest.raises(EnvironmentProblem, match="busy"):
            _take(tmp_path / "x.lock", notes, timeout=1)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert notes == ["waiting"]
