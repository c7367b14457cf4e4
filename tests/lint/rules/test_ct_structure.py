"""ct-structure and ct-duplicate-workers: counts and names across a template's documents."""

from __future__ import annotations

from pathlib import Path

from lint.ct_helpers import HEAD, lint_template, messages


def test_complete_template_passes(tmp_path: Path) -> None:
    assert lint_template(tmp_path, HEAD, "ct-structure").problems == []


def test_missing_controlplane(tmp_path: Path) -> None:
    text = HEAD.split("---")[0]
    assert messages(lint_template(tmp_path, text, "ct-structure")) == [
        "template should contain 1 controlplane, got 0"
    ]


def test_two_clusters(tmp_path: Path) -> None:
    text = HEAD + "---\n" + HEAD.split("---")[0]
    assert messages(lint_template(tmp_path, text, "ct-structure")) == [
        "template should contain 1 cluster, got 2"
    ]


def test_machine_only_fragment(tmp_path: Path) -> None:
    text = "kind: Machine\nname: 0d4c6e5e-0000-4000-8000-000000000001\nlocked: true\n"
    report = lint_template(tmp_path, text, "ct-structure")
    assert messages(report) == [
        "this file has only Machine documents: a fragment, not a cluster template"
    ]


def test_non_template_files_are_ignored(tmp_path: Path) -> None:
    text = "metadata:\n  type: MachineClasses.omni.sidero.dev\n  id: w\nspec:\n  matchlabels: []\n"
    assert lint_template(tmp_path, text, "ct-structure").problems == []


def test_unnamed_workers_collide(tmp_path: Path) -> None:
    workers = "---\nkind: Workers\nmachineClass:\n  name: w\n  size: 1\n"
    report = lint_template(tmp_path, HEAD + workers + workers, "ct-duplicate-workers")
    assert messages(report) == ['duplicate workers with name ""']
    assert report.problems[0].line == 18  # `kind:` of the second Workers document


def test_unnamed_and_named_workers_collide_at_sync(tmp_path: Path) -> None:
    text = (
        HEAD
        + "---\nkind: Workers\nmachineClass: {name: w, size: 1}\n"
        + "---\nkind: Workers\nname: workers\nmachineClass: {name: w, size: 1}\n"
    )
    assert messages(lint_template(tmp_path, text, "ct-duplicate-workers")) == [
        'Workers "workers" and Workers "" both become machine set talos-workers'
    ]


def test_named_workers_pass(tmp_path: Path) -> None:
    text = HEAD + "".join(
        f"---\nkind: Workers\nname: w-{n}\nmachineClass: {{name: w, size: 1}}\n" for n in "abc"
    )
    assert lint_template(tmp_path, text, "ct-duplicate-workers").problems == []


def test_machine_in_two_sets(tmp_path: Path) -> None:
    uuid = "0d4c6e5e-0000-4000-8000-000000000001"
    text = (
        "kind: Cluster\nname: t\nkubernetes: {version: v1.34.2}\ntalos: {version: v1.12.0}\n"
        f"---\nkind: ControlPlane\nmachines: [{uuid}]\n"
        f"---\nkind: Workers\nmachines: [{uuid}]\n"
    )
    assert messages(lint_template(tmp_path, text, "ct-duplicate-workers")) == [
        f'machine "{uuid}" is used in controlplane and workers ""'
    ]
