"""Reading a Proxmox snapshot file (`proxmox snapshot` wrote it; `--snapshot FILE` reads it).

Its own module, light on imports: `selector check --snapshot` needs nothing else of the
project's files."""

from __future__ import annotations

from pathlib import Path

from omni_scale.core.proxmox.snapshot import Snapshot, snapshot_from_json
from omni_scale.textio import load_json, read_text_file


def load_snapshot(path: Path) -> Snapshot:
    text = read_text_file(path, what="Proxmox snapshot")
    data = load_json(
        text,
        path=path,
        what="proxmox snapshot",
        hint="take a fresh one with `omni-scale proxmox snapshot`",
    )
    return snapshot_from_json(data, path=str(path))
