"""Every real-world cluster template reaches the verdict in its header.

The real-world collection is not in the repository: see tests/data/README.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REALWORLD, realworld_files, realworld_params
from lint.ct_helpers import add_classes, lint_template
from omni_scale.lint.context import LintContext
from omni_scale.lint.engine import lint_files
from omni_scale.lint.problem import Severity

pytestmark = pytest.mark.realworld

FILES = realworld_files("templates")

# Messages (substrings) the INVALID files must get, from their EXPECTED/OBSERVED headers.
EXPECTED_ERRORS = {
    "ct-01": [
        "field controlPlane not found in type models.Cluster",
        "template should contain 1 controlplane, got 0",
    ],
    "ct-06": [
        "template should contain 1 controlplane, got 2",
        "template should contain 1 cluster, got 0",
    ],
    "ct-07": [
        'duplicate workers with name ""',
        "template should contain 1 cluster, got 0",
        "template should contain 1 controlplane, got 0",
    ],
}
# The warning rule that carries the trap of WARN / RUNTIME-FAILURE files.
EXPECTED_WARNINGS = {"ct-03": "ct-node-labels", "ct-04": "ct-incomplete-version"}


def verdict(path: Path) -> str:
    match = re.search(r"^# VERDICT: (.+)$", path.read_text(), re.MULTILINE)
    assert match, f"{path.name} has no VERDICT header"
    return match.group(1).strip()


def case(path: Path) -> str:
    return path.name[:5]


def test_all_cases_are_covered() -> None:
    assert [case(p) for p in FILES] == [f"ct-0{i}" for i in range(1, 8)]


@pytest.mark.parametrize("path", realworld_params(FILES, case))
def test_reaches_its_verdict(path: Path) -> None:
    report = lint_files([path], LintContext())
    errors = [p for p in report.problems if p.severity is Severity.ERROR]
    warnings = [p for p in report.problems if p.severity is Severity.WARNING]
    expected = verdict(path)
    if expected == "INVALID":
        assert errors, f"{path.name}: no error"
        text = "\n".join(p.message for p in errors)
        for message in EXPECTED_ERRORS[case(path)]:
            assert message in text, f"{path.name}: missing {message!r} in\n{text}"
        assert all(p.hint for p in errors)
    elif expected == "VALID":
        assert report.problems == [], f"{path.name}: {report.problems}"
    elif expected in ("WARN", "VALID-TEMPLATE / RUNTIME-FAILURE"):
        assert errors == [], f"{path.name}: {errors}"
        assert [p.rule for p in warnings] == [EXPECTED_WARNINGS[case(path)]]
    else:
        pytest.fail(f"unknown verdict {expected}")


def test_ct01_points_at_the_nested_key_with_a_conversion_hint() -> None:
    path = REALWORLD / "templates" / "ct-01-basher83-single-doc-nested.yaml"
    report = lint_files([path], LintContext())
    problem = next(p for p in report.problems if "controlPlane" in p.message)
    lines = path.read_text().splitlines()
    assert lines[problem.line - 1].startswith("controlPlane:")
    assert problem.hint and "kind: ControlPlane" in problem.hint and "---" in problem.hint


def test_ct06_explains_control_planes_cannot_be_pinned() -> None:
    path = REALWORLD / "templates" / "ct-06-basher83-readme-two-controlplanes.yaml"
    report = lint_files([path], LintContext())
    problem = next(p for p in report.problems if "controlplane, got 2" in p.message)
    assert problem.hint and "cannot be pinned" in problem.hint and "Workers" in problem.hint


def test_ct05_stays_valid_in_its_project(tmp_path: Path) -> None:
    """With the project's machine classes present, the production template has no problem."""
    add_classes(
        tmp_path,
        auto=(
            "matrix-control-plane",
            "matrix-worker-foxtrot",
            "matrix-worker-golf",
            "matrix-worker-hotel",
        ),
    )
    text = (REALWORLD / "templates" / "ct-05-basher83-prod-head-pinned-workers.yaml").read_text()
    assert lint_template(tmp_path, text).problems == []


def test_ct05_with_a_missing_class_fails(tmp_path: Path) -> None:
    add_classes(tmp_path, auto=("matrix-control-plane", "matrix-worker-foxtrot"))
    text = (REALWORLD / "templates" / "ct-05-basher83-prod-head-pinned-workers.yaml").read_text()
    report = lint_template(tmp_path, text)
    assert sorted(p.message for p in report.problems) == [
        'machine class with name "matrix-worker-golf" does not exist in machine-classes/',
        'machine class with name "matrix-worker-hotel" does not exist in machine-classes/',
    ]
