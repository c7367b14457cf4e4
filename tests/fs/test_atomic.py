"""Atomic writes: old file whole or new file whole, never a mix, no temp files left."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from omni_scale.errors import InputError
from omni_scale.fs.atomic import SECRET_MODE, atomic_write, sweep_stale_temps

OLD = "proxmox:\n  url: https://pve1.example.invalid:8006/api2/json\n"


def temps(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_creates_file_and_parents(tmp_path: Path) -> None:
    target = tmp_path / "docker" / "config.yaml"
    atomic_write(target, OLD)
    assert target.read_text() == OLD
    assert temps(target.parent) == []


def test_replaces_content_and_keeps_existing_mode(tmp_path: Path) -> None:
    target = tmp_path / "compose.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    atomic_write(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert mode_of(target) == 0o640


def test_secret_mode_applies_to_new_and_existing_files(tmp_path: Path) -> None:
    fresh = tmp_path / ".env"
    atomic_write(fresh, "OMNI_ENDPOINT=x\n", mode=SECRET_MODE)
    assert mode_of(fresh) == 0o600
    loose = tmp_path / "config.yaml"
    loose.write_text("a: 1\n")
    loose.chmod(0o644)
    atomic_write(loose, "a: 2\n", mode=SECRET_MODE)
    assert mode_of(loose) == 0o600


def test_secret_mode_ignores_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        atomic_write(tmp_path / "secret", "s", mode=SECRET_MODE)
    finally:
        os.umask(old)
    assert mode_of(tmp_path / "secret") == 0o600


def test_follows_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    real = tmp_path / "secrets" / "config.yaml"
    real.parent.mkdir()
    real.write_text(OLD)
    link = tmp_path / "config.yaml"
    link.symlink_to(real)
    atomic_write(link, "new\n")
    assert link.is_symlink()
    assert real.read_text() == "new\n"


def test_failed_rename_leaves_old_file_whole(tmp_path: Path) -> None:
    """The rename fails (the target is now a non-empty directory): old content untouched."""
    directory = tmp_path / "d"
    directory.mkdir()
    target = directory / "config.yaml"
    target.mkdir()  # rename(file, non-empty dir) fails with EISDIR
    (target / "keep").write_text(OLD)
    with pytest.raises(InputError, match="cannot write"):
        atomic_write(target, "new content\n")
    assert (target / "keep").read_text() == OLD
    assert temps(directory) == []


def test_unwritable_directory_is_one_clear_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root ignores directory permissions")
    directory = tmp_path / "ro"
    directory.mkdir()
    (directory / "f").write_text(OLD)
    directory.chmod(0o500)
    try:
        with pytest.raises(InputError, match="cannot write"):
            atomic_write(directory / "f", "new")
    finally:
        directory.chmod(0o700)
    assert (directory / "f").read_text() == OLD


# A child process that writes through atomic_write and is SIGKILLed at a chosen point. The
# audit hook fires on the real system call (os.link gives the finished temp a name, os.rename
# puts it in place), so the crash is a real kill of a real process, not a mocked function.
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from omni_scale.fs.atomic import atomic_write

    target, kill_at, size = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    no_tmpfile = sys.argv[4:] == ["no-tmpfile"]

    def hook(event, args):
        if event in ("tempfile.mkstemp", "os.link", "os.rename"):
            sys.stderr.write(f"event:{event}\\n")
            sys.stderr.flush()
        if event == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        # a filesystem without O_TMPFILE support: the named-temp-file path
        if no_tmpfile and event == "open" and isinstance(args[2], int):
            if args[2] & getattr(os, "O_TMPFILE", 0) == getattr(os, "O_TMPFILE", -1):
                raise OSError(95, "Operation not supported")

    sys.addaudithook(hook)
    sys.stdout.write("writing\\n")
    sys.stdout.flush()
    atomic_write(target, b"N" * size)
    sys.stdout.write("done\\n")
    """
)


def run_child(
    target: Path, kill_at: str, *extra: str, size: int = 1 << 20
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(target), kill_at, str(size), *extra],
        capture_output=True,
        text=True,
        timeout=30,
    )


@pytest.mark.parametrize(
    ("kill_at", "extra"),
    [("os.link", ()), ("os.rename", ()), ("os.rename", ("no-tmpfile",))],
    ids=["before-naming", "before-rename", "named-temp-before-rename"],
)
def test_killed_child_leaves_old_file_whole(
    tmp_path: Path, kill_at: str, extra: tuple[str, ...]
) -> None:
    target = tmp_path / "config.yaml"
    target.write_text(OLD)
    proc = run_child(target, kill_at, *extra)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert "done" not in proc.stdout
    assert target.read_text() == OLD
    # which path ran: an unnamed O_TMPFILE inode, or (without it) a named temp file
    assert ("event:tempfile.mkstemp" in proc.stderr) == bool(extra), proc.stderr
    if kill_at == "os.rename":  # the named temp file really was left behind by the crash
        assert len(temps(tmp_path)) == 1
    # A temp named just before the kill is swept by the next write to the same file.
    atomic_write(target, "next\n")
    assert target.read_text() == "next\n"
    assert temps(tmp_path) == []


def test_child_killed_while_writing_a_large_payload(tmp_path: Path) -> None:
    """SIGKILL at an arbitrary moment: the file is the old one or the new one, whole."""
    target = tmp_path / "big.bin"
    target.write_text(OLD)
    size = 64 << 20
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(target), "never", str(size)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "writing\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    content = target.read_bytes()
    assert content in (OLD.encode(), b"N" * size)
    sweep_stale_temps(target)
    assert temps(tmp_path) == []


def test_sweep_keeps_temps_of_live_processes_and_other_files(tmp_path: Path) -> None:
    target = tmp_path / "a"
    live = tmp_path / f".a.{os.getpid()}.abcd1234.tmp"
    other = tmp_path / ".a.5.999999.x.tmp"  # a temp of a file named "a.5"
    dead = tmp_path / ".a.999999999.abcd1234.tmp"
    for path in (live, other, dead):
        path.write_text("x")
    assert sweep_stale_temps(target) == [dead]
    assert temps(tmp_path) == sorted([live.name, other.name])
