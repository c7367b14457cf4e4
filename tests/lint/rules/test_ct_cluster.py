"""ct-cluster, ct-version, ct-incomplete-version: the Cluster document."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.ct_helpers import HEAD, lint_template, messages


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "name: talos",
            "name: talos.prod",
            'cluster name "talos.prod": name should only contain '
            "letters, digits, dashes and underscores",
        ),
        ("name: talos\n", "", "name is required"),
        (
            "name: talos",
            "name: talos\nlabels:\n  omni.sidero.dev/x: y",
            'label "omni.sidero.dev/x" is invalid: prefix "omni.sidero.dev/" is reserved for '
            "internal use",
        ),
    ],
)
def test_cluster_name_and_labels(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert messages(lint_template(tmp_path, HEAD.replace(old, new, 1), "ct-cluster")) == [expected]


def test_cluster_passes(tmp_path: Path) -> None:
    text = HEAD.replace("name: talos", "name: talos_prod-01\nlabels: {env: prod}")
    assert lint_template(tmp_path, text, "ct-cluster").problems == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "version: v1.12.0",
            "version: 1.12.0",
            "error validating Talos version: version should start with 'v'",
        ),
        (
            "version: v1.34.2",
            "version: latest",
            "error validating Kubernetes version: version should be in semver format: 'latest' is "
            "not a version",
        ),
        ("talos:\n  version: v1.12.0\n", "", "error validating Talos version: version is required"),
    ],
)
def test_versions(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert messages(lint_template(tmp_path, HEAD.replace(old, new), "ct-version")) == [expected]


def test_kubernetes_version_without_v_is_accepted(tmp_path: Path) -> None:
    text = HEAD.replace("version: v1.34.2", "version: 1.34.2")
    assert lint_template(tmp_path, text, "ct-version").problems == []


def test_incomplete_version_warns(tmp_path: Path) -> None:
    report = lint_template(tmp_path, HEAD.replace("v1.34.2", "v1.35"), "ct-incomplete-version")
    assert messages(report) == [
        "Kubernetes version v1.35 is not a full release (MAJOR.MINOR.PATCH)"
    ]
    assert report.problems[0].severity == "warning"
    assert report.problems[0].hint and "v1.35.0" in report.problems[0].hint
    assert lint_template(tmp_path, HEAD, "ct-incomplete-version").problems == []
