"""Every file that holds a secret is 0600, whatever the umask and whatever mode the user's file
had, and so is every `.bak` copy of one; files without secrets stay readable.

Unit tests of the layers exist (tests/fs/test_safe_write.py, tests/core/provider/test_setup.py,
tests/test_state.py); this runs the commands end to end with umask 000 and pre-existing
world-readable files, then walks the whole project: any file containing a canary must be 0600.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_provider_project import TOKEN_ID, make_key

KEY = make_key("infra-provider:proxmox", pgp="CANARY-FILES-PGP-55e0")
TOKEN = "CANARY-FILES-TOKEN-8a61"
CANARIES = (KEY, TOKEN, "CANARY-FILES-PGP-55e0")


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def secret_files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            text = path.read_bytes().decode("utf-8", "replace")
            if any(c in text for c in CANARIES):
                found.append(path)
    return found


def setup(cli: Any, root: Path, tmp_path: Path, *extra: str) -> Any:
    (tmp_path / "token").write_text(TOKEN + "\n")
    (tmp_path / "key").write_text(KEY + "\n")
    return cli(
        "--project-dir",
        root,
        "provider",
        "setup",
        "--omni-endpoint",
        "https://omni.example.com",
        "--proxmox-url",
        "https://pve1.example.com:8006/api2/json",
        "--token-id",
        TOKEN_ID,
        "--token-secret-file",
        str(tmp_path / "token"),
        "--key-file",
        str(tmp_path / "key"),
        "--offline",
        *extra,
    )


def test_secret_files_and_backups_are_0600_with_umask_000(
    project: Path, tmp_path: Path, cli: Any, open_umask: None
) -> None:
    # the user already has a world-readable .env and config.yaml of their own
    (project / ".env").write_text("OTHER_SETTING=1\n")
    (project / ".env").chmod(0o666)
    (project / "docker").mkdir()
    config = project / "docker" / "config.yaml"
    config.write_text('proxmox:\n  url: "https://old.example.com:8006/api2/json"\n')
    config.chmod(0o666)

    first = setup(cli, project, tmp_path)
    if first.code == 2:  # a hand-written config is kept unless --force
        assert "--force" in first.err
        first = setup(cli, project, tmp_path, "--force")
    assert first.code == 0, first.err
    assert "OTHER_SETTING=1" in (project / ".env").read_text()  # merged, not replaced

    # a hand edit, then --force: the .bak of the secret file holds the secret too
    config.write_text(config.read_text() + "# my note\n")
    config.chmod(0o666)
    assert setup(cli, project, tmp_path, "--image", "v0.2.0").code == 0
    config.write_text(config.read_text().replace("pve1", "pve2"))
    forced = setup(cli, project, tmp_path, "--image", "v0.1.0", "--force")
    assert forced.code == 0, forced.err

    for args in (("state", "set", "default_cores=4"), ("state", "set", "provider_id=proxmox")):
        assert cli("--project-dir", project, *args).code == 0

    found = secret_files(project)
    names = {p.relative_to(project).as_posix() for p in found}
    assert {".env", "docker/config.yaml"} <= names
    assert any(n.endswith(".bak") for n in names), names  # the backups were checked too
    for path in found:
        assert mode(path) == 0o600, f"{path.relative_to(project)} is {oct(mode(path))}"
    # the state file holds no secret but is private too (it is in .gitignore)
    assert mode(project / ".claude" / "omni-scale.local.md") == 0o600
    # no temp file of an atomic write is left, readable or not
    assert not [p for p in project.rglob("*.tmp")]
    # and git ignores every one of them, the .bak copies included (git add -A cannot leak them)
    shutil.rmtree(project / ".git")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    rel = [str(p.relative_to(project)) for p in found]
    ignored = subprocess.run(
        ["git", "-C", str(project), "check-ignore", "--no-index", *rel],
        capture_output=True,
        text=True,
    ).stdout.split()
    assert sorted(ignored) == sorted(rel)


def test_non_secret_files_stay_readable(
    project: Path, tmp_path: Path, cli: Any, open_umask: None
) -> None:
    assert setup(cli, project, tmp_path).code == 0
    compose = project / "docker" / "compose.yaml"
    assert not any(c in compose.read_text() for c in CANARIES)
    assert mode(compose) & 0o044  # others may read what is meant to be committed
