"""ct-machine-set, ct-machine-class-missing, ct-unlimited-size."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.ct_helpers import HEAD, add_classes, lint_template, messages

UUID = "0d4c6e5e-0000-4000-8000-000000000001"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("name: cp\n", "controlplane is invalid: custom name is not allowed in the controlplane"),
        (
            "updateStrategy: {type: Rolling}\n",
            "controlplane is invalid: updateStrategy is not allowed in the controlplane",
        ),
        (
            "bootstrapSpec: {clusterUUID: abc}\n",
            "controlplane is invalid: snapshot is required in bootstrapSpec",
        ),
        (
            f"machines: [{UUID}]\n",
            "controlplane is invalid: machine set can not have both machines and machine class "
            "defined",
        ),
        (
            "kernelArgs: [console=ttyS0]\n",
            "controlplane is invalid: kernelArgs cannot be defined "
            "for machine set since it uses machine class",
        ),
        (
            "upgradeStrategy: {type: Fast}\n",
            "controlplane is invalid: invalid update strategy type Fast",
        ),
    ],
)
def test_controlplane_rules(tmp_path: Path, extra: str, expected: str) -> None:
    assert messages(lint_template(tmp_path, HEAD + extra, "ct-machine-set")) == [expected]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "name: control-planes\nmachineClass: {name: w, size: 1}\n",
            'workers is invalid: name "control-planes" cannot be used in workers',
        ),
        (
            "name: w\nmachineClass: {name: w, size: 1}\n"
            "bootstrapSpec: {clusterUUID: a, snapshot: b}\n",
            "workers is invalid: bootstrapSpec is not allowed in workers",
        ),
        (
            "name: w\nmachineClass: {name: w, size: three}\n",
            "workers is invalid: invalid machine count three",
        ),
        (
            "name: w\nmachineClass: {size: 2}\n",
            "workers is invalid: machine allocation source name is not set",
        ),
        (
            "name: w\nmachines: [not-a-uuid]\n",
            'workers is invalid: invalid machine ID "not-a-uuid": not a UUID',
        ),
        (
            "name: w\nmachineClass: worker\n",
            "workers is invalid: machineClass must be a mapping with name and size",
        ),
    ],
)
def test_workers_rules(tmp_path: Path, body: str, expected: str) -> None:
    text = HEAD + "---\nkind: Workers\n" + body
    assert messages(lint_template(tmp_path, text, "ct-machine-set")) == [expected]


def test_valid_machine_sets_pass(tmp_path: Path) -> None:
    text = HEAD + (
        "upgradeStrategy: {type: Rolling}\n---\nkind: Workers\nname: w\n"
        "machineClass: {name: w, size: 0}\ndeleteStrategy: {type: Unset}\n"
        f"---\nkind: Workers\nname: pinned\nmachines: [{UUID}]\nkernelArgs: [console=ttyS0]\n"
    )
    assert lint_template(tmp_path, text, "ct-machine-set").problems == []


def test_machine_class_must_exist_when_the_folder_exists(tmp_path: Path) -> None:
    add_classes(tmp_path, auto=("control-plane", "worker"))
    text = HEAD + "---\nkind: Workers\nmachineClass: {name: wokrer, size: 1}\n"
    report = lint_template(tmp_path, text, "ct-machine-class-missing")
    assert messages(report) == [
        'machine class with name "wokrer" does not exist in machine-classes/'
    ]
    assert report.problems[0].hint == "did you mean worker?"


def test_machine_class_not_checked_without_the_folder(tmp_path: Path) -> None:
    text = HEAD + "---\nkind: Workers\nmachineClass: {name: anything, size: 1}\n"
    assert lint_template(tmp_path, text, "ct-machine-class-missing").problems == []


def test_unlimited_with_autoprovision_class_is_an_error(tmp_path: Path) -> None:
    add_classes(tmp_path, auto=("control-plane", "worker"), manual=("bare",))
    text = HEAD + "---\nkind: Workers\nmachineClass: {name: worker, size: unlimited}\n"
    report = lint_template(tmp_path, text, "ct-unlimited-size")
    assert messages(report) == [
        'machine class "worker" is using autoprovision, so unlimited machine set allocation is '
        "not supported"
    ]
    assert report.problems[0].severity == "error"
    manual = HEAD + "---\nkind: Workers\nmachineClass: {name: bare, size: unlimited}\n"
    assert lint_template(tmp_path, manual, "ct-unlimited-size").problems == []


def test_unlimited_with_unknown_class_warns(tmp_path: Path) -> None:
    text = HEAD + "---\nkind: Workers\nmachineClass: {name: worker, size: ∞}\n"
    report = lint_template(tmp_path, text, "ct-unlimited-size")
    assert [p.severity for p in report.problems] == ["warning"]
