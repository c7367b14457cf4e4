"""ct-unknown-field and ct-kind: strict decoding like omnictl's."""

from __future__ import annotations

from pathlib import Path

from lint.ct_helpers import HEAD, lint_template, messages


def test_known_fields_pass(tmp_path: Path) -> None:
    text = HEAD + (
        "---\nkind: Workers\nname: w\nmachineClass: {name: w, size: 2}\n"
        "updateStrategy: {type: Rolling, rolling: {maxParallelism: 1}}\n"
        "patches:\n  - name: p\n    inline: {machine: {anything: {goes: here}}}\n"
        "systemExtensions: [siderolabs/iscsi-tools]\n"
    )
    assert lint_template(tmp_path, text, "ct-unknown-field").problems == []


def test_nested_unknown_field_names_its_type(tmp_path: Path) -> None:
    text = HEAD.replace("  size: 1\n", "  size: 1\n  count: 2\n")
    report = lint_template(tmp_path, text, "ct-unknown-field")
    assert messages(report) == ["field count not found in type models.MachineClassConfig"]
    assert report.problems[0].hint == "did you mean `size`? keys are case-sensitive"
    assert report.problems[0].line == 12


def test_camel_case_mistake(tmp_path: Path) -> None:
    text = HEAD + "---\nkind: Workers\nname: w\nmachineclass: {name: w, size: 1}\n"
    report = lint_template(tmp_path, text, "ct-unknown-field")
    assert messages(report) == ["field machineclass not found in type models.Workers"]
    assert report.problems[0].hint and "machineClass" in report.problems[0].hint


def test_unknown_field_in_a_patch(tmp_path: Path) -> None:
    text = HEAD + "---\nkind: Workers\nname: w\npatches:\n  - nam: x\n    inline: {}\n"
    assert "field nam not found in type models.Patch" in messages(
        lint_template(tmp_path, text, "ct-unknown-field")
    )


def test_kind_is_case_sensitive(tmp_path: Path) -> None:
    report = lint_template(
        tmp_path, HEAD.replace("kind: ControlPlane", "kind: controlplane"), "ct-kind"
    )
    assert messages(report) == ['unknown model kind "controlplane"']
    assert report.problems[0].hint == "kinds are case-sensitive: write `kind: ControlPlane`"
