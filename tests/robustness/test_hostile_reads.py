"""Property: every file read has a size cap and refuses non-regular files.

All reads of files omni-scale did not write go through `fs.read.read_capped`: it opens without
blocking, checks the opened descriptor is a regular file and reads at most the cap. A device
(`/dev/zero`), a FIFO with no writer, or a file over the cap ends with one line, exit 2, at
once, instead of reading forever.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from omni_scale.errors import InputError
from omni_scale.fs.read import read_capped, read_capped_or_none

SETUP = (
    "provider", "setup", "--offline", "--omni-endpoint", "https://omni.example.com",
    "--proxmox-url", "https://pve1.example.com:8006/api2/json", "--token-id", "omni@pve!p",
)  # fmt: skip


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "symlink-to-dev-zero", "dir", "huge"])
def test_read_capped_refuses_at_once(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "f"
    if kind == "dev-zero":
        path = Path("/dev/zero")
    elif kind == "fifo":
        _fifo(path)
    elif kind == "symlink-to-dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "dir":
        path.mkdir()
    else:
        path.write_bytes(b"x" * 2000)
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        read_capped(path, what="thing", max_bytes=1000)
    assert time.monotonic() - started < 2
    assert "thing" in caught.value.one_line()


def test_missing_is_none_only_where_asked(tmp_path: Path) -> None:
    assert read_capped_or_none(tmp_path / "nope") is None
    with pytest.raises(InputError, match="not found"):
        read_capped(tmp_path / "nope")
    (tmp_path / "ok").write_bytes(b"abc")
    assert read_capped(tmp_path / "ok") == b"abc"


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_token_secret_file_that_never_ends(
    project: Path, tmp_path: Path, cli: Any, target: str
) -> None:
    secret = Path(target) if target.startswith("/") else _fifo(tmp_path / "secret-fifo")
    started = time.monotonic()
    result = cli("--project-dir", project, *SETUP, "--token-secret-file", secret)
    assert time.monotonic() - started < 10
    assert result.code == 2, result.err
    assert "not a regular file" in result.err
    assert "Traceback" not in result.err
    assert not (project / ".env").exists()


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_key_file_that_never_ends(project: Path, tmp_path: Path, cli: Any, target: str) -> None:
    secret = tmp_path / "secret"
    secret.write_text("5e1f0a7c-9d7b-4d7e-8c41-7f0b9a2f1c33\n")
    key = Path(target) if target.startswith("/") else _fifo(tmp_path / "key-fifo")
    result = cli("--project-dir", project, *SETUP, "--token-secret-file", secret, "--key-file", key)
    assert result.code == 2, result.err
    assert "not a regular file" in result.err


@pytest.mark.parametrize(
    ("name", "args"),
    [
        (".gitignore", ("doctor", "--offline")),
        (".env", ("lint",)),
        (".env", ("doctor", "--offline")),
        ("docker/config.yaml", ("proxmox", "check")),
        ("docker/compose.yaml", ("lint",)),
        (".claude/omni-scale.local.md", ("state", "show")),
        ("machine-classes/homelab-worker.yaml", ("lint",)),
    ],
)
@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_repo_file_that_is_a_device_or_fifo(
    homelab: Path, cli: Any, name: str, args: tuple[str, ...], target: str
) -> None:
    path = homelab / name
    path.unlink(missing_ok=True)
    if target == "fifo":
        _fifo(path)
    else:
        path.symlink_to(target)
    started = time.monotonic()
    result = cli("--project-dir", homelab, *args)
    assert time.monotonic() - started < 20
    assert result.code in (0, 1, 2, 3), result.err  # lint need not read .env at all
    assert "Traceback" not in result.err and "internal error" not in result.err


def test_setup_with_gitignore_to_dev_zero(project: Path, tmp_path: Path, cli: Any) -> None:
    (project / ".gitignore").symlink_to("/dev/zero")
    secret = tmp_path / "secret"
    secret.write_text("5e1f0a7c-9d7b-4d7e-8c41-7f0b9a2f1c33\n")
    started = time.monotonic()
    result = cli("--project-dir", project, *SETUP, "--token-secret-file", secret)
    assert time.monotonic() - started < 10
    assert result.code == 2, result.err
    assert ".gitignore" in result.err and "not a regular file" in result.err
