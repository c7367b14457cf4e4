"""`proxmox snapshot` as a service: read fakepve's inventory, write it (or not) safely."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_pve import TOKEN_SECRET
from omni_scale.errors import FileConflict, InputError
from omni_scale.project import Project
from omni_scale.services.proxmox_snapshot import take_snapshot
from omni_scale.services.snapshot_file import load_snapshot


def _take(root: Path, **kwargs: Any) -> Any:
    notes: list[str] = []
    taken = take_snapshot(Project(root), None, note=notes.append, warn=notes.append, **kwargs)
    return taken, notes


def test_writes_the_providers_snapshot_file(pve_project: Any, fakepve: Any) -> None:
    root = pve_project()
    fakepve.add_node("pve2", online=False)
    taken, notes = _take(root)
    assert taken.path == root / "proxmox-snapshot.json"
    assert notes == [f"reading the inventory of {fakepve.url} ..."]
    assert taken.path.read_text() == taken.text and TOKEN_SECRET not in taken.text
    assert oct(taken.path.stat().st_mode & 0o777) == oct(0o644)  # committed, not secret
    written = load_snapshot(taken.path)
    assert [n.node for n in written.nodes] == ["pve1", "pve2"]
    summary = taken.to_json()
    assert summary["path"] == str(root / "proxmox-snapshot.json")
    assert summary["nodes"] == 2 and summary["provider_id"] == "proxmox"
    assert summary["storages"] == sum(len(n.storages or ()) for n in written.nodes) > 0
    assert set(summary) == {
        "path",
        "provider_id",
        "pve_version",
        "taken_at",
        "nodes",
        "storages",
        "pci_mappings",
    }


def test_to_stdout_writes_nothing(pve_project: Any) -> None:
    root = pve_project()
    taken, _ = _take(root, to_stdout=True)
    assert taken.path is None and json.loads(taken.text)["format"] == "omni-scale/proxmox-snapshot"
    assert not (root / "proxmox-snapshot.json").exists()


def test_a_foreign_file_is_kept_unless_forced(pve_project: Any) -> None:
    root = pve_project()
    notes = root / "notes.json"
    notes.write_text('{"mine": true}\n')
    with pytest.raises(FileConflict, match=r"notes\.json exists and is not a Proxmox snapshot"):
        _take(root, output=notes)
    assert notes.read_text() == '{"mine": true}\n'
    taken, _ = _take(root, output=notes, force=True)
    assert taken.path == notes and load_snapshot(notes).provider_id == "proxmox"
    # an older snapshot is replaced without --force
    again, _ = _take(root, output=notes)
    assert again.path == notes


def test_without_a_config_is_bad_input_before_any_network(project: Path) -> None:
    with pytest.raises(InputError, match=r"no Proxmox config at docker/config\.yaml"):
        _take(project)
