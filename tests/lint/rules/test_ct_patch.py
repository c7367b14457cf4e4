"""ct-patch and ct-node-labels: config patches and patch files."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.ct_helpers import HEAD, lint_template, messages


def workers(patches: str) -> str:
    return (
        HEAD + "---\nkind: Workers\nname: w\nmachineClass: {name: w, size: 1}\npatches:\n" + patches
    )


def test_file_patch_relative_to_the_template_passes(tmp_path: Path) -> None:
    (tmp_path / "clusters" / "patches").mkdir(parents=True)
    (tmp_path / "clusters" / "patches" / "cni.yaml").write_text(
        "cluster: {network: {cni: {name: none}}}\n"
    )
    report = lint_template(tmp_path, workers("  - file: patches/cni.yaml\n"), "ct-patch")
    assert report.problems == []


def test_missing_patch_file(tmp_path: Path) -> None:
    # exists relative to the project root (old omnictl's cwd), not to the template
    (tmp_path / "patches").mkdir()
    (tmp_path / "patches" / "cni.yaml").write_text("{}\n")
    report = lint_template(tmp_path, workers("  - file: patches/cni.yaml\n"), "ct-patch")
    assert len(report.problems) == 1
    assert report.problems[0].message.startswith('patch file "patches/cni.yaml" does not exist')


@pytest.mark.parametrize("raw", ["../secrets/p.yaml", "/etc/hostname"])
def test_patch_file_escaping_the_template_directory(tmp_path: Path, raw: str) -> None:
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "p.yaml").write_text("{}\n")
    report = lint_template(tmp_path, workers(f"  - file: {raw}\n"), "ct-patch")
    assert len(report.problems) == 1
    assert "is outside the template's" in report.problems[0].message
    assert report.problems[0].hint and "clusters/" in report.problems[0].hint


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        (
            "  - inline: {machine: {kubelet: {}}}\n",
            "patch is invalid: either name or idOverride is required for inline patches",
        ),
        ("  - name: p\n", 'patch "p" is invalid: path or inline is required'),
        ("  - name: p\n    inline:\n", 'patch "p" is invalid: path or inline is required'),
        ("  - file: ''\n    name: p\n", 'patch "p" is invalid: path or inline is required'),
    ],
)
def test_inline_patch_rules(tmp_path: Path, patch: str, expected: str) -> None:
    assert messages(lint_template(tmp_path, workers(patch), "ct-patch")) == [expected]


def test_node_role_label_warns(tmp_path: Path) -> None:
    patch = (
        "  - name: labels\n    inline:\n      machine:\n        nodeLabels:\n"
        "          node-role.kubernetes.io/worker: ''\n          topology.kubernetes.io/zone: a\n"
        "          node.kubernetes.io/pool: x\n          example.com/role: worker\n"
    )
    report = lint_template(tmp_path, workers(patch), "ct-node-labels")
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.severity == "warning"
    assert '"node-role.kubernetes.io/worker"' in problem.message
    assert problem.hint and "kubectl label node" in problem.hint
    assert problem.line == 21  # the label key


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        ("kubernetes.io/role", True),
        ("k8s.io/x", True),
        ("foo.k8s.io/x", True),
        ("kubernetes.io/hostname", False),
        ("kubelet.kubernetes.io/x", False),
        ("failure-domain.beta.kubernetes.io/zone", False),
        ("plain", False),
    ],
)
def test_node_restriction_table(key: str, bad: bool) -> None:
    from omni_scale.core.template.model import node_label_forbidden

    assert node_label_forbidden(key) is bad


def test_node_label_in_a_patch_file(tmp_path: Path) -> None:
    (tmp_path / "clusters" / "patches").mkdir(parents=True)
    (tmp_path / "clusters" / "patches" / "l.yaml").write_text(
        "machine:\n  nodeLabels:\n    node-role.kubernetes.io/storage: ''\n"
    )
    report = lint_template(tmp_path, workers("  - file: patches/l.yaml\n"), "ct-node-labels")
    assert messages(report) == [
        'node label "node-role.kubernetes.io/storage" (in patches/l.yaml) is refused by Kubernetes '
        "NodeRestriction: the node cannot set it on itself"
    ]


def test_absolute_patch_file_inside_the_template_directory_passes(tmp_path: Path) -> None:
    """omnictl resolves an absolute path relative to its root (filepath.Rel): inside is fine."""
    patch = tmp_path / "clusters" / "patches" / "cni.yaml"
    patch.parent.mkdir(parents=True)
    patch.write_text("cluster: {network: {cni: {name: none}}}\n")
    report = lint_template(tmp_path, workers(f"  - file: {patch}\n"), "ct-patch")
    assert report.problems == []


def test_inline_null_with_a_file_is_just_a_file_patch(tmp_path: Path) -> None:
    """Omni tests `patch.Inline != nil`: `inline:` with no value is unset, not a conflict."""
    (tmp_path / "clusters" / "patches").mkdir(parents=True)
    (tmp_path / "clusters" / "patches" / "a.yaml").write_text("machine: {}\n")
    report = lint_template(tmp_path, workers("  - file: patches/a.yaml\n    inline:\n"), "ct-patch")
    assert report.problems == []
