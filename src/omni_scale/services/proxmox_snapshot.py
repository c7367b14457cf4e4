"""`proxmox snapshot`: read a provider's Proxmox inventory and keep it as versioned JSON.

The file holds no secrets and is meant to be committed, so `check` and `machineclass plan`
work offline and in CI.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omni_scale.core.proxmox.snapshot import FORMAT, Snapshot, dump_snapshot
from omni_scale.errors import FileConflict
from omni_scale.fs.atomic import atomic_write
from omni_scale.project import Project
from omni_scale.services.plan import live_snapshot
from omni_scale.services.project_files import proxmox_target


@dataclass(frozen=True)
class TakenSnapshot:
    """A snapshot read from Proxmox: its JSON text and where it went (None: nowhere, the
    caller prints `text`)."""

    snapshot: Snapshot
    text: str
    path: Path | None

    @property
    def storages(self) -> int:
        """Storage entries over all nodes (a shared storage counts once a node)."""
        return sum(len(n.storages or ()) for n in self.snapshot.nodes)

    def to_json(self) -> dict[str, Any]:
        snap = self.snapshot
        return {
            "path": str(self.path),
            "provider_id": snap.provider_id,
            "pve_version": snap.pve_version,
            "taken_at": snap.taken_at,
            "nodes": len(snap.nodes),
            "storages": self.storages,
            "pci_mappings": None if snap.pci_mappings is None else len(snap.pci_mappings),
        }


def take_snapshot(
    project: Project,
    provider_id: str | None,
    *,
    output: Path | None = None,
    to_stdout: bool = False,
    force: bool = False,
    note: Callable[[str], None],
    warn: Callable[[str], None],
) -> TakenSnapshot:
    """Read the inventory (nodes, storages, bridges, PCI mappings, VMs) of the provider's
    Proxmox and write it to `output` (default: the provider's snapshot file in the project).

    With `to_stdout` nothing is written. A file at the target that is not a snapshot is only
    replaced with `force` (FileConflict otherwise); the write is atomic."""

    target, config = proxmox_target(project, provider_id)
    note(f"reading the inventory of {config.url.split('/api2')[0]} ...")
    snap = asyncio.run(live_snapshot(config, target.provider_id, with_vms=True, warn=warn))
    text = dump_snapshot(snap)
    if to_stdout:
        return TakenSnapshot(snap, text, None)
    path = output if output is not None else target.snapshot_path
    if path.exists() and not force and f'"{FORMAT}"' not in _head(path):
        raise FileConflict(
            f"{project.relative(path)} exists and is not a Proxmox snapshot",
            hint="pass --force to replace it, or -o another file",
        )
    atomic_write(path, text, mode=0o644)
    return TakenSnapshot(snap, text, path)


def _head(path: Path) -> str:
    """The first 4 KiB of `path` ("" when unreadable): where a snapshot names its format."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            return handle.read(4096)
    except OSError:
        return ""
