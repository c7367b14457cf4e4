"""The versioned snapshot format: round trip, validation, the example file."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLE
from omni_scale.core.proxmox.snapshot import FORMAT, VERSION, snapshot_from_json
from omni_scale.errors import InputError

EXAMPLE_SNAPSHOT = EXAMPLE / "proxmox-snapshot.json"


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


def test_snapshot_holds_no_secret_keys() -> None:
    text = EXAMPLE_SNAPSHOT.read_text().lower()
    for word in ("secret", "password", "ticket", 'token"'):
        assert word not in text
