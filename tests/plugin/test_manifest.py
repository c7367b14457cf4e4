"""plugin.json, marketplace.json, icon and hooks.json obey the 2.1.328 rules (facts §2, §5, §6)."""

from __future__ import annotations

import json
import struct
import tomllib
from pathlib import Path
from typing import Any

from .conftest import REPO

MANIFEST = REPO / ".claude-plugin" / "plugin.json"
MARKETPLACE = REPO / ".claude-plugin" / "marketplace.json"
ICON = REPO / ".claude-plugin" / "icon.png"
HOOKS = REPO / "hooks" / "hooks.json"

# Keys every Claude Code version accepts (older builds refuse unknown keys; facts §2).
COMPATIBLE_KEYS = {
    "name",
    "version",
    "description",
    "author",
    "homepage",
    "repository",
    "license",
    "keywords",
}


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def package_version() -> str:
    with (REPO / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def test_manifest_fields() -> None:
    manifest = load(MANIFEST)
    assert set(manifest) <= COMPATIBLE_KEYS, set(manifest) - COMPATIBLE_KEYS
    assert manifest["name"] == "omni-scale"
    assert (
        manifest["description"]
        == "Omni + Proxmox infrastructure provider management for Talos clusters"
    )
    assert manifest["author"] == {"name": "basher83"}
    assert manifest["license"] == "MIT"
    assert (REPO / "LICENSE").is_file()
    assert isinstance(manifest["repository"], str)
    assert manifest["homepage"].startswith("https://")
    assert manifest["keywords"] and all(isinstance(k, str) for k in manifest["keywords"])


def test_versions_agree_with_the_package() -> None:
    version = package_version()
    assert load(MANIFEST)["version"] == version
    entries = [p for p in load(MARKETPLACE)["plugins"] if p["name"] == "omni-scale"]
    assert len(entries) == 1
    assert entries[0]["version"] == version


def test_marketplace_lists_the_plugin_at_the_root() -> None:
    market = load(MARKETPLACE)
    assert market["name"] == "omni-scale"
    assert market["owner"]["name"]
    assert market["description"]
    (entry,) = market["plugins"]
    assert entry["source"] == "./"
    assert entry["description"] == load(MANIFEST)["description"]


def test_icon_is_a_square_png_of_listing_size() -> None:
    data = ICON.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert width == height
    assert 512 <= width <= 2048
    assert len(data) < 2 * 1024 * 1024
    # Not a blank square: the image data is far from trivially compressible.
    assert len(data) > 20_000


def test_hooks_json_runs_the_session_hook_quickly() -> None:
    hooks = load(HOOKS)
    (entry,) = hooks["hooks"]["SessionStart"]
    assert set(entry["matcher"].split("|")) == {"startup", "resume", "clear", "compact"}
    (hook,) = entry["hooks"]
    assert hook["type"] == "command"
    assert hook["command"] == 'python3 "${CLAUDE_PLUGIN_ROOT}/hooks/session_start.py"'
    assert isinstance(hook["timeout"], int)
    assert 1 <= hook["timeout"] <= 10
    assert (REPO / "hooks" / "session_start.py").is_file()


def test_component_directories_sit_at_the_root() -> None:
    for name in ("commands", "skills", "hooks"):
        assert (REPO / name).is_dir()
        assert not (REPO / ".claude-plugin" / name).exists()
    assert not list(REPO.glob("commands/*/"))  # flat: nested ones become omni-scale:a:b
