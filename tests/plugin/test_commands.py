"""The plugin's slash commands: frontmatter, allow rules that match their `!` blocks, CLI names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO

COMMANDS_DIR = REPO / "commands"
EXPECTED = {
    "provider-setup",
    "provider-status",
    "machineclass-create",
    "machineclass-plan",
    "cluster-create",
    "cluster-status",
    "check",
}
STATE_CHANGING = {"provider-setup", "machineclass-create", "cluster-create"}

LAUNCHER = '"${CLAUDE_PLUGIN_ROOT}/scripts/omni-scale"'
PREFIX = f'CLAUDE_PLUGIN_DATA="${{CLAUDE_PLUGIN_DATA}}" {LAUNCHER}'
ALLOW_RULE = f"Bash({PREFIX}:*)"
CLI_FORM = f'{PREFIX} --project-dir "${{CLAUDE_PROJECT_DIR}}"'
BANG = re.compile(r"!`([^`]+)`")


def split(path: Path) -> tuple[str, dict[str, Any], str]:
    from ruamel.yaml import YAML

    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{path.name}: no frontmatter"
    front, body = text[4:].split("\n---\n", 1)
    return front, YAML(typ="safe", pure=True).load(front), body


def all_commands() -> list[Path]:
    return sorted(COMMANDS_DIR.glob("*.md"))


def test_the_expected_flat_commands_exist() -> None:
    assert {p.stem for p in all_commands()} == EXPECTED


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: p.stem)
def test_frontmatter(path: Path) -> None:
    raw, front, _ = split(path)
    assert isinstance(front["description"], str)
    assert 20 <= len(front["description"]) <= 200
    assert re.search(r'^argument-hint: ".+"$', raw, re.M), "argument-hint must be quoted"
    tools = [t.strip() for t in re.split(r",\s*(?=[A-Z])", front["allowed-tools"])]
    assert tools[0] == ALLOW_RULE
    # Narrow: the launcher rule plus read-only tools, never a broad Bash or a write tool.
    assert set(tools[1:]) <= {"Read", "Glob", "Grep"}
    assert front.get("disable-model-invocation", False) is (path.stem in STATE_CHANGING)


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: p.stem)
def test_bang_blocks_match_the_allow_rule_and_load_the_state(path: Path) -> None:
    _, _, body = split(path)
    blocks = BANG.findall(body)
    assert blocks, "a `!` block must load the current state"
    for block in blocks:
        # Permission check: the command text must start with the allowed prefix (facts §3);
        # `|| true` keeps a failing CLI call from aborting the whole command.
        assert block.startswith(CLI_FORM + " "), block
        assert block.endswith(" --json 2>&1 || true"), block
        assert "$ARGUMENTS" not in block  # user text never reaches a shell
    assert f"{CLI_FORM} state show --json 2>&1 || true" in blocks


def cli_groups() -> dict[str, str]:
    from omni_scale.cli.main import COMMANDS

    return {name: module for name, module, _ in COMMANDS}


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: p.stem)
def test_bang_blocks_call_real_cli_commands(path: Path) -> None:
    groups = cli_groups()
    _, _, body = split(path)
    for block in BANG.findall(body):
        words = block[len(CLI_FORM) :].split()
        assert words[0] in groups, f"unknown CLI command {words[0]!r} in {block}"


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: p.stem)
def test_body_tells_claude_how_to_run_the_cli_safely(path: Path) -> None:
    _, _, body = split(path)
    assert f"{CLI_FORM} <command> --json" in body  # the exact form the allow rule matches
    assert "$ARGUMENTS" in body
    assert re.search(r"[Nn]ever (print|ask)[^.]*secret", body), "no secret rule"
    assert re.search(r"[Nn]ext step", body)


def test_setup_points_to_the_hidden_prompt_and_files_for_secrets() -> None:
    _, _, body = split(COMMANDS_DIR / "provider-setup.md")
    assert "hidden prompt" in body
    assert "--key-file" in body
    assert "--token-secret-file" in body
    assert "omnictl infraprovider create" in body
    assert "paste" in body


def test_launcher_script_is_executable_posix_sh() -> None:
    launcher = REPO / "scripts" / "omni-scale"
    assert launcher.stat().st_mode & 0o111
    assert launcher.read_text(encoding="utf-8").startswith("#!/bin/sh\n")


def test_every_slash_command_mentioned_exists() -> None:
    sources = [
        *all_commands(),
        REPO / "skills" / "omni-proxmox" / "SKILL.md",
        *sorted((REPO / "skills" / "omni-proxmox" / "references").glob("*.md")),
        REPO / "hooks" / "session_start.py",
        REPO / "settings.md",
        REPO / "docs" / "plugin.md",
    ]
    mentioned: set[str] = set()
    for path in sources:
        mentioned.update(re.findall(r"/omni-scale:([a-z-]+)", path.read_text(encoding="utf-8")))
    assert mentioned, "no slash command mentioned anywhere"
    assert mentioned <= EXPECTED, mentioned - EXPECTED
