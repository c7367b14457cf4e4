"""ct-patch-content: patch contents as omnictl's patch validation sees them (omni.md §0.1–2).

Cases follow siderolabs/omni v1.10.4 `omni.ValidateConfigPatch` and the Talos config loader it
runs (configloader.NewFromBytes with WithAllowPatchDelete: strict decoding).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.ct_helpers import lint_template
from omni_scale.lint.problem import Severity


def template(patches: str, talos: str = "v1.10.3") -> str:
    return (
        "kind: Cluster\nname: talos\nkubernetes:\n  version: v1.33.0\n"
        f"talos:\n  version: {talos}\n---\n"
        "kind: ControlPlane\nmachineClass: {name: cp, size: 1}\n---\n"
        "kind: Workers\nmachineClass: {name: w, size: 1}\npatches:\n" + patches
    )


WORKERS_PATCH_LINE = 14  # the line of the first `- ` under the Workers' patches


def patch_file(root: Path, text: str, name: str = "p.yaml") -> Path:
    path = root / "clusters" / "patches" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def lint(root: Path, patches: str, talos: str = "v1.10.3") -> list:  # type: ignore[type-arg]
    return lint_template(root, template(patches, talos), "ct-patch-content").problems


def test_empty_patch_file_is_config_not_found_in_that_file(tmp_path: Path) -> None:
    path = patch_file(tmp_path, "# nothing here yet\n")
    [problem] = lint(tmp_path, "  - file: patches/p.yaml\n")
    assert problem.path == str(path)
    assert (problem.line, problem.column) == (1, 1)
    assert "config not found" in problem.message
    assert problem.severity is Severity.ERROR


def test_unknown_key_in_a_file_patch_points_into_the_file(tmp_path: Path) -> None:
    path = patch_file(tmp_path, "machine:\n  kubelet:\n    extraArg:\n      max-pods: '150'\n")
    [problem] = lint(tmp_path, "  - file: patches/p.yaml\n")
    assert problem.path == str(path)
    assert (problem.line, problem.column) == (3, 5)
    assert 'unknown key "machine.kubelet.extraArg"' in problem.message
    assert "unknown keys found during decoding" in problem.message
    assert problem.hint == 'did you mean "extraArgs"? (keys are case-sensitive)'


def test_valid_patch_file_passes(tmp_path: Path) -> None:
    patch_file(
        tmp_path,
        "machine:\n  kubelet:\n    extraArgs:\n      max-pods: '150'\n"
        "    extraMounts:\n      - destination: /var/lib/longhorn\n        type: bind\n"
        "        source: /var/lib/longhorn\n        options: [bind, rshared, rw]\n"
        "cluster:\n  network:\n    cni:\n      name: none\n  proxy:\n    disabled: true\n",
    )
    assert lint(tmp_path, "  - file: patches/p.yaml\n") == []


def test_inline_mapping_unknown_key_points_into_the_template(tmp_path: Path) -> None:
    [problem] = lint(tmp_path, "  - name: k\n    inline:\n      machine:\n        kubelett: {}\n")
    assert problem.path.endswith("talos.yaml")
    assert (problem.line, problem.column) == (WORKERS_PATCH_LINE + 3, 9)
    assert 'unknown key "machine.kubelett"' in problem.message
    assert problem.hint == 'did you mean "kubelet"? (keys are case-sensitive)'


def test_inline_string_patch_positions_in_the_template(tmp_path: Path) -> None:
    problems = lint(
        tmp_path,
        "  - name: s\n    inline: |\n      machine:\n        install:\n          wipe: 'yes'\n",
    )
    [problem] = problems
    assert (problem.line, problem.column) == (WORKERS_PATCH_LINE + 4, 11)
    assert '"machine.install.wipe" must be a boolean, not a string' in problem.message
    assert problem.hint == "write true or false"


def test_inline_list_with_two_v1alpha1_documents_is_a_duplicate(tmp_path: Path) -> None:
    [problem] = lint(
        tmp_path,
        "  - name: l\n    inline:\n      - machine: {kubelet: {}}\n"
        "      - machine: {sysctls: {}}\n",
    )
    assert "duplicate document /v1alpha1/ is not allowed" in problem.message


def test_empty_inline_list_is_config_not_found(tmp_path: Path) -> None:
    [problem] = lint(tmp_path, "  - name: l\n    inline: []\n")
    assert "config not found" in problem.message
    assert problem.line == WORKERS_PATCH_LINE + 1


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        (
            "machine:\n  token: abc\n",
            'overriding "machine.token" is not allowed in the config patch',
        ),
        (
            "machine:\n  features:\n    kubernetesTalosAPIAccess:\n      enabled: true\n"
            "      allowedRoles: [os:reader, os:admin]\n",
            'element "os:admin" is not allowed in field '
            '"machine.features.kubernetesTalosAPIAccess.allowedRoles"',
        ),
        (
            "apiVersion: v1alpha1\nkind: KubeClusterConfig\n",
            'the "KubeClusterConfig" document is not allowed in the config patch',
        ),
        (
            "apiVersion: v1alpha1\nkind: NetworkRuleConfg\nname: x\n",
            'unknown document kind "NetworkRuleConfg"',
        ),
        ("foo: bar\n", "missing kind"),
        ("apiVersion: v1alpha1\nkind: NetworkRuleConfig\nname: a\nports: [1]\n", "unknown key"),
        ("machine:\n  kubelet:\n    extraMounts: {a: b}\n", "must be a list, not a mapping"),
        ("- machine: {}\n", "expected a YAML document (a mapping), got a list"),
    ],
)
def test_patch_file_problems(tmp_path: Path, patch: str, expected: str) -> None:
    patch_file(tmp_path, patch)
    problems = lint(tmp_path, "  - file: patches/p.yaml\n")
    assert any(expected in p.message for p in problems), problems
    assert all(p.severity is Severity.ERROR for p in problems)


def test_patch_delete_is_allowed(tmp_path: Path) -> None:
    patch_file(
        tmp_path,
        "machine:\n  network:\n    $patch: delete\n  kubelet:\n    extraArgs:\n"
        "      $patch: delete\n---\napiVersion: v1alpha1\nkind: NetworkRuleConfig\nname: a\n"
        "$patch: delete\n",
    )
    assert lint(tmp_path, "  - file: patches/p.yaml\n") == []


def test_deprecated_fields_the_newer_schemas_hide_are_still_accepted(tmp_path: Path) -> None:
    """Talos >= 1.12 schemas omit machine.network.interfaces; the decoder still takes it."""
    patch_file(
        tmp_path,
        "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        dhcp: true\n",
    )
    assert lint(tmp_path, "  - file: patches/p.yaml\n", talos="v1.13.0") == []


def test_document_kind_the_schema_misnames(tmp_path: Path) -> None:
    """The schema's enum says KubeSpanEndpoints; the decoder registers KubeSpanEndpointsConfig."""
    patch_file(
        tmp_path,
        "apiVersion: v1alpha1\nkind: KubeSpanEndpointsConfig\n"
        "extraAnnouncedEndpoints: [192.0.2.1:51820]\n",
    )
    assert lint(tmp_path, "  - file: patches/p.yaml\n") == []


