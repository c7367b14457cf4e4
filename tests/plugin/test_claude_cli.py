"""The plugin as the pinned Claude Code CLI sees it: validate, load, and a headless run.

Offline and without an account: `claude -p` loads the plugin, runs the SessionStart hook and
expands the command (running its `!` blocks), then stops at "Not logged in" (facts §9). The
session transcript under $HOME/.claude/projects/ shows what happened.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO, base_env, copy_plugin

pytestmark = pytest.mark.needs_claude

DOCS = REPO / "docs" / "plugin.md"
NOISE = ("⚠", "Warning", "warning", "Advice", "✘")


def claude(
    claude_bin: str, home: Path, *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [claude_bin, *args],
        capture_output=True,
        text=True,
        env=base_env(home),
        cwd=cwd or home,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_plugin_parts_validate_strictly_for_the_directory(
    claude_bin: str, claude_home: Path, tmp_path: Path
) -> None:
    """Our files alone (README = docs/plugin.md) pass --strict --profile directory, no advice."""
    copy = copy_plugin(tmp_path / "plugin", readme=DOCS.read_text(encoding="utf-8"))
    proc = claude(
        claude_bin,
        claude_home,
        "plugin",
        "validate",
        "--strict",
        "--profile",
        "directory",
        str(copy),
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "Validation passed" in output
    for word in NOISE:
        assert word not in output, output
    for name in ("provider-setup", "provider-status", "check", "omni-proxmox"):
        assert f"omni-scale:{name}" in output


def test_repository_validates_without_warnings_or_advice(
    claude_bin: str, claude_home: Path
) -> None:
    """What .ci/run checks: `claude plugin validate .` on the repository itself.

    Needs the README's install line (`/plugin install omni-scale@omni-scale`), which the README
    gets from docs/plugin.md.
    """
    proc = claude(claude_bin, claude_home, "plugin", "validate", str(REPO))
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    for word in NOISE:
        assert word not in output, output


def test_validate_json_reports_every_component(claude_bin: str, claude_home: Path) -> None:
    proc = claude(claude_bin, claude_home, "plugin", "validate", "--json", str(REPO))
    document = json.loads(proc.stdout)
    text = json.dumps(document)
    for name in (
        "provider-setup",
        "machineclass-create",
        "cluster-status",
        "omni-proxmox",
        "troubleshooter",
    ):
        assert name in text
    assert "SessionStart" in text
    assert "mcpServers" in text


def test_plugin_loads_without_errors(claude_bin: str, claude_home: Path) -> None:
    proc = claude(claude_bin, claude_home, "--plugin-dir", str(REPO), "plugin", "list", "--json")
    assert proc.returncode == 0, proc.stderr
    plugins = json.loads(proc.stdout)
    (entry,) = [p for p in plugins if p["id"].startswith("omni-scale@")]
    assert entry["enabled"] is True
    manifest = json.loads((REPO / ".claude-plugin" / "plugin.json").read_text(encoding="utf-8"))
    assert entry["version"] == manifest["version"]
    assert Path(entry["installPath"]) == REPO
    # A load failure shows up as "errors"/"errorDetails" (e.g. "Hook load failed: ...").
    assert "errors" not in entry, entry
    assert "errorDetails" not in entry, entry


def transcript(home: Path) -> list[dict[str, Any]]:
    files = list((home / ".claude" / "projects").glob("*/*.jsonl"))
    assert len(files) == 1, files
    return [json.loads(line) for line in files[0].read_text(encoding="utf-8").splitlines()]


def user_texts(records: list[dict[str, Any]]) -> list[str]:
    texts = []
    for record in records:
        if record.get("type") != "user":
            continue
        content = record["message"]["content"]
        if isinstance(content, str):
            texts.append(content)
        else:
            texts.extend(part.get("text", "") for part in content)
    return texts


def attachments(records: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [
        r["attachment"]
        for r in records
        if r.get("type") == "attachment" and r["attachment"].get("type") == kind
    ]


def headless(
    claude_bin: str, home: Path, project: Path, prompt: str
) -> tuple[str, list[dict[str, Any]]]:
    """Run `claude -p PROMPT` in `project`; (debug log, transcript records)."""
    debug = home / "debug.txt"
    proc = claude(
        claude_bin,
        home,
        "-p",
        "--debug-file",
        str(debug),
        "--plugin-dir",
        str(REPO),
        prompt,
        cwd=project,
    )
    output = proc.stdout + proc.stderr
    assert "Not logged in" in output, output
    assert "Shell command" not in output, output  # neither "failed" nor "permission check failed"
    log = debug.read_text(encoding="utf-8")
    # The SessionStart hook of this plugin ran and exited 0.
    assert re.search(
        r"Hooks: SessionStart:startup \[python3 \"[^\"]*/hooks/session_start\.py\"\] "
        r"\(plugin omni-scale@[\w-]+\) finished with status 0",
        log,
    ), log
    return log, transcript(home)


def test_headless_provider_status_in_the_example_project(
    claude_bin: str, claude_home: Path, tmp_path: Path
) -> None:
    project = tmp_path / "homelab"
    shutil.copytree(REPO / "examples" / "homelab", project)
    _, records = headless(claude_bin, claude_home, project, "/omni-scale:provider-status")

    # The SessionStart hook ran and its summary reached the model's context.
    (hook,) = [h for h in attachments(records, "hook_success") if h["hookEvent"] == "SessionStart"]
    assert hook["exitCode"] == 0
    assert hook["command"] == 'python3 "${CLAUDE_PLUGIN_ROOT}/hooks/session_start.py"'
    (extra,) = attachments(records, "hook_additional_context")
    assert "omni-scale project" in extra["content"][0]
    assert "/omni-scale:provider-setup" in extra["content"][0]

    # The command expanded, its `!` blocks ran (allowed by the rule) and loaded the state.
    texts = "\n".join(user_texts(records))
    assert "<command-name>/omni-scale:provider-status</command-name>" in texts
    assert '"provider_configured": false' in texts
    assert f'"path": "{project / ".claude" / "omni-scale.local.md"}"' in texts
    assert "!`" not in texts  # every block was replaced by its output
    assert "No such command" not in texts  # both blocks call commands that exist
    assert "${CLAUDE_PLUGIN_ROOT}" not in texts  # substituted
    (permissions,) = attachments(records, "command_permissions")
    assert any("scripts/omni-scale" in rule for rule in permissions["allowedTools"])

    # The skill is offered to the model.
    listing = " ".join(a.get("content", "") for a in attachments(records, "skill_listing"))
    assert "omni-scale:omni-proxmox" in listing


def test_headless_command_in_a_project_without_state(
    claude_bin: str, claude_home: Path, tmp_path: Path
) -> None:
    project = tmp_path / "fresh"
    project.mkdir()
    _, records = headless(claude_bin, claude_home, project, "/omni-scale:check")
    # The hook ran (checked in headless()) and said nothing: no context, no plain-text output.
    hooks = [h for h in attachments(records, "hook_success") if h["hookEvent"] == "SessionStart"]
    assert all(not h.get("stdout") for h in hooks)
    assert not attachments(records, "hook_additional_context")
    texts = "\n".join(user_texts(records))
    assert '"exists": false' in texts
    assert not (project / ".claude").exists()  # loading the state creates nothing


RECORDER = """#!/bin/sh
# Stands in for the launcher: records each call, runs nothing.
printf '%s\\n' "$*" >> "$(dirname "$0")/calls.log"
printf '{"ok": true}\\n'
"""
CLI_FORM = (
    'CLAUDE_PLUGIN_DATA="${CLAUDE_PLUGIN_DATA}" "${CLAUDE_PLUGIN_ROOT}/scripts/omni-scale" '
    '--project-dir "${CLAUDE_PROJECT_DIR}"'
)


def recording_plugin(dest: Path) -> Path:
    """The plugin's parts with a launcher that only records what it was asked to run."""
    copy = copy_plugin(dest)
    launcher = copy / "scripts" / "omni-scale"
    launcher.write_text(RECORDER, encoding="utf-8")
    launcher.chmod(0o755)
    return copy


