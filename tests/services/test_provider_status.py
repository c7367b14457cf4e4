"""services.provider_status.check_status: the selected checks run, the exit code follows them,
and the summary is kept in the state file (fake docker on PATH, no omnictl)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_provider_project import make_key
from omni_scale.errors import InputError
from omni_scale.project import Project
from omni_scale.services.provider_status import check_status
from omni_scale.state import read_state


def test_nothing_checkable_is_exit_3_and_kept(provider_project: Any, fake_docker: Any) -> None:
    root = provider_project()
    fake_docker.update(engine="down")  # and no omnictl anywhere
    notes: list[str] = []
    report = check_status(
        Project(root),
        None,
        timeout=20,
        checks=("container", "omni"),
        note=notes.append,
        warn=lambda _: None,
    )
    assert report.code == 3 and report.providers == ["proxmox"]
    assert {p.status for p in report.probes} == {"unknown"}
    assert notes == ["checking proxmox (timeout 20s) ..."]
    kept = read_state(Project(root).state_file)["last_status"]
    assert kept["health"] == "unknown" and kept == report.kept


def test_ids_disagree_is_degraded(provider_project: Any) -> None:
    root = provider_project()
    env = root / ".env"
    env.write_text(
        env.read_text().replace(make_key("infra-provider:proxmox"), make_key("infra-provider:lab"))
    )
    report = check_status(
        Project(root), None, timeout=20, checks=("ids",), note=lambda _: None, warn=lambda _: None
    )
    assert report.code == 1
    [ids] = report.probes
    assert ids.status == "fail" and "key was created for 'lab'" in ids.summary


def test_without_setup_is_an_input_error(project: Path) -> None:
    with pytest.raises(InputError) as info:
        check_status(Project(project), None, timeout=5, note=lambda _: None, warn=lambda _: None)
    assert "provider setup" in (info.value.hint or "") + info.value.message
