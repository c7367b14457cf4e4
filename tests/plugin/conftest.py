"""Fixtures for the Claude Code plugin tests: the pinned `claude` binary and a clean environment.

The repository-wide autouse fixture replaces HOME before every test, so the environment as it was
when pytest started is captured here at import time: the `uv` of a pyenv install and uv's wheel
cache live under the real HOME.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PLUGIN_ROOT = REPO
ORIGINAL_ENV = dict(os.environ)
CLAUDE_LOCAL = REPO / ".ci" / ".cache" / "npm" / "node_modules" / ".bin" / "claude"

# The files a marketplace install copies that matter to Claude Code (the cache holds the whole
# repository minus .git; these are the plugin's parts plus the package it runs).
PLUGIN_PARTS = (
    ".claude-plugin",
    "commands",
    "skills",
    "agents",
    "hooks",
    ".mcp.json",
    "scripts",
    "settings.md",
    "LICENSE",
)


def find_claude() -> str | None:
    found = shutil.which("claude", path=ORIGINAL_ENV.get("PATH"))
    if found:
        return found
    return str(CLAUDE_LOCAL) if CLAUDE_LOCAL.exists() else None


def base_env(home: Path) -> dict[str, str]:
    """The original environment with a throwaway HOME and no network chatter from claude."""
    env = {
        k: v
        for k, v in ORIGINAL_ENV.items()
        if not k.startswith(("CLAUDE", "ANTHROPIC", "OMNI_", "SIDERO_"))
        and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    original_home = ORIGINAL_ENV.get("HOME", "")
    if original_home and "PYENV_ROOT" not in env and Path(original_home, ".pyenv").is_dir():
        env["PYENV_ROOT"] = str(Path(original_home, ".pyenv"))  # keeps pyenv shims working
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        DISABLE_AUTOUPDATER="1",
        DISABLE_TELEMETRY="1",
        DISABLE_ERROR_REPORTING="1",
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1",
        NO_COLOR="1",
    )
    return env


def uv_cache_dir() -> str | None:
    """uv's wheel cache of the developer/CI user (so a test can install offline)."""
    if ORIGINAL_ENV.get("UV_CACHE_DIR"):
        return ORIGINAL_ENV["UV_CACHE_DIR"]
    if not shutil.which("uv", path=ORIGINAL_ENV.get("PATH")):
        return None
    proc = subprocess.run(
        ["uv", "cache", "dir"], capture_output=True, text=True, env=ORIGINAL_ENV, timeout=30
    )
    return proc.stdout.strip() or None if proc.returncode == 0 else None


@pytest.fixture(scope="session")
def claude_bin() -> str:
    found = find_claude()
    if found is None:
        pytest.skip("the claude CLI is not installed (npm @anthropic-ai/claude-code)")
    return found


@pytest.fixture
def claude_home(tmp_path: Path) -> Path:
    home = tmp_path / "claude-home"
    home.mkdir()
    return home


def copy_plugin(dest: Path, readme: str | None = None) -> Path:
    """A copy of the plugin's parts (what Claude Code reads), with README.md replaced if given."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PLUGIN_PARTS:
        source = PLUGIN_ROOT / part
        if source.is_dir():
            shutil.copytree(
                source, dest / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        elif source.exists():
            shutil.copy2(source, dest / part)
    (dest / "README.md").write_text(
        readme if readme is not None else (PLUGIN_ROOT / "README.md").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    return dest
