"""mc-legacy-format, mc-structure, mc-metadata-* rules."""

from __future__ import annotations

from pathlib import Path

from lint.mc_helpers import GOOD, by_rule, lint, machine_class, write
from omni_scale.lint.problem import Severity


def test_good_class_has_no_problems(tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class(GOOD))
    assert lint(None, path).problems == []


def test_legacy_format_explains_the_conversion(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mc.yaml",
        "apiVersion: infrastructure.omni.siderolabs.io/v1alpha1\nkind: MachineClass\n"
        "metadata:\n  name: w\nspec:\n  type: auto-provision\n  provider: proxmox\n"
        "  config:\n    cpu: 4\n    diskSize: 40\n",
    )
    [problem] = lint(None, path).problems
    assert problem.rule == "mc-legacy-format" and problem.line == 1
    assert "expected 4 elements node, got 8" in problem.message
    assert "cpu -> cores" in (problem.hint or "") and "diskSize -> disk_size" in problem.hint


def test_extra_top_level_key(tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class(GOOD) + "status: {}\n")
    [problem] = by_rule(lint(None, path), "mc-structure")
    assert "got 6" in problem.message and problem.line == 14


def test_namespace_and_type(tmp_path: Path) -> None:
    text = machine_class(GOOD).replace("namespace: default", "namespace: infra-provider")
    text = text.replace("type: MachineClasses.omni.sidero.dev", "type: MachineClass")
    report = lint(None, write(tmp_path / "mc.yaml", text))
    [ns] = by_rule(report, "mc-metadata-namespace")
    [kind] = by_rule(report, "mc-metadata-type")
    assert (ns.line, ns.column) == (2, 3) and "'infra-provider'" in ns.message
    assert kind.line == 3
    assert "no resource is registered for the resource type MachineClass" in kind.message


def test_type_alias_case_is_rejected(tmp_path: Path) -> None:
    text = machine_class(GOOD).replace("MachineClasses.omni", "machineclasses.omni")
    assert by_rule(lint(None, write(tmp_path / "mc.yaml", text)), "mc-metadata-type")


def test_name_instead_of_id(tmp_path: Path) -> None:
    text = machine_class(GOOD).replace("  id: worker", "  name: worker")
    [problem] = by_rule(lint(None, write(tmp_path / "mc.yaml", text)), "mc-metadata-id")
    assert "metadata.name is ignored" in problem.message and "id: worker" in problem.hint


def test_empty_and_control_character_id(tmp_path: Path) -> None:
    empty = machine_class(GOOD).replace("id: worker", 'id: ""')
    [problem] = by_rule(lint(None, write(tmp_path / "a.yaml", empty)), "mc-metadata-id")
    assert "must not be empty" in problem.message
    ctrl = machine_class(GOOD).replace("id: worker", 'id: "wor\\tker"')
    [problem] = by_rule(lint(None, write(tmp_path / "b.yaml", ctrl)), "mc-metadata-id")
    assert "control characters" in problem.message
    long = machine_class(GOOD).replace("id: worker", "id: " + "a" * 1100)
    [problem] = by_rule(lint(None, write(tmp_path / "c.yaml", long)), "mc-metadata-id")
    assert "1100 bytes (max 1024)" in problem.message


def test_fragment_without_metadata_type(tmp_path: Path) -> None:
    text = (
        machine_class(GOOD)
        .replace("  namespace: default\n", "")
        .replace("  type: MachineClasses.omni.sidero.dev\n", "")
    )
    report = lint(None, write(tmp_path / "mc.yaml", text))
    assert {p.rule for p in report.problems if p.severity is Severity.ERROR} == {
        "mc-metadata-namespace",
        "mc-metadata-type",
    }
