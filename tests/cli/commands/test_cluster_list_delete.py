"""`cluster list`, `cluster delete`, `machineclass delete` and name completion (fake omnictl)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE
from fakes.fixtures_omnictl import FakeOmnictl, cluster_status, resource

CLUSTERS = "Clusters.omni.sidero.dev"


@pytest.fixture
def homelab(tmp_path: Path) -> Path:
    root = tmp_path / "homelab"
    shutil.copytree(EXAMPLE, root)
    return root


def in_omni(fake: FakeOmnictl, name: str) -> None:
    fake.add(
        resource(CLUSTERS, name),
        cluster_status(name, total=2, healthy=2),
        resource("MachineSets.omni.sidero.dev", f"{name}-workers"),
    )


def test_cluster_list_joins_templates_and_omni(
    homelab: Path, cli: Any, fake_omnictl: FakeOmnictl
) -> None:
    in_omni(fake_omnictl, "talos")
    result = cli("--project-dir", homelab, "--json", "cluster", "list")
    assert result.code == 0, result.err
    rows = {r["name"]: r for r in result.json()["clusters"]}
    assert rows["homelab"]["template"] == "clusters/homelab.yaml"
    assert rows["homelab"]["in_omni"] is False
    assert rows["talos"] == {
        "name": "talos", "template": None, "in_omni": True, "phase": "RUNNING", "healthy": True,
    }  # fmt: skip
    human = cli("--project-dir", homelab, "cluster", "list")
    assert "not in Omni" in human.out and "(no template)" in human.out


def test_cluster_list_offline_and_without_omnictl(homelab: Path, cli: Any) -> None:
    offline = cli("--project-dir", homelab, "--json", "cluster", "list", "--offline")
    assert offline.code == 0
    assert offline.json()["clusters"][0]["in_omni"] is None
    missing = cli("--project-dir", homelab, "--json", "cluster", "list")  # no omnictl on PATH
    assert missing.code == 0 and "omnictl is not installed" in missing.err


def test_cluster_delete_needs_yes_off_a_terminal(
    homelab: Path, cli: Any, fake_omnictl: FakeOmnictl
) -> None:
    in_omni(fake_omnictl, "talos")
    refused = cli("--project-dir", homelab, "cluster", "delete", "talos")
    assert refused.code == 2 and "--yes" in refused.err
    assert fake_omnictl.resources(CLUSTERS)
    dry = cli("--project-dir", homelab, "--json", "cluster", "delete", "talos", "--dry-run")
    assert dry.code == 0 and dry.json()["deleted"] is False
    assert "tearing down" in " ".join(dry.json()["output"])
    assert fake_omnictl.resources(CLUSTERS)
    done = cli("--project-dir", homelab, "--json", "cluster", "delete", "talos", "--yes")
    assert done.code == 0, done.err
    assert done.json()["deleted"] is True
    assert fake_omnictl.resources(CLUSTERS) == []
    argv = [c["argv"] for c in fake_omnictl.calls() if c["argv"][:2] == ["cluster", "delete"]]
    assert argv[-1] == ["cluster", "delete", "talos"]


def test_cluster_delete_unknown_cluster(homelab: Path, cli: Any, fake_omnictl: FakeOmnictl) -> None:
    result = cli("--project-dir", homelab, "cluster", "delete", "nope", "--yes")
    assert result.code == 2 and "does not exist in Omni" in result.err


def test_machineclass_delete_refused_while_a_template_uses_it(homelab: Path, cli: Any) -> None:
    result = cli("--project-dir", homelab, "--json", "machineclass", "delete", "homelab-worker")
    assert result.code == 2
    message = result.json()["error"]["message"]
    # Omni's own wording and machine set ids
    assert message.startswith(
        "can not delete the machine class as it is still in use by machine sets: homelab-"
    )
    assert (homelab / "machine-classes" / "homelab-worker.yaml").is_file()


def test_machineclass_delete_keeps_a_backup(
    homelab: Path, cli: Any, fake_omnictl: FakeOmnictl
) -> None:
    (homelab / "clusters" / "homelab.yaml").unlink()
    path = homelab / "machine-classes" / "homelab-worker.yaml"
    text = path.read_bytes()
    dry = cli("--project-dir", homelab, "machineclass", "delete", "homelab-worker", "--dry-run")
    assert dry.code == 0 and path.is_file()
    refused = cli("--project-dir", homelab, "machineclass", "delete", "homelab-worker", "--omni")
    assert refused.code == 2 and "--yes" in refused.err and path.is_file()
    fake_omnictl.add(resource("MachineClasses.omni.sidero.dev", "homelab-worker"))
    result = cli(
        "--project-dir", homelab, "--json", "machineclass", "delete", "homelab-worker",
        "--omni", "--yes",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert not path.exists() and path.with_name(path.name + ".bak").read_bytes() == text
    assert result.json()["omni"]["deleted"] is True
    assert fake_omnictl.resources("MachineClasses.omni.sidero.dev") == []
    gone = cli("--project-dir", homelab, "machineclass", "delete", "homelab-worker")
    assert gone.code == 2 and "no machine class 'homelab-worker'" in gone.err


def complete(words: str, cword: int, cwd: Path) -> list[str]:
    env = {
        **os.environ,
        "_OMNI_SCALE_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(cword),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "omni_scale"], env=env, capture_output=True, text=True,
        timeout=30, cwd=cwd, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_completion_of_class_cluster_and_provider_names(
    homelab: Path, provider_project: Any
) -> None:
    line = f"omni-scale --project-dir {homelab} machineclass show homelab-w"
    classes = complete(line, 5, homelab)
    assert classes == ["plain,homelab-worker"]
    clusters = complete(f"omni-scale --project-dir {homelab} cluster delete ho", 5, homelab)
    assert clusters == ["plain,homelab"]
    root = provider_project(provider_id="lab-2")
    providers = complete(f"omni-scale --project-dir {root} provider status --provider l", 6, root)
    assert providers == ["plain,lab-2"]
