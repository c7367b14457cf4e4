"""Command lines answered without click print exactly what click's path prints.

`cli.fast` answers `selector check EXPR` and `lint [FILE...]`; anything else goes to click.
Each case runs twice through `main`: in the fast shape, and in a shape click parses the same way
but `cli.fast` leaves to click (`--` before the positional arguments). Output, error line and
exit code must be the same.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE
from lint.ct_helpers import AUTO_CLASS
from omni_scale.cli.fast import shape
from omni_scale.cli.globals import extract


@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        (["selector", "check", 'name == "x"'], "selector check"),
        (["selector", "check", "-"], "selector check"),
        (["lint"], "lint"),
        (["lint", "a.yaml", "b/"], "lint"),
        # everything else is click's
        (["selector", "check"], None),
        (["selector", "check", "--", 'name == "x"'], None),
        (["selector", "check", "x", "--storages", "s.json"], None),
        (["selector", "check", "-1 < 0"], None),
        (["selector", "check", ""], None),
        (["selector", "check", "--help"], None),
        (["lint", "--format", "github"], None),
        (["lint", "-"], None),
        (["lint", ""], None),
        (["lint", "--", "a.yaml"], None),
        (["lint", "-h"], None),
        (["machineclass", "list"], None),
        ([], None),
    ],
)
def test_only_exact_shapes_are_answered_without_click(
    rest: list[str], expected: str | None
) -> None:
    assert shape(rest) == expected


def _both(cli: Any, fast: list[str], slow: list[str]) -> Any:
    """Run the fast shape and its click twin; they must agree; returns the fast result."""
    assert shape(extract(fast).rest) is not None and shape(extract(slow).rest) is None
    first, second = cli(*fast), cli(*slow)
    assert (first.code, first.out, first.err) == (second.code, second.out, second.err)
    return first


@pytest.mark.parametrize(
    "expr",
    [
        'name == "local-lvm"',
        'storageType == "lvmthin" && availableSpace > 107374182400u',
        'name == "x" &&',  # a syntax error: cel-go's text with the caret
        "nmae == 'x'",  # an unknown name: did-you-mean hint
        "availableSpace > 100",  # int against uint: no overload
        'name == "\x1b[2Jx"',  # an escape sequence in the echoed expression
    ],
)
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_selector_check_same_on_both_paths(cli: Any, expr: str, json_flag: list[str]) -> None:
    result = _both(
        cli,
        ["selector", "check", expr, *json_flag],
        [*json_flag, "selector", "check", "--", expr],  # global options stop at `--`
    )
    assert result.code in (0, 1)
    if json_flag:
        assert json.loads(result.out)["selector"] == expr
    else:
        assert "\x1b" not in result.out  # shown as \x1b, never sent to the terminal
        assert result.out.startswith(("✓ valid selector", "✗ invalid selector"))


def test_selector_from_stdin_same_on_both_paths(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = []
    for args in (["selector", "check", "-"], ["selector", "check", "--", "-"]):
        monkeypatch.setattr(sys, "stdin", io.StringIO('name == "local-lvm"\n'))
        outputs.append(cli(*args))
    assert outputs[0] == outputs[1]
    assert outputs[0].code == 0 and outputs[0].out.startswith("✓ valid selector")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "infra"
    shutil.copytree(EXAMPLE, root)
    return root


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_lint_same_on_both_paths(
    cli: Any, project: Path, json_flag: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    bad = project / "machine-classes" / "bad.yaml"
    bad.write_text(AUTO_CLASS.format(id="bad").replace("cores: 2", "cores: two"))
    project_dir = ["--project-dir", str(project)]
    cases = [
        ([], 1),  # the project's default folders, one bad class among them
        (["machine-classes/homelab-worker.yaml"], 0),
        (["machine-classes/bad.yaml", "clusters"], 1),
        (["missing.yaml"], 2),  # one error line, exit 2
    ]
    for paths, code in cases:
        result = _both(
            cli,
            ["lint", *paths, *project_dir, *json_flag],
            [*project_dir, *json_flag, "lint", "--", *paths],
        )
        assert result.code == code, (paths, result)
        if json_flag and code != 2:
            assert json.loads(result.out)["summary"]["files"] >= 1
    assert "bad.yaml" in cli("lint", *project_dir).out


def test_lint_nothing_to_lint_same_on_both_paths(cli: Any, tmp_path: Path) -> None:
    result = _both(
        cli,
        ["lint", "--project-dir", str(tmp_path)],
        ["--project-dir", str(tmp_path), "lint", "--"],
    )
    assert result.code == 2 and "nothing to lint" in result.err


PROBE = """
import sys
from omni_scale.cli.main import main
code = main(sys.argv[1:])
heavy = ("click", "rich", "dataclasses", "typing", "jsonschema", "ruamel.yaml", "httpx")
print(code, " ".join(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


def _loaded(args: list[str], cwd: Path) -> tuple[int, set[str]]:
    """(exit code, heavy modules loaded) of a fresh interpreter running `omni-scale ARGS`."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR")}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )
    code, _, loaded = proc.stderr.strip().splitlines()[-1].partition(" ")
    return int(code), set(loaded.split())


def test_selector_check_starts_without_click_rich_or_dataclasses(tmp_path: Path) -> None:
    code, loaded = _loaded(["selector", "check", 'name == "local-lvm"'], tmp_path)
    assert code == 0
    assert loaded == set(), loaded


def test_lint_one_file_starts_without_click_or_rich(project: Path) -> None:
    target = project / "machine-classes" / "homelab-worker.yaml"
    code, loaded = _loaded(["--project-dir", str(project), "lint", str(target)], project)
    assert code == 0
    assert not loaded & {"click", "rich", "jsonschema", "httpx"}, loaded
