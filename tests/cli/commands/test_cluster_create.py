"""`cluster create`: a valid template from the project's classes, never overwriting by surprise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes.fixtures_omnictl import FakeOmnictl, resource
from lint.ct_helpers import add_classes
from omni_scale.lint.context import build_context
from omni_scale.lint.engine import lint_files
from omni_scale.project import Project

ARGS = ("--talos", "v1.12.0", "--kubernetes", "1.34.2")


def test_writes_a_valid_template(cli: Any, project: Path) -> None:
    add_classes(project, auto=("cp", "worker"))
    result = cli(
        "cluster",
        "create",
        "lab",
        "--control-planes",
        "3",
        "--workers",
        "2",
        "--cp-class",
        "cp",
        "--worker-class",
        "worker",
        "--cni",
        "none",
        *ARGS,
        "--project-dir",
        project,
    )
    assert result.code == 0, result.err
    path = project / "clusters" / "lab.yaml"
    text = path.read_text()
    assert "version: v1.34.2" in text  # normalized with the v
    assert "name: none" in text and "size: 3" in text and "name: worker\n  size: 2" in text
    report = lint_files([path], build_context(Project(project)))
    assert report.problems == []
    assert "next: omni-scale cluster template sync clusters/lab.yaml" in result.out


def test_refuses_to_overwrite_without_force(cli: Any, project: Path) -> None:
    add_classes(project, auto=("cp",))
    (project / "clusters").mkdir()
    (project / "clusters" / "lab.yaml").write_text("# mine\n")
    result = cli("cluster", "create", "lab", *ARGS, "--project-dir", project)
    assert result.code == 2 and "already exists" in result.err and "--force" in result.err
    assert (project / "clusters" / "lab.yaml").read_text() == "# mine\n"
    forced = cli("cluster", "create", "lab", *ARGS, "--force", "--project-dir", project, "--json")
    assert forced.code == 0
    assert forced.json()["backup"] and Path(forced.json()["backup"]).read_text() == "# mine\n"


def test_single_class_is_used_for_both(cli: Any, project: Path) -> None:
    add_classes(project, auto=("only",))
    result = cli("cluster", "create", "lab", *ARGS, "--project-dir", project, "--json")
    assert result.code == 0
    assert result.json()["template"].count("name: only") == 2


def test_classes_must_exist(cli: Any, project: Path) -> None:
    result = cli("cluster", "create", "lab", "--cp-class", "cp", *ARGS, "--project-dir", project)
    assert result.code == 2 and "no machine classes" in result.err
    add_classes(project, auto=("control-plane", "worker"))
    result = cli(
        "cluster",
        "create",
        "lab",
        "--cp-class",
        "control-plan",
        "--worker-class",
        "worker",
        *ARGS,
        "--project-dir",
        project,
    )
    assert result.code == 2 and "did you mean control-plane?" in result.err
    result = cli("cluster", "create", "lab", *ARGS, "--project-dir", project)
    assert result.code == 2 and "--cp-class is required" in result.err
    assert not (project / "clusters" / "lab.yaml").exists()


def test_bad_name_and_versions(cli: Any, project: Path) -> None:
    add_classes(project, auto=("cp",))
    assert cli("cluster", "create", "la b", *ARGS, "--project-dir", project).code == 2
    result = cli(
        "cluster",
        "create",
        "lab",
        "--talos",
        "v1.12",
        "--kubernetes",
        "v1.34.2",
        "--project-dir",
        project,
    )
    assert result.code == 2 and "not a full version" in result.err


def test_versions_default_to_omnis_newest(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    add_classes(project, auto=("cp",))
    fake_omnictl.add(
        resource(
            "TalosVersions.omni.sidero.dev",
            "1.11.5",
            {"version": "1.11.5", "compatiblekubernetesversions": ["1.33.1", "1.34.1"]},
        ),
        resource(
            "TalosVersions.omni.sidero.dev",
            "1.12.0",
            {"version": "1.12.0", "compatiblekubernetesversions": ["1.34.2", "1.35.0"]},
        ),
        resource(
            "TalosVersions.omni.sidero.dev",
            "1.13.0-alpha.1",
            {"version": "1.13.0-alpha.1", "compatiblekubernetesversions": ["1.35.0"]},
        ),
        resource(
            "TalosVersions.omni.sidero.dev",
            "1.10.9",
            {"version": "1.10.9", "deprecated": True, "compatiblekubernetesversions": ["1.36.0"]},
        ),
    )
    result = cli("cluster", "create", "lab", "--project-dir", project, "--json")
    assert result.code == 0, result.err
    text = result.json()["template"]
    assert "version: v1.12.0" in text and "version: v1.35.0" in text


def test_versions_needed_when_omni_is_unreachable(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    add_classes(project, auto=("cp",))
    fake_omnictl.set_backend(unreachable="refused")
    result = cli("cluster", "create", "lab", "--project-dir", project)
    assert result.code == 3  # an unreachable endpoint is an environment problem
    assert "pass --talos vX.Y.Z and --kubernetes vX.Y.Z" in result.err


def test_create_and_sync(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    add_classes(project, auto=("cp", "worker"))
    result = cli(
        "cluster",
        "create",
        "lab",
        "--cp-class",
        "cp",
        "--worker-class",
        "worker",
        "--workers",
        "0",
        *ARGS,
        "--sync",
        "--project-dir",
        project,
        "--json",
    )
    assert result.code == 0, result.err
    assert "kind: Workers" not in result.json()["template"]
    assert "* creating Clusters.omni.sidero.dev(lab)" in result.json()["sync"]["output"]
    sync_call = [
        c for c in fake_omnictl.calls() if c["argv"][:3] == ["cluster", "template", "sync"]
    ]
    assert sync_call and sync_call[0]["cwd"] == str(project / "clusters")


def test_even_control_planes_warn(cli: Any, project: Path) -> None:
    add_classes(project, auto=("cp",))
    result = cli(
        "cluster", "create", "lab", "--control-planes", "2", *ARGS, "--project-dir", project
    )
    assert result.code == 0 and "use 1, 3 or 5" in result.err


def test_dry_run_prints_the_linted_template_and_writes_nothing(cli: Any, project: Path) -> None:
    add_classes(project, auto=("cp",))
    args = ("cluster", "create", "lab", "--cp-class", "cp", *ARGS, "--project-dir", project)
    result = cli(*args, "--dry-run", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["dry_run"] is True and data["status"] == "would create"
    assert "kind: Cluster" in data["template"] and "name: lab" in data["template"]
    assert not (project / "clusters" / "lab.yaml").exists()
    written = cli(*args)
    assert written.code == 0
    assert (project / "clusters" / "lab.yaml").read_text().endswith(data["template"])
    again = cli(*args, "--dry-run")
    assert again.code == 2 and "would refuse without --force" in again.out
