"""`omni-scale state show | get | set`, in-process and as real concurrent processes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from omni_scale.state import read_state

STATE = Path(".claude/omni-scale.local.md")


def test_show_defaults_without_file(cli: Any, project: Path) -> None:
    result = cli("--project-dir", project, "state", "show", "--json")
    assert result.code == 0, result.err
    doc = result.json()
    assert doc["exists"] is False
    assert doc["path"] == str(project / STATE)
    assert doc["state"]["provider_id"] == "proxmox"
    assert doc["state"]["provider_configured"] is False
    assert not (project / STATE).exists()


def test_show_human_table(cli: Any, project: Path) -> None:
    result = cli("--project-dir", project, "state", "show")
    assert result.code == 0
    assert "no file yet" in result.out
    assert "default_memory" in result.out and "4096" in result.out


def test_set_then_get(cli: Any, project: Path) -> None:
    result = cli(
        "--project-dir",
        project,
        "state",
        "set",
        "default_cores=4",
        "omni_endpoint=https://o.example.invalid",
    )
    assert result.code == 0, result.err
    assert "default_cores = 4" in result.out
    got = cli("--project-dir", project, "--json", "state", "get", "default_cores")
    assert got.json() == {"key": "default_cores", "value": 4}
    plain = cli("--project-dir", project, "state", "get", "omni_endpoint")
    assert plain.out.strip() == "https://o.example.invalid"
    assert stat.S_IMODE((project / STATE).stat().st_mode) == 0o600


def test_set_json_and_gitignore(cli: Any, project: Path) -> None:
    result = cli("--project-dir", project, "state", "set", "provider_configured=true", "--json")
    doc = result.json()
    assert doc["created"] is True
    assert doc["updated"] == {"provider_configured": True}
    assert ".claude/*.local.md" in (project / ".gitignore").read_text().splitlines()


def test_get_unset_key_prints_default(cli: Any, project: Path) -> None:
    result = cli("--project-dir", project, "state", "get", "omnictl_path", "--json")
    assert result.json() == {"key": "omnictl_path", "value": None}


def test_unknown_key_without_and_with_force(cli: Any, project: Path) -> None:
    refused = cli("--project-dir", project, "state", "set", "my_note=hello")
    assert refused.code == 2
    assert refused.out == ""
    assert "unknown state key 'my_note'" in refused.err
    assert "--force" in refused.err
    assert len(refused.err.strip().splitlines()) == 1
    refused_json = cli("--project-dir", project, "--json", "state", "set", "my_note=hello")
    assert refused_json.json()["ok"] is False
    assert refused_json.json()["error"]["exit_code"] == 2
    forced = cli("--project-dir", project, "state", "set", "--force", "my_note=hello")
    assert forced.code == 0
    assert cli("--project-dir", project, "state", "get", "my_note").out.strip() == "hello"
    unknown_get = cli("--project-dir", project, "state", "get", "nothing_here")
    assert unknown_get.code == 2


@pytest.mark.parametrize("bad", ["novalue", "=4", "default_cores=x", "default_memory=100"])
def test_set_bad_input_exit_2(cli: Any, project: Path, bad: str) -> None:
    result = cli("--project-dir", project, "state", "set", bad)
    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1
    assert not (project / STATE).exists()


def test_body_and_comments_survive_cli_update(cli: Any, project: Path) -> None:
    path = project / STATE
    path.parent.mkdir()
    original = "---\n# why: lab\nprovider_id: proxmox  # matches compose\n---\n\n# Notes\n\nmine\n"
    path.write_text(original)
    assert cli("--project-dir", project, "state", "set", "default_disk=60").code == 0
    assert path.read_text() == original.replace(
        "# matches compose\n", "# matches compose\ndefault_disk: 60\n"
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\nprovider_id: proxmox\ndefault_cores: [1,\n---\nbody\n", 4),
        ("---\nprovider_id: proxmox\ndefault_cores: lots\n---\nbody\n", 3),
        ("---\nprovider_id: proxmox\nbody but no closing line\n", 3),
    ],
    ids=["bad-yaml", "wrong-type", "no-closing-delimiter"],
)
@pytest.mark.parametrize("args", [("state", "show"), ("state", "set", "default_disk=60")])
def test_broken_state_file_exit_2_one_line_not_rewritten(
    cli: Any, project: Path, text: str, line: int, args: tuple[str, ...]
) -> None:
    # in-process: main() is where the one-line error is made (as_a_process below checks the
    # entry point prints the same)
    path = project / STATE
    path.parent.mkdir()
    path.write_text(text)
    result = cli("--project-dir", project, *args)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert f"{path}:{line}" in lines[0]
    assert "hint:" in lines[0]
    assert "Traceback" not in result.err
    assert path.read_text() == text
    as_json = cli("--project-dir", project, "--json", *args)
    error = as_json.json()["error"]
    assert (error["path"], error["line"], error["exit_code"]) == (str(path), line, 2)


def test_broken_state_file_as_a_process(cli_proc: Any, cli: Any, project: Path) -> None:
    path = project / STATE
    path.parent.mkdir()
    path.write_text("---\nprovider_id: proxmox\ndefault_cores: [1,\n---\nbody\n")
    for args in (("state", "show"), ("--json", "state", "set", "default_disk=60")):
        proc, in_process = (
            cli_proc("--project-dir", project, *args),
            cli("--project-dir", project, *args),
        )
        assert (proc.code, proc.out, proc.err) == (2, in_process.out, in_process.err)


def test_twenty_concurrent_processes_lose_no_update(project: Path) -> None:
    """20 real `state set` processes at once, each on its own key: all 20 values land."""
    path = project / STATE
    path.parent.mkdir()
    path.write_text("---\nprovider_id: proxmox  # keep this comment\n---\n\nbody stays\n")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "omni_scale",
                "--project-dir",
                str(project),
                "state",
                "set",
                "--force",
                f"key_{n:02d}={n}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
        )
        for n in range(20)
    ]
    errors = []
    for proc in procs:
        _out, err = proc.communicate(timeout=90)
        if proc.returncode != 0:
            errors.append(err.decode())
    assert errors == []
    values = read_state(path)
    assert {f"key_{n:02d}": n for n in range(20)}.items() <= values.items()
    text = path.read_text()
    assert "# keep this comment" in text
    assert text.endswith("---\n\nbody stays\n")
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
