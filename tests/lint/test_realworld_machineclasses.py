"""Every real-world MachineClass reaches the verdict in its header.

The real-world collection is not in the repository: see tests/data/README.md.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REALWORLD, realworld_files, realworld_params
from lint.mc_helpers import lint, make_project
from omni_scale.lint.problem import Severity

pytestmark = pytest.mark.realworld

FILES = realworld_files("machineclasses")

# The project each file lived in: the provider --id of its compose file (None: no project).
CONTEXT = {
    "mc-01": None,
    "mc-02": None,
    "mc-03": "Proxmox",  # compose of that era: --id=Proxmox
    "mc-04": "Proxmox",
    "mc-05": "matrix-cluster",
    "mc-06": "matrix-cluster",
    "mc-07": "matrix-cluster",
    "mc-08": "matrix-cluster",
    "mc-09": "matrix-cluster",
    "mc-10": "matrix-cluster",
    "mc-11": "matrix-cluster",
    "mc-12": "matrix-cluster",
    "mc-13": "matrix-cluster",
}

# Rules that must report an error for the INVALID / WRONG-IN-CONTEXT files.
EXPECTED_ERRORS = {
    "mc-01": {"mc-legacy-format"},
    "mc-02": {"mc-legacy-format"},
    "mc-03": {"mc-storage-selector"},
    "mc-07": {"mc-providerid-mismatch"},
    "mc-10": {"mc-metadata-type", "mc-metadata-namespace", "mc-providerdata-schema"},
    "mc-11": {"mc-metadata-type", "mc-metadata-namespace"},
    "mc-12": {"mc-metadata-type", "mc-metadata-namespace"},
    "mc-13": {"mc-providerid-mismatch"},
}

# Warnings a VALID file may get, and why.
EXPLAINED_WARNINGS = {
    # `Proxmox` works with the provider of that era, but Omni >= v1.10 refuses the name.
    "mc-04": {"mc-providerid-mismatch"},
}


def verdict(path: Path) -> str:
    match = re.search(r"^# VERDICT: (.+)$", path.read_text(), re.MULTILINE)
    assert match, f"{path.name} has no VERDICT header"
    return match.group(1).strip()


def case(path: Path) -> str:
    return path.name[:5]


def test_every_case_is_covered() -> None:
    assert len(FILES) >= 13
    assert {case(f) for f in FILES} <= set(CONTEXT)


@pytest.mark.parametrize("path", realworld_params(FILES, lambda f: f.name[:5]))
def test_realworld_verdict(path: Path, tmp_path: Path) -> None:
    provider_id = CONTEXT[case(path)]
    if provider_id is None:
        project = None
        target = path
    else:
        project = make_project(tmp_path / "infra", provider_id=provider_id)
        target = project.machine_classes_dir / path.name
        shutil.copy(path, target)
    report = lint(project, target)
    errors = {p.rule for p in report.problems if p.severity is Severity.ERROR}
    warnings = {p.rule for p in report.problems if p.severity is Severity.WARNING}
    text = verdict(path)
    for problem in report.problems:  # every problem points into the file
        assert problem.line >= 1 and problem.column >= 1 and problem.hint
    if text.startswith("VALID") and "WRONG-IN-CONTEXT" not in text:
        assert not errors, [p for p in report.problems]
        assert warnings <= EXPLAINED_WARNINGS.get(case(path), set()), report.problems
    else:
        assert text.startswith(("INVALID", "VALID-SCHEMA / WRONG-IN-CONTEXT")), text
        assert EXPECTED_ERRORS[case(path)] <= errors, report.problems


def test_mc03_points_at_type_in_the_selector(tmp_path: Path) -> None:
    path = REALWORLD / "machineclasses" / "mc-03-basher83-type-rbd-selector.yaml"
    project = make_project(tmp_path / "infra", provider_id="Proxmox")
    target = project.machine_classes_dir / path.name
    shutil.copy(path, target)
    [problem] = [p for p in lint(project, target).problems if p.rule == "mc-storage-selector"]
    line = target.read_text().splitlines()[problem.line - 1]
    assert line[problem.column - 1 :].startswith('== "rbd"')
    assert "(type(type), string)" in problem.message
    assert "storageType" in (problem.hint or "")


def test_mc07_and_mc13_are_schema_valid_alone() -> None:
    """Without the project (the provider's default id proxmox), mc-07 has no error."""
    path = REALWORLD / "machineclasses" / "mc-07-basher83-gpu-example-providerid-mismatch.yaml"
    assert lint(None, path).errors == 0
    mc13 = REALWORLD / "machineclasses" / "mc-13-basher83-skill-ceph-example-head.yaml"
    assert not [p for p in lint(None, mc13).problems if p.rule == "mc-providerdata-schema"]


def test_mc09_duplicate_of_the_production_class(tmp_path: Path) -> None:
    path = REALWORLD / "machineclasses" / "mc-09-basher83-test-class-duplicate-id.yaml"
    project = make_project(tmp_path / "infra", provider_id="matrix-cluster")
    shutil.copy(path, project.machine_classes_dir / "matrix-worker-hotel.yaml")
    (project.machine_classes_dir / "test").mkdir()
    shutil.copy(path, project.machine_classes_dir / "test" / "test-matrix-worker-hotel.yaml")
    report = lint(project, project.machine_classes_dir)
    duplicates = [p for p in report.problems if p.rule == "mc-duplicate-id"]
    assert len(duplicates) == 2
    assert all(p.severity is Severity.ERROR for p in duplicates)
    assert "matrix-worker-hotel" in duplicates[0].message


def test_mc10_missing_disk_size_in_omni_words() -> None:
    path = REALWORLD / "machineclasses" / "mc-10-basher83-skill-gpu-example-missing-disk-size.yaml"
    messages = [p.message for p in lint(None, path).problems]
    assert 'config value ".disk_size": is required' in messages
