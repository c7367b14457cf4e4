"""The CLI contract: --version, --help, one-line errors, --json errors, -v, Ctrl-C, colour."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from omni_scale import __version__
from omni_scale.cli.lazy import module_exists
from omni_scale.cli.main import COMMANDS


def test_version_fast_path_and_through_click(cli: Any) -> None:
    assert cli("--version").out == f"omni-scale, version {__version__}\n"
    slow = cli("--no-color", "--version")
    assert slow.code == 0
    assert slow.out.strip() == f"omni-scale, version {__version__}"
    doc = cli("--version", "--json").json()
    assert doc == {"name": "omni-scale", "version": __version__}


def test_version_as_a_process(cli_proc: Any) -> None:
    result = cli_proc("--version")
    assert (result.code, result.out) == (0, f"omni-scale, version {__version__}\n")


def test_help_lists_every_command_group(cli: Any) -> None:
    result = cli("--help")
    assert result.code == 0
    listed = [name for name, module, _ in COMMANDS if module_exists(module)]
    assert {"lint", "state", "machineclass", "cluster", "completion"} <= set(listed)
    commands = result.out.split("Commands:", 1)[1]
    for name in listed:
        assert f"\n  {name} " in commands
    for option in ("--project-dir", "--json", "--no-color", "--verbose", "--version"):
        assert option in result.out
    assert "Exit codes" in result.out
    assert cli("-h").out == result.out


def test_unknown_command_one_line_exit_2(cli: Any) -> None:
    result = cli("frobnicate")
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("omni-scale: error: No such command 'frobnicate'")
    assert "hint: see omni-scale --help" in result.err


def test_bad_option_one_line_with_command_help_hint(cli: Any) -> None:
    result = cli("state", "show", "--bogus")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "--bogus" in result.err
    assert "see omni-scale state show --help" in result.err


def test_usage_error_under_json_is_one_document(cli: Any) -> None:
    result = cli("frobnicate", "--json")
    assert result.code == 2
    doc = result.json()
    assert doc["ok"] is False
    assert doc["error"]["exit_code"] == 2
    assert "frobnicate" in doc["error"]["message"]


def test_group_without_subcommand(cli: Any) -> None:
    plain = cli("state")
    assert plain.code == 2
    assert "Commands:" in plain.err and plain.out == ""
    as_json = cli("state", "--json")
    assert as_json.code == 2
    assert as_json.json()["error"]["message"] == "missing command"


def test_traceback_only_with_verbose(cli: Any, project: Path) -> None:
    quiet = cli("--project-dir", project, "state", "get", "no_such_key")
    assert quiet.code == 2
    assert "Traceback" not in quiet.err
    assert quiet.err.count("\n") == 1
    loud = cli("--project-dir", project, "state", "get", "no_such_key", "-v")
    assert loud.code == 2
    assert "Traceback" in loud.err
    assert loud.err.rstrip().splitlines()[-1].startswith("omni-scale: error: unknown state key")


def test_bad_project_dir_is_exit_2(cli: Any, tmp_path: Path) -> None:
    result = cli("state", "show", "--project-dir", tmp_path / "missing", "--json")
    assert result.code == 2
    assert "does not exist" in result.json()["error"]["message"]


def test_claude_project_dir_env_is_used(cli: Any, project: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("CLAUDE_PROJECT_DIR", str(project))
    doc = cli("state", "show", "--json").json()
    assert doc["path"] == str(project / ".claude" / "omni-scale.local.md")


def test_git_root_of_cwd_is_used(cli: Any, project: Path, monkeypatch: Any) -> None:
    (project / "clusters").mkdir()
    monkeypatch.chdir(project / "clusters")
    doc = cli("state", "show", "--json").json()
    assert doc["path"] == str(project / ".claude" / "omni-scale.local.md")


def test_ctrl_c_exits_130_with_one_line(project: Path) -> None:
    """SIGINT while `state set` waits for the lock another command holds."""
    state = project / ".claude" / "omni-scale.local.md"
    state.parent.mkdir()
    with FileLock(str(state) + ".lock"):
        argv = ["--project-dir", str(project), "state", "set", "default_cores=3"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "omni_scale", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stderr is not None
        waiting = proc.stderr.readline()  # the progress line: it is blocked on the lock now
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert "waiting for another omni-scale command" in waiting
    assert proc.returncode == 130, err
    # click prints a newline after ^C (the terminal echoed "^C" mid-line); then one line
    assert err.strip() == "omni-scale: error: interrupted"
    assert out == ""
    assert not state.exists()


def test_broken_pipe_is_quiet(project: Path) -> None:
    reader = subprocess.Popen(["head", "-c", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    writer = subprocess.run(
        [sys.executable, "-m", "omni_scale", "--project-dir", str(project), "state", "show"],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
        timeout=30,
        env={**os.environ, "COLUMNS": "40"},
    )
    assert reader.stdin is not None
    reader.stdin.close()
    reader.wait(timeout=10)
    assert "Traceback" not in writer.stderr
    assert "Exception ignored" not in writer.stderr


def test_no_color_option_and_env(cli_proc: Any, project: Path) -> None:
    env = {"FORCE_COLOR": "1", "NO_COLOR": ""}
    coloured = cli_proc("--project-dir", project, "state", "show", env=env)
    assert "\x1b[" in coloured.out
    plain = cli_proc("--project-dir", project, "state", "show", "--no-color", env=env)
    assert "\x1b[" not in plain.out
    assert "provider_id" in plain.out
    by_env = cli_proc("--project-dir", project, "state", "show", env={**env, "NO_COLOR": "1"})
    assert "\x1b[" not in by_env.out


HEAVY = ("rich", "ruamel", "httpx", "jsonschema", "cel_expr_python", "filelock")


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["state", "--help"]])
def test_fast_paths_import_no_heavy_library(args: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "omni_scale", *args],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0
    imported = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in proc.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert imported, proc.stderr[:500]
    assert not imported & set(HEAVY)
    if args == ["--version"]:
        assert "click" not in imported


def test_non_utf8_terminal_does_not_crash(cli_proc: Any, project: Path) -> None:
    state = project / ".claude" / "omni-scale.local.md"
    state.parent.mkdir()
    state.write_text("---\ndefault_bridge: brü☃\n---\n", encoding="utf-8")
    env = {"PYTHONIOENCODING": "ascii"}
    plain = cli_proc("--project-dir", project, "state", "get", "default_bridge", env=env)
    assert (plain.code, plain.out) == (0, "br\\xfc\\u2603\n")
    as_json = cli_proc(
        "--project-dir", project, "state", "get", "default_bridge", "--json", env=env
    )
    assert as_json.json()["value"] == "brü☃"
