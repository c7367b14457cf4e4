"""Template checks where omnictl tests values, not keys, and the checks it adds (omni.md §0.3–5,
§0.14; siderolabs/omni v1.10.4 client/pkg/template/internal/models)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.ct_helpers import lint_template, messages

CLUSTER = """\
kind: Cluster
name: {name}
kubernetes:
  version: v1.33.0
{kubernetes}talos:
  version: v1.10.3
{cluster_extra}---
kind: ControlPlane
machineClass: {{name: cp, size: 1}}
{cp_extra}---
kind: Workers
machineClass: {{name: w, size: 1}}
{workers_extra}"""


def template(
    name: str = "talos",
    kubernetes: str = "",
    cluster_extra: str = "",
    cp_extra: str = "",
    workers_extra: str = "",
) -> str:
    return CLUSTER.format(
        name=name,
        kubernetes=kubernetes,
        cluster_extra=cluster_extra,
        cp_extra=cp_extra,
        workers_extra=workers_extra,
    )


@pytest.mark.parametrize("name", ["prod-κλάστερ", "集群_1", "cluster٣"])
def test_unicode_cluster_names_pass(tmp_path: Path, name: str) -> None:
    """ClusterValidator: unicode.IsLetter / unicode.IsDigit, `-`, `_`."""
    assert messages(lint_template(tmp_path, template(name=name), "ct-cluster")) == []


def test_dot_in_cluster_name_still_fails(tmp_path: Path) -> None:
    [message] = messages(lint_template(tmp_path, template(name="talos.prod"), "ct-cluster"))
    assert "name should only contain letters, digits, dashes and underscores" in message


@pytest.mark.parametrize(
    "cp_extra",
    ['name: ""\n', "updateStrategy:\n", "deleteStrategy:\n", "bootstrapSpec:\n", "kernelArgs:\n"],
)
def test_empty_values_are_not_set(tmp_path: Path, cp_extra: str) -> None:
    """controlplane.Name != "", pointers != nil, OptionalList defined only with a value."""
    report = lint_template(tmp_path, template(cp_extra=cp_extra), "ct-machine-set")
    assert messages(report) == []


def test_empty_machines_list_beside_a_class_passes(tmp_path: Path) -> None:
    report = lint_template(tmp_path, template(workers_extra="machines: []\n"), "ct-machine-set")
    assert messages(report) == []


def test_set_values_still_fail(tmp_path: Path) -> None:
    report = lint_template(
        tmp_path, template(cp_extra="name: cp\nkernelArgs: [quiet]\n"), "ct-machine-set"
    )
    assert messages(report) == [
        "controlplane is invalid: custom name is not allowed in the controlplane",
        "controlplane is invalid: kernelArgs cannot be defined for machine set since it uses "
        "machine class",
    ]


def test_cluster_level_kernel_args_with_a_class(tmp_path: Path) -> None:
    report = lint_template(
        tmp_path, template(cluster_extra="kernelArgs: [net.ifnames=0]\n"), "ct-machine-set"
    )
    found = messages(report)
    assert len(found) == 2  # the ControlPlane and the Workers set
    assert all(
        "kernelArgs cannot be defined at cluster level for this machine set since it uses a "
        "machine class"
        in m
        and "line 7:1" in m
        for m in found
    )


def test_cluster_level_kernel_args_null_passes(tmp_path: Path) -> None:
    report = lint_template(tmp_path, template(cluster_extra="kernelArgs:\n"), "ct-machine-set")
    assert messages(report) == []


def test_labels_and_annotations_on_manifests_pass(tmp_path: Path) -> None:
    (tmp_path / "clusters" / "m").mkdir(parents=True)
    (tmp_path / "clusters" / "m" / "a.yaml").write_text("apiVersion: v1\nkind: Namespace\n")
    kubernetes = (
        "  manifests:\n    - name: a\n      mode: one-time\n      file: m/a.yaml\n"
        "      labels: {team: infra}\n      annotations: {note: x}\n"
    )
    report = lint_template(
        tmp_path, template(kubernetes=kubernetes), "ct-unknown-field", "ct-manifests"
    )
    assert messages(report) == []


def test_reserved_label_on_a_manifest(tmp_path: Path) -> None:
    kubernetes = (
        "  manifests:\n    - name: a\n      mode: full\n      inline: [{kind: Namespace}]\n"
        "      labels: {omni.sidero.dev/x: y}\n"
    )
    [message] = messages(lint_template(tmp_path, template(kubernetes=kubernetes), "ct-manifests"))
    assert message == (
        'kubernetes manifest "a" descriptors validation failed: label "omni.sidero.dev/x" is '
        'invalid: prefix "omni.sidero.dev/" is reserved for internal use'
    )


@pytest.mark.parametrize(
    ("checks", "expected"),
    [
        ("    - file: c.yaml\n", ["either name or idOverride is required for a healthcheck"]),
        (
            "    - name: a\n      file: c.yaml\n      job: {kind: Job}\n",
            ['healthcheck "a": job and file are mutually exclusive'],
        ),
        ("    - name: a\n", ['healthcheck "a": job or file is required']),
        (
            "    - name: a\n      job: {kind: Job}\n    - idOverride: a\n      job: {kind: Job}\n",
            ['duplicate healthcheck "a"'],
        ),
        ("    - name: a\n      job: {kind: Job}\n      interval: 1m\n", []),
    ],
)
def test_healthchecks(tmp_path: Path, checks: str, expected: list[str]) -> None:
    kubernetes = "  healthchecks:\n" + checks
    report = lint_template(
        tmp_path, template(kubernetes=kubernetes), "ct-manifests", "ct-unknown-field"
    )
    assert messages(report) == expected
