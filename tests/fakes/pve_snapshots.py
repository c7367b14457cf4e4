"""Snapshot builders for placement scenarios: nodes described by their free memory, in API
order, in the snapshot format a real `omni-scale proxmox snapshot` writes (version 2)."""

from __future__ import annotations

import copy
from typing import Any

from omni_scale.core.proxmox.snapshot import Snapshot, snapshot_from_json

GIB = 1024**3
BASE = 'cores: 2\nmemory: 8192\ndisk_size: 10\nstorage_selector: name == "local-lvm"\n'


def node(name: str, free_gib: float | None = 32, maxmem_gib: int = 64, **kw: Any) -> dict:
    item: dict[str, Any] = {
        "node": name,
        "status": "online",
        "maxmem": maxmem_gib * GIB,
        "mem": None if free_gib is None else int((maxmem_gib - free_gib) * GIB),
        "maxcpu": 16,
        "storages": [
            {"storage": "local", "type": "dir", "content": "iso", "avail": 100 * GIB},
            {"storage": "local-lvm", "type": "lvmthin", "content": "images", "avail": 900 * GIB},
        ],
        "bridges": None,
        "vm_count": 0,
    }
    item.update(kw)
    return item


def snapshot_doc(*nodes: dict, **kw: Any) -> dict[str, Any]:
    """A version-2 snapshot document holding `nodes` (keys in `kw` replace the defaults)."""
    doc = {
        "format": "omni-scale/proxmox-snapshot",
        "version": 2,
        "taken_at": "2026-01-01T00:00:00Z",
        "pve_version": "9.0.10",
        "provider_id": "proxmox",
        "nodes": list(nodes),
        "pci_mappings": [],
        "pools": [],
        "ha_rules": [],
    }
    doc.update(kw)
    return doc


def snap(*nodes: dict, **kw: Any) -> Snapshot:
    return snapshot_from_json(copy.deepcopy(snapshot_doc(*nodes, **kw)))


# three nodes: pve1 50 % free, pve2 75 % free, pve3 25 % free (MemoryFree order: 2, 1, 3)
THREE = (node("pve1", 32), node("pve2", 48), node("pve3", 16))
