"""`omni-scale check`: lint, then plan from the snapshot, live, or lint only (and say which)."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE
from fakes.fixtures_pve import TOKEN_SECRET, write_class, write_config

PD = 'cores: 2\nsockets: 1\nmemory: 4096\ndisk_size: 32\nstorage_selector: name == "local-lvm"\n'


@pytest.fixture
def homelab(tmp_path: Path) -> Path:
    root = tmp_path / "homelab"
    shutil.copytree(EXAMPLE, root)
    return root


def test_example_passes_from_its_snapshot(cli: Any, homelab: Path) -> None:
    result = cli("--project-dir", homelab, "check", "--json")
    assert result.code == 0, result.out + result.err
    data = result.json()
    assert data["ok"] is True and data["mode"] == "snapshot"
    assert data["lint"]["summary"]["errors"] == 0
    assert len(data["plan"]["classes"]) == 3
    assert all(c["ok"] and c["node"] for c in data["plan"]["classes"])


def test_example_human_output_names_the_mode(cli: Any, homelab: Path) -> None:
    result = cli("--project-dir", homelab, "check")
    assert result.code == 0
    assert "plan (snapshot)" in result.out and "from snapshot proxmox-snapshot.json" in result.out
    assert "ok:" in result.out and "3 class(es) planned" in result.out


def test_lint_only_without_snapshot_or_config(cli: Any, project: Path) -> None:
    write_class(project, "workers", PD)
    result = cli("--project-dir", project, "check", "--json")
    assert result.code == 0
    data = result.json()
    assert data["mode"] == "lint-only" and data["plan"]["classes"][0]["node"] is None
    human = cli("--project-dir", project, "check")
    assert "lint only" in human.out


def test_live_when_snapshot_missing(cli: Any, pve_project: Any) -> None:
    root = pve_project()
    write_class(root, "workers", PD)
    result = cli("--project-dir", root, "check", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["mode"] == "live" and data["plan"]["classes"][0]["node"] == "pve1"
    assert TOKEN_SECRET not in result.out + result.err


def test_unreachable_proxmox_falls_back_to_lint_only(cli: Any, project: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    write_config(project, f"http://127.0.0.1:{port}/api2/json")
    write_class(project, "workers", PD)
    result = cli("--project-dir", project, "check", "--json")
    assert result.code == 0
    assert result.json()["mode"] == "lint-only"
    assert "plan skipped" not in result.err  # --json keeps stderr notes quiet
    human = cli("--project-dir", project, "check")
    assert "plan skipped for provider proxmox: cannot reach Proxmox" in human.err
    # asked for explicitly, an unreachable Proxmox is an environment failure
    assert cli("--project-dir", project, "check", "--live").code == 3


def test_failing_plan_fails_check(cli: Any, homelab: Path) -> None:
    path = homelab / "proxmox-snapshot.json"
    data = json.loads(path.read_text())
    for node in data["nodes"]:
        for store in node["storages"] or []:
            if store["storage"] == "ceph-vm":
                store["active"] = 0
    path.write_text(json.dumps(data))
    result = cli("--project-dir", homelab, "check", "--json")
    assert result.code == 1
    failing = [c["id"] for c in result.json()["plan"]["classes"] if not c["ok"]]
    assert failing == ["homelab-storage-worker", "homelab-worker"]


def test_lint_errors_fail_check_and_other_classes_still_plan(cli: Any, homelab: Path) -> None:
    (homelab / "machine-classes" / "broken.yaml").write_text("metadata: [\n")
    result = cli("--project-dir", homelab, "check", "--json")
    assert result.code == 1
    data = result.json()
    assert data["lint"]["summary"]["errors"] >= 1
    assert len(data["plan"]["classes"]) == 3


def test_check_records_last_check_for_the_session_hook(cli: Any, homelab: Path) -> None:
    """The report: last_check was documented and read by the session hook, but never written."""
    from omni_scale.state import read_state

    assert cli("--project-dir", homelab, "check").code == 0
    state = read_state(homelab / ".claude" / "omni-scale.local.md")
    check = state["last_check"]
    assert check["ok"] is True and check["mode"] == "snapshot" and check["errors"] == 0
    assert check["classes_planned"] == 3 and check["checked_at"].endswith("Z")
    (homelab / "machine-classes" / "broken.yaml").write_text("metadata: [\n")
    assert cli("--project-dir", homelab, "check").code == 1
    check = read_state(homelab / ".claude" / "omni-scale.local.md")["last_check"]
    assert check["ok"] is False and check["errors"] == 1


def test_check_no_state_writes_nothing(cli: Any, homelab: Path) -> None:
    state = homelab / ".claude" / "omni-scale.local.md"
    before = state.read_bytes()
    assert cli("--project-dir", homelab, "check", "--no-state").code == 0
    assert state.read_bytes() == before


def test_empty_project_check_and_lint_agree(cli: Any, project: Path) -> None:
    """The report: in an empty repo `check` said ok while `lint` exited 2."""
    check = cli("--project-dir", project, "--json", "check")
    lint = cli("--project-dir", project, "--json", "lint")
    assert check.code == lint.code == 2
    assert check.json()["error"] == lint.json()["error"]
    assert "nothing to lint" in check.json()["error"]["message"]


@pytest.mark.parametrize("command", [("check",), ("machineclass", "plan"), ("cluster", "plan")])
def test_every_planning_command_refuses_both_sources(
    cli: Any, homelab: Path, command: tuple[str, ...]
) -> None:
    """check, machineclass plan and cluster plan share one refusal (services.plan)."""
    snapshot = homelab / "proxmox-snapshot.json"
    result = cli("--project-dir", homelab, *command, "--live", "--snapshot", snapshot)
    assert result.code == 2 and "--snapshot and --live exclude each other" in result.err
    missing = cli("--project-dir", homelab, *command, "--snapshot", homelab / "gone.json")
    assert missing.code == 2 and "gone.json does not exist" in missing.err