def add_block(command: Path, words: str) -> None:
    """Append a `!` block that runs `words` through the launcher, as the issue's test did."""
    text = command.read_text(encoding="utf-8")
    command.write_text(text + f"\nInjected: !`{CLI_FORM} {words} --json 2>&1 || true`\n")


def run_copy(
    claude_bin: str, home: Path, plugin: Path, project: Path, prompt: str
) -> tuple[str, list[str]]:
    proc = claude(claude_bin, home, "-p", "--plugin-dir", str(plugin), prompt, cwd=project)
    log = plugin / "scripts" / "calls.log"
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    # Claude Code also starts the plugin's MCP server (.mcp.json) through the launcher.
    return proc.stdout + proc.stderr, [c for c in calls if not c.endswith(" mcp")]


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("provider-status", "provider down"),
        ("cluster-status", "provider up"),
        ("check", "machineclass apply --all"),
        ("machineclass-plan", "cluster template sync clusters/homelab.yaml"),
    ],
)
def test_a_command_claude_may_start_cannot_run_a_state_changing_subcommand(
    claude_bin: str, claude_home: Path, tmp_path: Path, command: str, words: str
) -> None:
    plugin = recording_plugin(tmp_path / "plugin")
    add_block(plugin / "commands" / f"{command}.md", words)
    project = tmp_path / "project"
    project.mkdir()
    output, calls = run_copy(claude_bin, claude_home, plugin, project, f"/omni-scale:{command}")
    assert "Shell command permission check failed" in output, output
    assert f"{words} --json" in output and "requires approval" in output, output
    assert not [c for c in calls if words in c], calls  # refused before anything ran


