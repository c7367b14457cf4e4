"""Storages to try a selector on, from the Proxmox API's JSON or an inventory snapshot.

Accepted: the response of `GET /nodes/{node}/storage` (`{"data": [...]}`), or the bare list that
`pvesh get /nodes/pve1/storage --output-format json` prints. Each entry needs `storage` and
`type`; `avail` is bytes as a uint64. Proxmox leaves `avail` out for storages it cannot
measure (disabled, inactive); the provider's Go struct then holds 0, so a missing `avail` is 0.
Other keys (`content`, `enabled`, `active`, ...) are ignored: the provider does not look at them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from omni_scale.core.selector.evaluate import UINT64_MAX, Storage
from omni_scale.errors import InputError

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~1x a bare start
if TYPE_CHECKING:
    from typing import Any

_HINT = (
    'expected {"data": [{"storage": "local-lvm", "type": "lvmthin", "avail": 123}, ...]} '
    "or the bare list (pvesh get /nodes/NODE/storage --output-format json)"
)


def storages_from_json(data: Any, *, path: str | None = None) -> list[Storage]:
    """Validate Proxmox storage entries (one-line InputError naming the bad entry otherwise)."""
    entries = data.get("data") if isinstance(data, Mapping) else data
    if not isinstance(entries, list):
        raise InputError(
            'storages file: expected a list of storages or {"data": [...]}',
            path=path,
            hint=_HINT,
        )
    return [_storage(entry, index, path) for index, entry in enumerate(entries)]


def _storage(entry: Any, index: int, path: str | None) -> Storage:
    where = f"storages[{index}]"

    def fail(problem: str) -> InputError:
        return InputError(f"storages file: {where}: {problem}", path=path, hint=_HINT)

    if not isinstance(entry, Mapping):
        raise fail("expected an object with storage, type and avail")
    name, kind = entry.get("storage"), entry.get("type")
    if not isinstance(name, str) or not name:
        raise fail("`storage` must be a non-empty string (the storage ID, e.g. local-lvm)")
    where = f"storages[{index}] ({name!r})"
    if not isinstance(kind, str) or not kind:
        raise fail("`type` must be a non-empty string (dir, lvmthin, zfspool, rbd, ...)")
    avail = entry.get("avail", 0)
    if avail is None:
        avail = 0
    if isinstance(avail, bool) or not isinstance(avail, int):
        raise fail(f"`avail` must be a whole number of bytes, got {avail!r}")
    if not 0 <= avail <= UINT64_MAX:
        raise fail(f"`avail` must be between 0 and 2^64-1 (a uint64), got {avail}")
    try:
        return Storage(name, kind, avail)
    except ValueError as exc:  # e.g. an undecodable escape such as "\\ud800" in the name
        raise fail(str(exc)) from None


def storages_of_node(nodes: Sequence[Any], node: str) -> list[Storage]:
    """The storages of `node` from snapshot nodes (objects with `.node` and `.storages`)."""
    for item in nodes:
        if item.node != node:
            continue
        if item.storages is None:
            raise InputError(
                f"the snapshot has no storage list for node {node!r} (it was offline or "
                "unreadable when the snapshot was taken)",
                hint="take a fresh one with `omni-scale proxmox snapshot`, or pick another --node",
            )
        storages = []
        for entry in item.storages:
            if entry.avail > UINT64_MAX:
                raise InputError(
                    f"snapshot: node {node!r} storage {entry.storage!r}: avail {entry.avail} "
                    "is larger than a uint64",
                    hint="take a fresh one with `omni-scale proxmox snapshot`",
                )
            try:
                storages.append(Storage(entry.storage, entry.type, entry.avail))
            except ValueError as exc:
                raise InputError(
                    f"snapshot: node {node!r} storage {entry.storage!r}: {exc}",
                    hint="take a fresh one with `omni-scale proxmox snapshot`",
                ) from None
        return storages
    known = ", ".join(n.node for n in nodes) or "none"
    raise InputError(
        f"node {node!r} is not in the snapshot (nodes: {known})", hint="pass one of them to --node"
    )
