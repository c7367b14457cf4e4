"""The pre-commit hook definition (.pre-commit-hooks.yaml) runs `omni-scale lint` on the
project's YAML files."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from omni_scale.yamlio import load_all


def _hook() -> dict[str, Any]:
    [hooks] = load_all((REPO / ".pre-commit-hooks.yaml").read_text(), path=None)
    [hook] = [h for h in hooks if h["id"] == "omni-scale-lint"]
    return dict(hook)


def test_hook_definition() -> None:
    hook = _hook()
    assert hook["entry"] == "omni-scale lint"
    assert hook["language"] == "python"
    assert "yaml" in hook["types"]


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("machine-classes/worker.yaml", True),
        ("machine-classes/test/worker.yml", True),
        ("clusters/prod.yaml", True),
        ("docker/compose.yaml", True),
        ("infra/machine-classes/w.yaml", True),
        ("src/app.yaml", False),
        ("machine-classes/readme.md", False),
        (".github/workflows/ci.yaml", False),
    ],
)
def test_hook_files_pattern(path: str, matches: bool) -> None:
    assert bool(re.search(_hook()["files"], path)) is matches


def test_entry_runs_and_fails_on_errors(tmp_path: Path) -> None:
    """pre-commit calls `entry` with the staged file names appended."""
    bad = tmp_path / "machine-classes" / "w.yaml"
    bad.parent.mkdir()
    bad.write_text("apiVersion: v1\nkind: MachineClass\nmetadata: {name: w}\nspec: {}\n")
    exe = shutil.which("omni-scale")
    argv = [exe] if exe else [sys.executable, "-m", "omni_scale"]
    proc = subprocess.run(
        [*argv, *_hook()["entry"].split()[1:], str(bad)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "mc-legacy-format" in proc.stdout
