"""The versioned snapshot format: round trip, validation, the example file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLE
from omni_scale.core.proxmox.snapshot import (
    FORMAT,
    VERSION,
    dump_snapshot,
    load_snapshot,
    snapshot_from_json,
)
from omni_scale.errors import InputError

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


def test_format_and_version_are_checked() -> None:
    data = json.loads(EXAMPLE_SNAPSHOT.read_text())
    with pytest.raises(InputError, match="format"):
        snapshot_from_json({**data, "format": "something-else"})
    with pytest.raises(InputError, match=r"version 2 is not supported .*reads 1"):
        snapshot_from_json({**data, "version": 2})
    assert data["format"] == FORMAT and data["version"] == VERSION


def test_bad_field_is_named() -> None:
    data = json.loads(EXAMPLE_SNAPSHOT.read_text())
    data["nodes"][0]["storages"][1]["avail"] = "lots"
    with pytest.raises(InputError, match=r"nodes\[0\]\.storages\[1\]\.avail"):
        snapshot_from_json(data)


@pytest.mark.parametrize("avail", [-1, 2**64, True])
def test_sizes_outside_uint64_are_refused(avail: object) -> None:
    data = json.loads(EXAMPLE_SNAPSHOT.read_text())
    data["nodes"][0]["storages"][0]["avail"] = avail
    with pytest.raises(InputError, match=r"storages\[0\]\.avail"):
        snapshot_from_json(data)


def test_invalid_json_has_line(tmp_path: Path) -> None:
    bad = tmp_path / "s.json"
    bad.write_text('{\n  "format": \n}\n')
    with pytest.raises(InputError) as info:
        load_snapshot(bad)
    assert info.value.line == 3 and "proxmox snapshot" in info.value.hint  # type: ignore[operator]


def test_snapshot_holds_no_secret_keys() -> None:
    text = EXAMPLE_SNAPSHOT.read_text().lower()
    for word in ("secret", "password", "ticket", 'token"'):
        assert word not in text
