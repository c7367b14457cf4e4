"""services.cluster_create: classes picked, versions from Omni, linted before writing, dry run
writes nothing, sync hands the written file to omnictl."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes.fixtures_omnictl import FakeOmnictl, resource
from lint.ct_helpers import add_classes
from omni_scale.errors import EnvironmentProblem, InputError
from omni_scale.project import Project
from omni_scale.services.cluster_create import ClusterRequest, create_cluster

VERSIONS = {"talos": "v1.12.0", "kubernetes": "1.34.2"}


def test_writes_the_template_with_the_only_class(project: Path) -> None:
    add_classes(project, auto=("only",))
    notes: list[str] = []
    warnings: list[str] = []
    created = create_cluster(
        Project(project),
        ClusterRequest(name="lab", control_planes=2, **VERSIONS),
        note=notes.append,
        warn=warnings.append,
    )
    assert created.target == project / "clusters" / "lab.yaml"
    assert created.outcome is not None and created.outcome.backup is None
    assert created.target.read_text() == created.text
    assert created.text.count("name: only") == 2 and "version: v1.34.2" in created.text
    assert created.sync_output is None
    assert any("2 control planes: etcd needs a majority" in w for w in warnings)


def test_dry_run_writes_nothing(project: Path) -> None:
    add_classes(project, auto=("cp",))
    created = create_cluster(
        Project(project),
        ClusterRequest(name="lab", dry_run=True, **VERSIONS),
        note=lambda _: None,
        warn=lambda _: None,
    )
    assert created.outcome is None and "kind: Cluster" in created.text
    assert not created.target.exists() and created.exists is False
    created.target.parent.mkdir(parents=True, exist_ok=True)
    created.target.write_text("# mine\n")
    again = create_cluster(
        Project(project),
        ClusterRequest(name="lab", dry_run=True, **VERSIONS),
        note=lambda _: None,
        warn=lambda _: None,
    )
    assert again.exists is True and created.target.read_text() == "# mine\n"


def test_unknown_class_suggests_the_close_one(project: Path) -> None:
    add_classes(project, auto=("control-plane", "worker"))
    with pytest.raises(InputError) as info:
        create_cluster(
            Project(project),
            ClusterRequest(name="lab", cp_class="control-plan", worker_class="worker", **VERSIONS),
            note=lambda _: None,
            warn=lambda _: None,
        )
    assert "not in machine-classes/" in info.value.message
    assert info.value.hint == "did you mean control-plane?"


def test_invalid_name_and_partial_version_are_refused(project: Path) -> None:
    add_classes(project, auto=("cp",))
    for request in (
        ClusterRequest(name="a b", **VERSIONS),
        ClusterRequest(name="lab", talos="v1.12", kubernetes="1.34.2"),
    ):
        with pytest.raises(InputError):
            create_cluster(Project(project), request, note=lambda _: None, warn=lambda _: None)
    assert not (project / "clusters").exists()


def test_versions_from_omni(project: Path, fake_omnictl: FakeOmnictl) -> None:
    add_classes(project, auto=("cp",))
    fake_omnictl.add(
        resource(
            "TalosVersions.omni.sidero.dev",
            "1.12.0",
            {"version": "1.12.0", "compatiblekubernetesversions": ["1.34.2", "1.35.0"]},
        ),
    )
    notes: list[str] = []
    created = create_cluster(
        Project(project), ClusterRequest(name="lab"), note=notes.append, warn=lambda _: None
    )
    assert "version: v1.12.0" in created.text and "version: v1.35.0" in created.text
    assert notes == ["asking Omni for its newest Talos and Kubernetes versions"]


def test_unreachable_omni_is_an_environment_problem(
    project: Path, fake_omnictl: FakeOmnictl
) -> None:
    add_classes(project, auto=("cp",))
    fake_omnictl.set_backend(unreachable="refused")
    with pytest.raises(EnvironmentProblem) as info:
        create_cluster(
            Project(project), ClusterRequest(name="lab"), note=lambda _: None, warn=lambda _: None
        )
    assert info.value.hint == "pass --talos vX.Y.Z and --kubernetes vX.Y.Z"
    assert not (project / "clusters" / "lab.yaml").exists()


def test_sync_runs_omnictl_on_the_written_file(project: Path, fake_omnictl: FakeOmnictl) -> None:
    add_classes(project, auto=("cp",))
    created = create_cluster(
        Project(project),
        ClusterRequest(name="lab", sync=True, **VERSIONS),
        note=lambda _: None,
        warn=lambda _: None,
    )
    assert created.sync_output is not None
    assert "* creating Clusters.omni.sidero.dev(lab)" in created.sync_output
    calls = [c for c in fake_omnictl.calls() if c["argv"][:3] == ["cluster", "template", "sync"]]
    assert calls and calls[0]["cwd"] == str(project / "clusters")
