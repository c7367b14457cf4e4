"""`cluster template validate | sync | diff` through the fake omnictl on PATH."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import SAMPLES
from fakes.fixtures_omnictl import FakeOmnictl

TEMPLATE = """\
kind: Cluster
name: talos
kubernetes:
  version: v1.34.2
talos:
  version: v1.12.0
patches:
  - file: patches/cni.yaml
---
kind: ControlPlane
machineClass:
  name: control-plane
  size: 1
---
kind: Workers
machineClass:
  name: worker
  size: 2
"""

VALIDATE_ERROR = (
    'Error: 1 error occurred:\n\t* error validating cluster "talos": 1 error occurred:\n'
    "\t* error validating Talos version: invalid talos version\n\n\n"
)


def write(project: Path, text: str = TEMPLATE, name: str = "talos.yaml") -> Path:
    clusters = project / "clusters"
    (clusters / "patches").mkdir(parents=True, exist_ok=True)
    (clusters / "patches" / "cni.yaml").write_text(
        "cluster:\n  network:\n    cni:\n      name: none\n"
    )
    path = clusters / name
    path.write_text(text)
    return path


def omnictl_calls(fake: FakeOmnictl, sub: str) -> list[dict[str, Any]]:
    return [c for c in fake.calls() if c["argv"][:3] == ["cluster", "template", sub]]


def test_validate_runs_lint_and_omnictl(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    path = write(project)
    result = cli("cluster", "template", "validate", path, "--project-dir", project, "--json")
    assert result.code == 0, result.out + result.err
    data = result.json()
    assert data["ok"] is True
    assert data["lint"]["summary"]["errors"] == 0
    assert (data["omnictl"]["available"], data["omnictl"]["ok"]) == (True, True)
    (call,) = omnictl_calls(fake_omnictl, "validate")
    assert call["cwd"] == str(path.parent)
    assert call["argv"][3:] == ["-f", "talos.yaml"]


def test_validate_is_offline(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    fake_omnictl.set_backend(unreachable="refused")
    result = cli("cluster", "template", "validate", write(project), "--project-dir", project)
    assert result.code == 0
    assert "omnictl cluster template validate: ok" in result.out


def test_validate_reports_omnictl_errors(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    fake_omnictl.respond(["cluster", "template", "validate"], stderr=VALIDATE_ERROR, exit=1)
    result = cli(
        "cluster", "template", "validate", write(project), "--project-dir", project, "--json"
    )
    assert result.code == 1
    data = result.json()
    assert data["lint"]["summary"]["errors"] == 0
    assert data["omnictl"]["ok"] is False
    assert "error validating Talos version" in data["omnictl"]["output"]


def test_validate_reports_lint_errors_and_omnictl(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    text = (SAMPLES / "templates" / "ct-06-basher83-readme-two-controlplanes.yaml").read_text()
    fake_omnictl.respond(
        ["cluster", "template", "validate"],
        stderr="Error: 2 errors occurred:\n\t* template should contain 1 cluster, got 0\n"
        "\t* template should contain 1 controlplane, got 2\n\n",
        exit=1,
    )
    result = cli("cluster", "template", "validate", write(project, text), "--project-dir", project)
    assert result.code == 1
    assert "[ct-structure] template should contain 1 controlplane, got 2" in result.out
    assert "omnictl cluster template validate: 2 errors occurred:" in result.out


def test_validate_without_omnictl_is_lint_only(
    cli: Any, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = cli(
        "cluster", "template", "validate", write(project), "--project-dir", project, "--json"
    )
    assert result.code == 0
    assert result.json()["omnictl"] == {"available": False, "ok": None, "output": None}


def test_sync_refuses_a_template_with_lint_errors(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    text = (SAMPLES / "templates" / "ct-07-basher83-skill-unnamed-workers.yaml").read_text()
    result = cli("cluster", "template", "sync", write(project, text), "--project-dir", project)
    assert result.code == 1
    assert 'duplicate workers with name ""' in result.out
    assert "not running omnictl sync" in result.out
    # only the offline `--version` (the lint checks fields against omnictl's release)
    assert [c["argv"] for c in fake_omnictl.calls()] == [["--version"]]
    as_json = cli(
        "cluster", "template", "sync", write(project, text), "--project-dir", project, "--json"
    )
    assert as_json.json()["refused"].endswith("lint error(s): sync not run")
    assert [c["argv"] for c in fake_omnictl.calls()] == [["--version"]] * 2


def test_sync_runs_from_the_template_directory(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(project)
    monkeypatch.chdir(project)  # a relative path, like a user in the repo root
    result = cli("cluster", "template", "sync", "clusters/talos.yaml", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["actions"][0] == {
        "action": "creating",
        "type": "Clusters.omni.sidero.dev",
        "id": "talos",
    }
    assert [(a["type"].split(".")[0], a["id"]) for a in data["actions"]] == [
        ("Clusters", "talos"),
        ("ConfigPatches", "200-cluster-talos-patches/cni.yaml"),
        ("MachineSets", "talos-control-planes"),
        ("MachineSets", "talos-workers"),
    ]
    (call,) = omnictl_calls(fake_omnictl, "sync")
    assert call["cwd"] == str(path.parent)
    assert "--dry-run" not in call["argv"]


def test_sync_dry_run(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    result = cli(
        "cluster", "template", "sync", write(project), "--dry-run", "--project-dir", project
    )
    assert result.code == 0
    assert "* creating (dry run) Clusters.omni.sidero.dev(talos)" in result.out
    assert fake_omnictl.resources("Clusters.omni.sidero.dev") == []
    as_json = cli(
        "cluster", "template", "sync", write(project), "-d", "--project-dir", project, "--json"
    )
    # omnictl puts the dry-run marker before the resource: the actions are still read
    assert [a["action"] for a in as_json.json()["actions"]] == ["creating"] * 4
    assert as_json.json()["actions"][1]["type"] == "ConfigPatches.omni.sidero.dev"


def test_sync_teardown_lines(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    path = write(project)
    assert cli("cluster", "template", "sync", path, "--project-dir", project).code == 0
    smaller = TEMPLATE.split("---\nkind: Workers")[0]
    path.write_text(smaller)
    result = cli("cluster", "template", "sync", path, "--project-dir", project, "--json")
    assert result.code == 0, result.err
    actions = [(a["action"], a["id"]) for a in result.json()["actions"]]
    assert ("tearing down", "talos-workers") in actions
    assert actions[-1] == ("destroyed", "talos-workers")
    assert ("updating", "talos") in actions


def test_sync_server_rejection_is_one_line(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    fake_omnictl.respond(
        ["cluster", "template", "sync"],
        stderr="Error: rpc error: code = InvalidArgument desc = failed to validate: 1 error "
        'occurred:\n\t* machine class "worker" is using autoprovision, so unlimited machine set '
        "allocation is not supported\n\n",
        exit=1,
    )
    result = cli("cluster", "template", "sync", write(project), "--project-dir", project)
    assert result.code == 2
    (line,) = [x for x in result.err.splitlines() if x.startswith("omni-scale: error:")]
    assert "unlimited machine set allocation is not supported" in line


def test_sync_with_minor_version_skew_warns_and_succeeds(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    fake_omnictl.set_backend(version="1.9.3")
    result = cli("cluster", "template", "sync", write(project), "--project-dir", project)
    assert result.code == 0
    assert 'differs from the backend version "1.9.3"' in result.err


def test_diff(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    path = write(project)
    result = cli("cluster", "template", "diff", path, "--project-dir", project, "--json")
    assert (result.code, result.json()["changed"]) == (0, False)
    fake_omnictl.respond(
        ["cluster", "template", "diff"],
        stdout="--- MachineSets.omni.sidero.dev(talos-workers)\n+++ MachineSets.omni.sidero.dev"
        "(talos-workers)\n@@ -1 +1 @@\n-  machinecount: 1\n+  machinecount: 2\n",
    )
    changed = cli("cluster", "template", "diff", path, "--project-dir", project, "--json")
    assert changed.code == 0 and changed.json()["changed"] is True
    assert "+  machinecount: 2" in changed.json()["diff"]


def test_missing_file_and_non_template(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    result = cli("cluster", "template", "validate", project / "nope.yaml", "--project-dir", project)
    assert result.code == 2 and "does not exist" in result.err
    other = project / "x.yaml"
    other.write_text("services: {}\n")
    result = cli("cluster", "template", "sync", other, "--project-dir", project)
    assert result.code == 2 and "not a cluster template" in result.err


def test_validate_checks_fields_against_the_installed_omnictl(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    """omnictl v1.9.x parses templates without features.enableNodeAuditSkip (added in v1.10)."""
    fake_omnictl.update(version="v1.9.3")
    (project / "clusters" / "patches").mkdir(parents=True, exist_ok=True)
    (project / "clusters" / "patches" / "cni.yaml").write_text(
        "cluster: {network: {cni: {name: none}}}\n"
    )
    text = TEMPLATE.replace("patches:\n", "features:\n  enableNodeAuditSkip: true\npatches:\n", 1)
    result = cli(
        "cluster", "template", "validate", write(project, text), "--project-dir", project, "--json"
    )
    assert result.code == 1
    [problem] = [p for p in result.json()["lint"]["problems"] if p["rule"] == "ct-omnictl-version"]
    assert problem["message"].startswith(
        "omnictl v1.9.3 does not know features.enableNodeAuditSkip"
    )
