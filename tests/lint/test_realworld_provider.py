"""Every real-world provider file reaches the verdict in its header.

The real-world collection is not in the repository: see tests/data/README.md.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import realworld_files, realworld_params
from fakes.fixtures_provider_project import make_key
from omni_scale.lint.context import build_context
from omni_scale.lint.engine import lint_files
from omni_scale.lint.problem import Severity
from omni_scale.project import Project

pytestmark = pytest.mark.realworld

FILES = realworld_files("provider")

# Where each file lived, and the project context its verdict depends on.
TARGET = {
    "pc-01": "docker/compose.yaml",
    "pc-02": "docker/config.yaml",
    "pc-03": "docker/compose.yaml",
    "pc-04": "docker/config.yaml",
}
# The id the provider key in .env was created for (pc-01's header: key for `Proxmox`).
KEY_FOR = {"pc-01": "Proxmox", "pc-03": "matrix-cluster"}

EXPECTED_ERRORS = {
    "pc-01": {"provider-compose-id"},
    "pc-02": {"provider-config-auth"},
}
EXPECTED_WARNINGS = {
    "pc-01": {"provider-compose-image", "provider-compose-secret"},
    "pc-02": {"provider-config-tls"},
    "pc-03": {"provider-compose-image", "provider-compose-secret"},
    "pc-04": {"provider-config-tls"},
}


def verdict(path: Path) -> str:
    match = re.search(r"^# VERDICT: (.+)$", path.read_text(), re.MULTILINE)
    assert match, f"{path.name} has no VERDICT header"
    return match.group(1).strip()


def test_every_case_is_covered() -> None:
    assert {p.name[:5] for p in FILES} == set(TARGET)


@pytest.mark.parametrize("path", realworld_params(FILES, lambda f: f.name[:5]))
def test_realworld_verdict(path: Path, tmp_path: Path) -> None:
    case = path.name[:5]
    root = tmp_path / "infra"
    target = root / TARGET[case]
    target.parent.mkdir(parents=True)
    shutil.copy(path, target)
    if case in KEY_FOR:
        (root / ".env").write_text(
            f"OMNI_INFRA_PROVIDER_KEY={make_key('infra-provider:' + KEY_FOR[case])}\n"
            f"OMNI_SERVICE_ACCOUNT_KEY={make_key('infra-provider:' + KEY_FOR[case])}\n"
        )
    project = Project(root)
    report = lint_files([target], build_context(project))
    errors = {p.rule for p in report.problems if p.severity is Severity.ERROR}
    warnings = {p.rule for p in report.problems if p.severity is Severity.WARNING}
    expected = verdict(path)
    if expected.startswith("INVALID") or "MISLEADING" in expected:
        assert errors == EXPECTED_ERRORS[case], report.problems
    else:  # VALID, WARN
        assert errors == set(), report.problems
    assert warnings == EXPECTED_WARNINGS[case], report.problems
    if expected == "WARN":
        assert warnings


def test_pc01_message_names_the_provider_error(tmp_path: Path) -> None:
    root = tmp_path / "infra"
    (root / "docker").mkdir(parents=True)
    shutil.copy(FILES[0], root / "docker" / "compose.yaml")
    (root / ".env").write_text(f"OMNI_INFRA_PROVIDER_KEY={make_key('infra-provider:Proxmox')}\n")
    report = lint_files([root / "docker" / "compose.yaml"], build_context(Project(root)))
    [problem] = [p for p in report.problems if p.rule == "provider-compose-id"]
    assert 'resource ID must match the infra provider ID "Proxmox"' in problem.message
    assert problem.hint is not None and "--id=Proxmox" in problem.hint
    assert "eyJ" not in problem.message + problem.hint  # the key itself is never shown


def test_pc01_without_context_still_warns_about_the_missing_id(tmp_path: Path) -> None:
    report = lint_files([FILES[0]], build_context(None))
    [problem] = [p for p in report.problems if p.rule == "provider-compose-id"]
    assert problem.severity is Severity.WARNING
    assert "no --id" in problem.message
