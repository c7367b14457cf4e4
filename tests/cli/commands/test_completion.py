"""Shell completion: the scripts, click's env-var protocol through main(), and real bash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o nosort -F"), ("zsh", "#compdef omni-scale"), ("fish", "complete")],
)
def test_completion_prints_script(cli: Any, shell: str, marker: str) -> None:
    result = cli("completion", shell)
    assert result.code == 0
    assert "_OMNI_SCALE_COMPLETE" in result.out
    assert marker in result.out


def test_completion_rejects_unknown_shell(cli: Any) -> None:
    result = cli("completion", "tcsh")
    assert result.code == 2
    assert "tcsh" in result.err


def complete(words: str, cword: int, shell: str = "bash") -> list[str]:
    """Run click's completion protocol against a real `python -m omni_scale` process."""
    env = {
        **os.environ,
        "_OMNI_SCALE_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "omni_scale"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout.splitlines()


def test_env_var_protocol_completes_commands() -> None:
    assert "plain,state" in complete("omni-scale st", 1)
    top = complete("omni-scale ", 1)
    for name in ("plain,lint", "plain,state", "plain,completion"):
        assert name in top


def test_env_var_protocol_completes_subcommands_and_keys() -> None:
    assert complete("omni-scale state ", 2) == ["plain,get", "plain,set", "plain,show"]
    assert complete("omni-scale --json state s", 3) == ["plain,set", "plain,show"]
    assert complete("omni-scale state get default_m", 3) == ["plain,default_memory"]
    assert complete("omni-scale state set provider_con", 3) == ["plain,provider_configured="]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_real_bash_uses_the_script(cli: Any) -> None:
    script = cli("completion", "bash").out
    bindir = Path(sys.executable).parent
    if not (bindir / "omni-scale").exists():
        pytest.skip("the omni-scale console script is not installed next to the interpreter")
    program = (
        script
        + "\nCOMP_WORDS=(omni-scale state sh); COMP_CWORD=2"
        + "\n_omni_scale_completion omni-scale"
        + '\nprintf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    proc = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        env={**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["show"]


def test_completion_json(cli: Any) -> None:
    doc = cli("completion", "zsh", "--json").json()
    assert doc["shell"] == "zsh"
    assert "_OMNI_SCALE_COMPLETE" in doc["script"]
    assert "compinit" in doc["install"]


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_install_is_idempotent_and_keeps_the_rc_file(cli: Any, shell: str) -> None:
    home = Path(os.environ["HOME"])
    rc = home / f".{shell}rc"
    rc.write_text("export EDITOR=vi")  # no final newline
    first = cli("completion", shell, "--install", "--json").json()
    script = Path(first["script_file"])
    assert first["rc_changed"] is True and first["script_changed"] is True
    assert "_OMNI_SCALE_COMPLETE" in script.read_text()
    lines = rc.read_text().splitlines()
    assert lines[0] == "export EDITOR=vi"
    assert lines[1] == f'[ -f "{script}" ] && . "{script}"  # omni-scale shell completion'
    again = cli("completion", shell, "--install", "--json").json()
    assert (again["rc_changed"], again["script_changed"]) == (False, False)
    assert rc.read_text().count("omni-scale shell completion") == 1


def test_install_fish_writes_autoload_file(cli: Any) -> None:
    result = cli("completion", "fish", "--install")
    assert result.code == 0
    target = Path(os.environ["HOME"]) / ".config" / "fish" / "completions" / "omni-scale.fish"
    assert "_OMNI_SCALE_COMPLETE" in target.read_text()
    assert str(target) in result.out


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_installed_completion_works_in_an_interactive_bash(cli: Any) -> None:
    cli("completion", "bash", "--install")
    bindir = Path(sys.executable).parent
    if not (bindir / "omni-scale").exists():
        pytest.skip("the omni-scale console script is not installed next to the interpreter")
    program = (
        "COMP_WORDS=(omni-scale comp); COMP_CWORD=1; _omni_scale_completion omni-scale;"
        ' printf "%s\\n" "${COMPREPLY[@]}"'
    )
    proc = subprocess.run(
        ["bash", "-i", "-c", program],
        env={**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"},
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert proc.stdout.split() == ["completion"], proc.stderr


def test_env_var_protocol_completes_the_projects_names(project: Path) -> None:
    from fakes.fixtures_pve import write_class

    write_class(project, "workers", "cores: 2\nmemory: 4096\n")
    write_class(project, "web", "cores: 2\nmemory: 4096\n")
    (project / "clusters").mkdir()
    (project / "clusters" / "lab.yaml").write_text("kind: Cluster\nname: lab\n")
    line = f"omni-scale --project-dir {project}"
    assert complete(f"{line} machineclass show w", 5) == ["plain,web", "plain,workers"]
    assert complete(f"{line} proxmox check --provider ", 6) == ["plain,proxmox"]
    assert complete(f"{line} cluster delete ", 5) == ["plain,lab"]
    # a project dir that does not exist completes nothing, quietly
    nothing = complete(f"omni-scale --project-dir {project}/nope machineclass show ", 5)
    assert [word for word in nothing if word] == []
