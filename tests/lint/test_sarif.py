"""`lint --format sarif`: a SARIF 2.1.0 log, valid against the OASIS schema (vendored)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conftest import EXAMPLE, REPO

SCHEMA = REPO / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    root = tmp_path / "homelab"
    shutil.copytree(EXAMPLE, root)
    (root / "machine-classes" / "typo.yaml").write_text(
        "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n  id: typo\n"
        "spec:\n  autoprovision:\n    providerid: Proxmox\n    providerdata: |\n"
        "      cores: 2\n      sockets: 1\n      memory: 4096\n      disk_size: 20\n"
        '      network_brige: vmbr0\n      storage_selector: name == "local-lvm"\n'
    )
    return root


def _validate(log: Any) -> None:
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert errors == [], [f"{list(e.path)}: {e.message}" for e in errors]


def test_sarif_is_valid_and_carries_every_problem(
    broken: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(broken)
    result = cli("--project-dir", broken, "lint", "--format", "sarif")
    assert result.code == 1, result.err
    log = json.loads(result.out)
    _validate(log)
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    as_json = cli("--project-dir", broken, "lint", "--format", "json").json()["problems"]
    assert len(run["results"]) == len(as_json) > 0
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result_, problem in zip(run["results"], as_json, strict=True):
        assert result_["ruleId"] == problem["rule"] == rules[result_["ruleIndex"]]
        assert result_["level"] == problem["severity"]
        location = result_["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "machine-classes/typo.yaml"
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["region"]["startLine"] == problem["line"]


def test_sarif_without_problems_is_valid(cli: Any, tmp_path: Path) -> None:
    root = tmp_path / "homelab"
    shutil.copytree(EXAMPLE, root)
    result = cli("--project-dir", root, "lint", "--format", "sarif")
    assert result.code == 0, result.err
    log = json.loads(result.out)
    _validate(log)
    assert log["runs"][0]["results"] == []


def test_the_schema_check_can_fail() -> None:
    with pytest.raises(AssertionError):
        _validate({"version": "2.1.0", "runs": [{"results": []}]})  # no tool
    with pytest.raises(AssertionError):
        _validate({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})  # no name
