"""action.yml: its run steps, executed as written (inputs as environment) against projects."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import EXAMPLE, REPO

ACTION = REPO / "action.yml"


def _action() -> Any:
    return YAML(typ="safe").load(ACTION.read_text())


def _run_steps(
    project_dir: str, cwd: Path, sarif: str = ""
) -> list[subprocess.CompletedProcess[str]]:
    """Run the action's own `run:` steps after the install step (omni-scale is installed here)."""
    bindir = cwd / "bin"
    bindir.mkdir(exist_ok=True)
    launcher = bindir / "omni-scale"
    launcher.write_text(f'#!/bin/sh\nexec {sys.executable} -m omni_scale "$@"\n')
    launcher.chmod(0o755)
    inputs = {"project-dir": project_dir, "sarif-file": sarif}
    done = []
    for step in _action()["runs"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue
        env = dict(
            os.environ, PATH=f"{bindir}:{os.environ['PATH']}", GITHUB_OUTPUT=str(cwd / "out")
        )
        for name, value in (step.get("env") or {}).items():
            key = str(value).removeprefix("${{ inputs.").removesuffix(" }}")
            env[name] = inputs[key]
        proc = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
        done.append(proc)
        if proc.returncode != 0:
            break
    return done


def test_action_inputs_are_documented() -> None:
    action = _action()
    docs = (REPO / "docs" / "github-action.md").read_text()
    assert action["runs"]["using"] == "composite"
    for name in action["inputs"]:
        assert f"`{name}`" in docs
    assert "uses: basher83/omni-scale@" in docs


def test_action_passes_on_the_example(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "infra")
    state = tmp_path / "infra" / ".claude" / "omni-scale.local.md"
    before = state.read_bytes()
    steps = _run_steps("infra", tmp_path, sarif="omni-scale.sarif")
    assert [p.returncode for p in steps] == [0, 0], [p.stderr for p in steps]
    assert "plan (snapshot)" in steps[1].stdout
    assert (tmp_path / "omni-scale.sarif").is_file()
    assert "sarif-file=omni-scale.sarif" in (tmp_path / "out").read_text()
    assert state.read_bytes() == before  # --no-state: CI writes no state


def test_action_fails_with_annotations_on_a_broken_class(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "infra")
    (tmp_path / "infra" / "machine-classes" / "bad.yaml").write_text(
        "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n  id: bad\n"
        "spec:\n  autoprovision:\n    providerid: proxmox\n    providerdata: |\n"
        "      cores: 2\n"
    )
    steps = _run_steps("infra", tmp_path)
    assert steps[0].returncode == 0  # the lint step annotates; the check step fails the job
    assert "::error file=infra/machine-classes/bad.yaml,line=" in steps[0].stdout
    assert steps[1].returncode == 1


@pytest.mark.parametrize("project_dir", ["missing"])
def test_action_on_a_wrong_project_dir_is_bad_input(tmp_path: Path, project_dir: str) -> None:
    (tmp_path / "missing").mkdir()
    steps = _run_steps(project_dir, tmp_path)
    assert steps[0].returncode == 2 and "nothing to lint" in steps[0].stderr
