"""scripts/omni-scale: how the plugin's commands reach the CLI from a marketplace install."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ORIGINAL_ENV, REPO, base_env, uv_cache_dir

LAUNCHER = REPO / "scripts" / "omni-scale"


def marketplace_copy(dest: Path) -> Path:
    """What `claude plugin install` caches: the committed tree without .git (and no venv)."""
    dest.mkdir(parents=True)
    archive = dest.parent / "plugin.tar"
    subprocess.run(
        ["git", "archive", "--format=tar", "-o", str(archive), "HEAD"], cwd=REPO, check=True
    )
    subprocess.run(["tar", "-xf", str(archive), "-C", str(dest)], check=True)
    archive.unlink()
    assert (dest / "scripts" / "omni-scale").stat().st_mode & 0o111
    assert not (dest / ".venv").exists()
    return dest


def tree(root: Path) -> set[str]:
    return {
        str(p.relative_to(root))
        for p in root.rglob("*")
        if "__pycache__" not in p.parts  # bytecode only; the validator ignores it
    }


def test_development_checkout_uses_its_own_venv() -> None:
    if not (REPO / ".venv" / "bin" / "omni-scale").exists():
        pytest.skip("no .venv in this checkout")
    proc = subprocess.run([str(LAUNCHER), "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("omni-scale, version ")


@pytest.mark.slow
def test_marketplace_copy_runs_through_uv_with_the_venv_in_plugin_data(tmp_path: Path) -> None:
    cache = uv_cache_dir()
    if cache is None:
        pytest.skip("uv is not installed")
    root = marketplace_copy(tmp_path / "cache" / "omni-scale" / "omni-scale" / "0.1.0")
    before = tree(root)
    data = tmp_path / "plugin-data"
    project = tmp_path / "infra"
    project.mkdir()
    env = base_env(tmp_path / "home")
    env.update(CLAUDE_PLUGIN_DATA=str(data), UV_CACHE_DIR=cache, UV_OFFLINE="1")
    proc = subprocess.run(
        [
            str(root / "scripts" / "omni-scale"),
            "--project-dir",
            str(project),
            "state",
            "show",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    document = json.loads(proc.stdout)
    assert document["exists"] is False
    assert document["state"]["provider_id"] == "proxmox"
    assert (data / "venv" / "bin" / "omni-scale").exists()
    assert tree(root) == before, "the launcher wrote into the plugin root"
    assert proc.stderr == ""  # uv stays quiet


def fake_bin(tmp_path: Path, with_installed: bool) -> Path:
    """A PATH with the tools the script needs, no uv, and optionally an installed omni-scale."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname",):
        found = shutil.which(tool)
        assert found
        (bin_dir / tool).symlink_to(found)
    if with_installed:
        script = bin_dir / "omni-scale"
        script.write_text('#!/bin/sh\necho "installed omni-scale $*"\n')
        script.chmod(0o755)
    return bin_dir


def test_falls_back_to_an_installed_omni_scale(tmp_path: Path) -> None:
    root = tmp_path / "plugin"
    (root / "scripts").mkdir(parents=True)
    shutil.copy2(LAUNCHER, root / "scripts" / "omni-scale")
    env = {"PATH": str(fake_bin(tmp_path, with_installed=True)), "HOME": str(tmp_path)}
    proc = subprocess.run(
        [str(root / "scripts" / "omni-scale"), "state", "show", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert proc.returncode == 0
    assert proc.stdout == "installed omni-scale state show --json\n"


def test_neither_uv_nor_omni_scale_is_an_environment_error(tmp_path: Path) -> None:
    root = tmp_path / "plugin"
    (root / "scripts").mkdir(parents=True)
    shutil.copy2(LAUNCHER, root / "scripts" / "omni-scale")
    env = {"PATH": str(fake_bin(tmp_path, with_installed=False)), "HOME": str(tmp_path)}
    proc = subprocess.run(
        [str(root / "scripts" / "omni-scale"), "state", "show", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert proc.returncode == 3
    document = json.loads(proc.stdout)
    assert document["ok"] is False
    assert document["error"]["exit_code"] == 3
    assert "uv" in document["error"]["hint"]
    assert proc.stderr.startswith("omni-scale: error: neither uv nor omni-scale is installed")
    assert len(proc.stderr.splitlines()) == 1


def test_original_environment_was_captured() -> None:
    assert ORIGINAL_ENV.get("PATH")
    assert os.environ["HOME"] != ORIGINAL_ENV.get("HOME")  # the autouse isolation is active
