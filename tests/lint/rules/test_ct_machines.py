"""ct-machines, ct-manifests, disk encryption and kind-less documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.ct_helpers import HEAD, lint_template, messages

UUID = "430d882a-51a8-48b3-ae00-90c5b0b5b0b0"
MANUAL = (
    "kind: Cluster\nname: t\nkubernetes: {version: v1.34.2}\ntalos: {version: v1.12.0}\n"
    "---\nkind: ControlPlane\nmachines: [%s]\n---\nkind: Workers\nmachines: [%s]\n"
)


@pytest.mark.parametrize(
    ("cp", "wk", "machine", "expected"),
    [
        (
            UUID,
            "",
            f"name: {UUID}\nlocked: true\n",
            f'machine "{UUID}" is locked and used in controlplane',
        ),
        ("", "", f"name: {UUID}\n", f'machine "{UUID}" is not used in controlplane or workers'),
        ("", "", "locked: true\n", "machine is invalid: name is required for machine"),
        ("", "", "name: node-1\n", 'machine "node-1" is invalid: invalid machine ID: not a UUID'),
    ],
)
def test_machine_documents(tmp_path: Path, cp: str, wk: str, machine: str, expected: str) -> None:
    text = MANUAL % (cp, wk) + "---\nkind: Machine\n" + machine
    assert messages(lint_template(tmp_path, text, "ct-machines")) == [expected]


def test_locked_worker_passes(tmp_path: Path) -> None:
    text = MANUAL % ("", UUID) + f"---\nkind: Machine\nname: {UUID}\nlocked: true\n"
    assert lint_template(tmp_path, text, "ct-machines").problems == []


@pytest.mark.parametrize(
    ("manifests", "expected"),
    [
        ("  - name: a\n    file: a.yaml\n", ['kubernetes manifest "a" mode is not set']),
        ("  - name: a\n    mode: sometimes\n    file: a.yaml\n", ['unknown mode name "sometimes"']),
        ("  - mode: full\n    inline: {}\n", ["kubernetes manifest name is empty"]),
        ("  - mode: full\n    file: m.yaml\n", []),  # the file name is the name
        (
            "  - {name: a, mode: full, file: a.yaml}\n  - {name: a, mode: full, file: b.yaml}\n",
            ['duplicate manifest name "a"'],
        ),
        (
            "  - {name: a, mode: full}\n",
            ['kubernetes manifest "a": path or inline is required'],
        ),
        ("  - {name: a, mode: one-time, inline: {apiVersion: v1, kind: Namespace}}\n", []),
    ],
)
def test_manifests(tmp_path: Path, manifests: str, expected: list[str]) -> None:
    text = HEAD.replace(
        "  version: v1.34.2\n",
        "  version: v1.34.2\n  manifests:\n"
        + "\n".join("  " + line for line in manifests.splitlines())
        + "\n",
    )
    assert messages(lint_template(tmp_path, text, "ct-manifests")) == expected


def test_disk_encryption_needs_talos_1_5(tmp_path: Path) -> None:
    text = HEAD.replace("v1.12.0", "v1.4.8").replace(
        "kind: Cluster\n", "kind: Cluster\nfeatures:\n  diskEncryption: true\n"
    )
    assert messages(lint_template(tmp_path, text, "ct-cluster")) == [
        "disk encryption is supported only for Talos version >= 1.5.0"
    ]
    ok = HEAD.replace("kind: Cluster\n", "kind: Cluster\nfeatures:\n  diskEncryption: true\n")
    assert lint_template(tmp_path, ok, "ct-cluster").problems == []


def test_document_without_kind_in_a_template(tmp_path: Path) -> None:
    text = HEAD + "---\nname: extra\nmachineClass: {name: w, size: 1}\n"
    report = lint_template(tmp_path, text, "ct-structure")
    assert messages(report) == ["kind field not found"]
    assert report.problems[0].line == 13
