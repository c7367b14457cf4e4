"""The versioned snapshot format: round trip, validation, the example file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLE
from omni_scale.core.proxmox.snapshot import (
    FORMAT,
    VERSION,
    Snapshot,
    dump_snapshot,
    snapshot_from_json,
)
from omni_scale.errors import InputError

EXAMPLE_SNAPSHOT = EXAMPLE / "proxmox-snapshot.json"


def test_format_and_version_are_checked() -> None:
    data = json.loads(EXAMPLE_SNAPSHOT.read_text())
    with pytest.raises(InputError, match="format"):
        snapshot_from_json({**data, "format": "something-else"})
    with pytest.raises(InputError, match=r"version 3 is not supported .*reads 1 and 2"):
        snapshot_from_json({**data, "version": 3})
    assert data["format"] == FORMAT and data["version"] == VERSION == 2


V1_SNAPSHOT = Path(__file__).resolve().parents[2] / "data/snapshots/homelab-v1.json"


def load(path: Path) -> Snapshot:
    return snapshot_from_json(json.loads(path.read_text()), path=str(path))


def test_version_1_still_loads_with_a_note_of_what_it_lacks() -> None:
    old = load(V1_SNAPSHOT)
    assert old.format_version == 1 and old.pools is None and old.ha_rules is None
    assert any("format 1 has no pools or HA rules" in note for note in old.notes)
    new = load(EXAMPLE_SNAPSHOT)
    assert new.pools is not None and "homelab-workers" in new.pools and new.ha_rules == ()
    assert not any("format" in note for note in new.notes)
    # written back, a v1 snapshot becomes v2 with its unknowns kept unknown (null)
    again = json.loads(dump_snapshot(old))
    assert again["version"] == 2 and again["pools"] is None and again["ha_rules"] is None


def test_pool_names_must_be_strings() -> None:
    data = json.loads(EXAMPLE_SNAPSHOT.read_text())
    with pytest.raises(InputError, match=r"pools\[1\]"):
        snapshot_from_json({**data, "pools": ["a", 3]})


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


def test_snapshot_holds_no_secret_keys() -> None:
    text = EXAMPLE_SNAPSHOT.read_text().lower()
    for word in ("secret", "password", "ticket", 'token"'):
        assert word not in text
