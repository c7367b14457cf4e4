"""The plugin's slash commands: frontmatter, allow rules that match their `!` blocks, CLI names."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .cli_surface import (
    CLI_GROUPS,
    CLI_PATHS,
    NOT_FOR_PLUGIN,
    READ_ONLY,
    STATE_CHANGING,
    WRITES_PROJECT_FILES,
)
from .conftest import REPO

COMMANDS_DIR = REPO / "commands"
EXPECTED = {
    "provider-setup",
    "provider-status",
    "provider-up",
    "provider-down",
    "provider-restart",
    "machineclass-create",
    "machineclass-plan",
    "machineclass-apply",
    "cluster-create",
    "cluster-sync",
    "cluster-status",
    "check",
    "provider-remove",
    "machineclass-delete",
    "cluster-delete",
}
# Commands only the user can start (`disable-model-invocation: true`): they write files or
# change what runs in Omni, Docker or Proxmox.
USER_ONLY = {
    "provider-setup",
    "provider-up",
    "provider-down",
    "provider-restart",
    "machineclass-create",
    "machineclass-apply",
    "cluster-create",
    "cluster-sync",
    "provider-remove",
    "machineclass-delete",
    "cluster-delete",
}

LAUNCHER = '"${CLAUDE_PLUGIN_ROOT}/scripts/omni-scale"'
PREFIX = f'CLAUDE_PLUGIN_DATA="${{CLAUDE_PLUGIN_DATA}}" {LAUNCHER}'
CLI_FORM = f'{PREFIX} --project-dir "${{CLAUDE_PROJECT_DIR}}"'
RULE = re.compile(r"^Bash\((?P<prefix>.+):\*\)$")
BANG = re.compile(r"!`([^`]+)`")


def split(path: Path) -> tuple[str, dict[str, Any], str]:
    from ruamel.yaml import YAML

    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{path.name}: no frontmatter"
    front, body = text[4:].split("\n---\n", 1)
    return front, YAML(typ="safe", pure=True).load(front), body


def all_commands() -> list[Path]:
    return sorted(COMMANDS_DIR.glob("*.md"))


def allowed_tools(front: dict[str, Any]) -> list[str]:
    tools = front["allowed-tools"]
    assert isinstance(tools, list), "allowed-tools: one rule a line (a YAML list)"
    assert all(isinstance(t, str) for t in tools)
    return tools


def rule_prefixes(front: dict[str, Any]) -> list[str]:
    prefixes = []
    for tool in allowed_tools(front):
        if tool.startswith("Bash"):
            match = RULE.match(tool)
            assert match, f"not a prefix rule: {tool}"
            prefixes.append(match["prefix"])
    return prefixes


def subcommands(front: dict[str, Any]) -> list[str]:
    """The CLI subcommands a command's Bash rules pre-approve (`provider status`, `check`)."""
    found = []
    for prefix in rule_prefixes(front):
        assert prefix.startswith(CLI_FORM + " "), f"a rule for another program: {prefix}"
        found.append(prefix[len(CLI_FORM) + 1 :])
    return found


def prefix_matches(prefix: str, command: str) -> bool:
    """Claude Code's `Bash(prefix:*)`: the command is the prefix, or the prefix and a space."""
    return command == prefix or command.startswith(prefix + " ")


def test_the_expected_flat_commands_exist() -> None:
    assert {p.stem for p in all_commands()} == EXPECTED


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: p.stem)
def test_frontmatter(path: Path) -> None:
    raw, front, _ = split(path)
    assert isinstance(front["description"], str)
    assert 20 <= len(front["description"]) <= 200
    assert re.search(r'^argument-hint: ".+"$', raw, re.M), "argument-hint must be quoted"
    tools = allowed_tools(front)
    # Narrow: exact launcher subcommands plus read-only tools, never a broad Bash or a write tool.
    assert {t for t in tools if not t.startswith("Bash")} <= {"Read", "Glob", "Grep"}
    assert subcommands(front), "no CLI subcommand allowed"
    assert front.get("disable-model-invocation", False) is (path.stem in USER_ONLY)


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: p.stem)
def test_rules_name_exact_subcommands_of_the_cli(path: Path) -> None:
    _, front, _ = split(path)
    for words in subcommands(front):
        assert words in CLI_PATHS, f"{words!r} is not an omni-scale (sub)command"
        assert words not in CLI_GROUPS, f"{words!r} is a group: it would allow all of {words} *"


@pytest.mark.parametrize(
    "path", [p for p in all_commands() if p.stem not in USER_ONLY], ids=lambda p: p.stem
)
def test_commands_claude_may_start_allow_only_read_only_subcommands(path: Path) -> None:
    _, front, _ = split(path)
    assert "disable-model-invocation" not in front
    for words in subcommands(front):
        assert words in READ_ONLY, f"{path.stem} may be started by Claude but allows {words!r}"
    # No rule of the command matches a state-changing or file-writing call.
    for words in STATE_CHANGING | WRITES_PROJECT_FILES:
        for call in (f"{CLI_FORM} {words} --json", f"{CLI_FORM} {words}"):
            assert not [r for r in rule_prefixes(front) if prefix_matches(r, call)], call


def test_the_prefix_matcher_can_fail() -> None:
    """The check above would catch the old rule that allowed every subcommand."""
    old_rule = PREFIX
    assert prefix_matches(old_rule, f"{CLI_FORM} provider down --json")
    assert not prefix_matches(f"{CLI_FORM} provider status", f"{CLI_FORM} provider down")


def test_state_changing_subcommands_are_reachable_only_from_user_commands() -> None:
    reachable: dict[str, set[str]] = {}
    for path in all_commands():
        _, front, _ = split(path)
        for words in subcommands(front):
            reachable.setdefault(words, set()).add(path.stem)
    for words in STATE_CHANGING & set(reachable):
        assert reachable[words] <= USER_ONLY, (words, reachable[words])
    # The core set has a command the user runs (remove/delete may come later).
    core = {
        "provider up",
        "provider down",
        "provider restart",
        "provider setup",
        "machineclass apply",
        "cluster template sync",
        "provider remove",
        "machineclass delete",
        "cluster delete",
    }
    assert core <= set(reachable), core - set(reachable)


def test_read_only_and_state_changing_cover_the_cli() -> None:
    """A new subcommand must be classified before a command may allow it."""
    assert not READ_ONLY & STATE_CHANGING
    leaves = CLI_PATHS - CLI_GROUPS
    unclassified = leaves - READ_ONLY - STATE_CHANGING - WRITES_PROJECT_FILES - NOT_FOR_PLUGIN
    assert not unclassified, unclassified


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: p.stem)
def test_bang_blocks_match_an_allow_rule_and_load_the_state(path: Path) -> None:
    _, front, body = split(path)
    blocks = BANG.findall(body)
    assert blocks, "a `!` block must load the current state"
    for block in blocks:
        # Permission check: the command text must start with an allowed prefix (facts §3);
        # `|| true` keeps a failing CLI call from aborting the whole command.
        assert block.endswith(" --json 2>&1 || true"), block
        call = block.removesuffix(" 2>&1 || true")
        assert any(prefix_matches(r, call) for r in rule_prefixes(front)), block
        assert "$ARGUMENTS" not in block  # user text never reaches a shell
    assert f"{CLI_FORM} state show --json 2>&1 || true" in blocks


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