def test_key_of_a_later_talos_is_a_warning_for_an_older_cluster(tmp_path: Path) -> None:
    patch_file(tmp_path, "apiVersion: v1alpha1\nkind: HostnameConfig\nhostname: node-1\n")
    [problem] = lint(tmp_path, "  - file: patches/p.yaml\n", talos="v1.10.3")
    assert problem.severity is Severity.WARNING
    assert "later Talos than v1.10" in problem.message
    assert lint(tmp_path, "  - file: patches/p.yaml\n", talos="v1.12.0") == []


def test_newer_talos_falls_back_to_the_newest_table_with_a_note(tmp_path: Path) -> None:
    patch_file(tmp_path, "machine:\n  kubelet:\n    somethingNew: true\n")
    problems = lint(tmp_path, "  - file: patches/p.yaml\n", talos="v1.99.0")
    assert {p.severity for p in problems} == {Severity.WARNING}
    note = next(p for p in problems if "no Talos v1.99 key table" in p.message)
    assert note.line == 6  # talos.version
    assert any('unknown key "machine.kubelet.somethingNew"' in p.message for p in problems)


def test_shared_patch_file_reported_once(tmp_path: Path) -> None:
    patch_file(tmp_path, "")
    text = template("  - file: patches/p.yaml\n").replace(
        "kind: ControlPlane\nmachineClass: {name: cp, size: 1}\n",
        "kind: ControlPlane\nmachineClass: {name: cp, size: 1}\npatches:\n"
        "  - file: patches/p.yaml\n",
    )
    problems = lint_template(tmp_path, text, "ct-patch-content").problems
    assert len(problems) == 1


def test_patch_files_beside_the_templates_are_not_unexpected_documents(tmp_path: Path) -> None:
    """omnictl >= 1.8 reads patch files only from inside the template's folder: linting the
    whole clusters/ folder must not call them broken templates."""
    from omni_scale.lint.context import build_context
    from omni_scale.lint.engine import lint_files
    from omni_scale.project import Project

    patch_file(tmp_path, "machine:\n  kubelet: {}\n")
    patch_file(tmp_path, "machine:\n  kubelet: {}\n", name="stray.yaml")  # named by no template
    lint(tmp_path, "  - file: patches/p.yaml\n")  # writes clusters/talos.yaml
    report = lint_files([tmp_path / "clusters"], build_context(Project(tmp_path)))
    unexpected = [p for p in report.problems if p.rule == "unexpected-document"]
    assert [Path(p.path).name for p in unexpected] == ["stray.yaml"]
