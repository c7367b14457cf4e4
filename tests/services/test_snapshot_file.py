"""Reading a snapshot file: the example round-trips, bad JSON is one line with its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLE
from omni_scale.core.proxmox.snapshot import dump_snapshot, snapshot_from_json
from omni_scale.errors import InputError
from omni_scale.services.snapshot_file import load_snapshot

EXAMPLE_SNAPSHOT = EXAMPLE / "proxmox-snapshot.json"


def test_example_snapshot_loads_and_round_trips() -> None:
    snap = load_snapshot(EXAMPLE_SNAPSHOT)
    assert snap.provider_id == "proxmox" and snap.pve_version
    assert [n.node for n in snap.nodes] == ["pve2", "pve1", "pve3"]  # API order kept
    offline = snap.node("pve3")
    assert offline is not None and not offline.online and offline.mem is None
    assert offline.maxmem and offline.storages is None
    pve1 = snap.node("pve1")
    assert pve1 is not None and pve1.storages is not None
    tank = next(s for s in pve1.storages if s.storage == "tank")
    assert not tank.enabled and not tank.active
    again = snapshot_from_json(json.loads(dump_snapshot(snap)))
    assert again == snap


def test_invalid_json_has_line(tmp_path: Path) -> None:
    bad = tmp_path / "s.json"
    bad.write_text('{\n  "format": \n}\n')
    with pytest.raises(InputError) as info:
        load_snapshot(bad)
    assert info.value.line == 3 and "proxmox snapshot" in info.value.hint  # type: ignore[operator]