def test_the_refusal_comes_from_the_narrow_rules(
    claude_bin: str, claude_home: Path, tmp_path: Path
) -> None:
    """Control: the same injected block under the old rule (any subcommand) runs `provider down`,
    and the unmodified command runs its own read-only blocks."""
    plugin = recording_plugin(tmp_path / "plugin")
    project = tmp_path / "project"
    project.mkdir()
    command = plugin / "commands" / "provider-status.md"
    output, calls = run_copy(
        claude_bin, claude_home, plugin, project, "/omni-scale:provider-status"
    )
    assert "permission check failed" not in output, output
    assert sorted(calls) == [  # the blocks run concurrently
        f"--project-dir {project} provider status --json",
        f"--project-dir {project} state show --json",
    ]

    add_block(command, "provider down")
    text = command.read_text(encoding="utf-8")
    broad = (
        'Bash(CLAUDE_PLUGIN_DATA="${CLAUDE_PLUGIN_DATA}" "${CLAUDE_PLUGIN_ROOT}/scripts/omni-scale"'
    )
    broad += ":*)"
    front, body = text.split("\n---\n", 1)
    front = re.sub(r"allowed-tools:\n(  - .*\n)+", f"allowed-tools: '{broad}'\n", front + "\n")
    command.write_text(front.rstrip("\n") + "\n---\n" + body, encoding="utf-8")
    (plugin / "scripts" / "calls.log").unlink()
    output, calls = run_copy(
        claude_bin, claude_home, plugin, project, "/omni-scale:provider-status"
    )
    assert "permission check failed" not in output, output
    assert f"--project-dir {project} provider down --json" in calls


def test_the_skill_grants_read_only_launcher_rules(
    claude_bin: str, claude_home: Path, tmp_path: Path
) -> None:
    """Claude Code substitutes ${CLAUDE_PLUGIN_ROOT}/${CLAUDE_PROJECT_DIR} in the skill's rules and
    body, so the line the skill teaches is the line its rules allow."""
    project = tmp_path / "fresh"
    project.mkdir()
    _, records = headless(claude_bin, claude_home, project, "/omni-scale:omni-proxmox")
    (permissions,) = attachments(records, "command_permissions")
    rules = permissions["allowedTools"]
    launcher = f'"{REPO}/scripts/omni-scale" --project-dir "{project}"'
    bash = [r for r in rules if r.startswith("Bash(")]
    assert bash and all(launcher in r for r in bash), bash
    assert any(r.endswith(f"{launcher} provider status:*)") for r in bash)
    assert not [r for r in bash if " provider up" in r or " apply" in r or " sync" in r]
    texts = "\n".join(user_texts(records))
    assert f"{launcher} ARGS --json" in texts


def test_claude_starts_the_mcp_server_for_the_project(
    claude_bin: str, claude_home: Path, tmp_path: Path
) -> None:
    """.mcp.json's ${CLAUDE_PLUGIN_ROOT}/${CLAUDE_PROJECT_DIR} are substituted: the server
    starts through the launcher with the session's project."""
    plugin = recording_plugin(tmp_path / "plugin")
    project = tmp_path / "project"
    project.mkdir()
    claude(claude_bin, claude_home, "-p", "--plugin-dir", str(plugin), "hello", cwd=project)
    log = (plugin / "scripts" / "calls.log").read_text(encoding="utf-8").splitlines()
    assert f"--project-dir {project} mcp" in log


def test_docs_figures_are_what_the_bench_prints(claude_bin: str, claude_home: Path) -> None:
    """docs/plugin.md shows bench/hook.py's output: the always-on token line is the one
    `claude plugin details` prints now, and the hook ratios meet the 1.3x goal."""
    docs = DOCS.read_text(encoding="utf-8")
    shown = re.search(r"^plugin details: (Always-on:.*)$", docs, re.M)
    assert shown, "docs/plugin.md lacks bench/hook.py's output"
    proc = claude(
        claude_bin, claude_home, "--plugin-dir", str(REPO), "plugin", "details", "omni-scale"
    )
    live = [line.strip() for line in proc.stdout.splitlines() if "Always-on:" in line]
    assert live == [shown.group(1).strip()]
    tokens = re.search(r"~(\d+) tok", live[0])
    assert tokens and f"~{tokens.group(1)} always-on tokens" in docs
    ratios = re.findall(r"^  (?:no state file|state file)\s+\S+ms\s+\S+ms\s+([\d.]+)x", docs, re.M)
    assert len(ratios) == 2 and all(float(r) <= 1.3 for r in ratios), ratios
