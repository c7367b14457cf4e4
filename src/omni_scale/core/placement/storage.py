"""Replay of the provider's `pickStorage` (provider.md §5) for the primary and additional disks.

Every storage `GET /nodes/{node}/storage` returned for the chosen node is tried in API order and
the first match wins; nothing else is checked by the provider. What it does not check (disabled,
inactive, no `images` content, too little space) is reported here too, because it fails later.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from omni_scale.core.placement.model import GIB, DiskPlan, PlanProblem
from omni_scale.core.proxmox.snapshot import NodeInfo, StorageInfo
from omni_scale.core.selector.errors import go_quote

PRIMARY_PREFIX = "failed to pick the disk: "


def _names(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(v if isinstance(v, str) else str(getattr(v, "name", v)) for v in values)


def disk_error(index: int, inner: str) -> str:
    """The provider's text for a failed pick (placement.md §6): compile and evaluation errors of
    the primary disk are returned raw, a no-match carries `failed to pick the disk: `; additional
    disk i (1-based, `additional_disks[i-1]`) adds `failed to pick storage for additional disk i: `
    in front of that same inner text, so a no-match there has both prefixes."""
    if index == 0:
        return inner
    return f"failed to pick storage for additional disk {index}: {inner}"


def pick_disk(
    node: NodeInfo, slot: str, index: int, expr: str, size_gb: int
) -> tuple[DiskPlan, list[PlanProblem]]:
    """The storage the provider would use for one disk (index 0: primary, N: additional disk N)."""
    from omni_scale.core.selector.evaluate import SelectorCompileError, Storage, pick_storage

    step = "scsi0" if index == 0 else "disks"
    storages = node.storages or ()
    if not storages:
        # the selector is compiled inside the loop over storages: with none, even an invalid
        # selector ends in the no-match error
        message = disk_error(
            index, f"{PRIMARY_PREFIX}no matches for the condition {go_quote(expr)}"
        )
        hint = f"GET /nodes/{node.node}/storage lists no storage for the provider's token"
        return DiskPlan(slot, None, size_gb, expr), [PlanProblem("error", message, hint, step)]
    try:
        pick = pick_storage(
            expr, [Storage(s.storage, s.type, s.avail) for s in storages], node.node
        )
    except SelectorCompileError as exc:
        problem = exc.problem
        return DiskPlan(slot, None, size_gb, expr), [
            PlanProblem(
                "error",
                disk_error(index, str(problem.message)),
                getattr(problem, "hint", None),
                step,
            )
        ]
    matches = _names(pick.matches or ())
    if pick.storage is None:
        failed = any(getattr(r, "error", None) for r in pick.results)
        if failed and pick.error:
            message = disk_error(index, str(pick.error))
            hint = "the first evaluation error aborts the whole pick in the provider"
        else:
            no_match = f"{PRIMARY_PREFIX}no matches for the condition {go_quote(expr)}"
            message = disk_error(index, str(pick.error or no_match))
            listed = ", ".join(f"{s.storage} ({s.type})" for s in storages) or "none"
            hint = f"storages on {node.node}: {listed}"
        return DiskPlan(slot, None, size_gb, expr, matches), [
            PlanProblem("error", message, hint, step)
        ]
    chosen = str(getattr(pick.storage, "name", pick.storage))
    problems: list[PlanProblem] = []
    if len(matches) > 1:
        problems.append(
            PlanProblem(
                "warning",
                f"{slot}: selector matches {len(matches)} storages on {node.node} "
                f"({', '.join(matches)}): the provider takes the first in GET /nodes/"
                f"{node.node}/storage order, which PVE does not keep stable",
                _narrow_hint(storages, matches),
            )
        )
    return DiskPlan(slot, chosen, size_gb, expr, matches), problems


def _can_hold_disks(storage: StorageInfo) -> bool:
    return storage.enabled and storage.active and "images" in storage.contents


def _narrow_hint(storages: Iterable[StorageInfo], matches: tuple[str, ...]) -> str:
    """Name a matched storage that can hold VM disks, so the hint does not lead to an error."""
    by_name = {s.storage: s for s in storages}
    usable = [m for m in matches if m in by_name and _can_hold_disks(by_name[m])]
    if usable:
        return f'narrow the selector, e.g. name == "{usable[0]}"'
    return (
        f"narrow the selector to a storage that can hold VM disks (none of {', '.join(matches)} "
        "is enabled, active and has `images` content)"
    )


def storage_problems(
    node: NodeInfo, disk: DiskPlan, storage: StorageInfo, already_gib: int
) -> list[PlanProblem]:
    """What the provider does not check about a picked storage but VM creation will hit."""
    out: list[PlanProblem] = []
    name, slot = storage.storage, disk.slot
    if not storage.enabled:
        out.append(
            PlanProblem(
                "error",
                f"{slot}: storage {name} is disabled or not available on {node.node} "
                "(enabled: 0), yet the selector matches it: VM creation fails",
                f'exclude it in the selector (e.g. name != "{name}") or enable it on the node',
            )
        )
        return out
    if not storage.active:
        out.append(
            PlanProblem(
                "error",
                f"{slot}: storage {name} is not active on {node.node}: VM creation fails",
                "check the storage backend (pvesm status), or exclude it in the selector",
            )
        )
    if "images" not in storage.contents:
        out.append(
            PlanProblem(
                "error",
                f"{slot}: storage {name} cannot hold VM disks (content: "
                f"{storage.content or 'none'})",
                f"add `images` to its content (pvesm set {name} --content ...) or pick another",
            )
        )
    needed = (already_gib + disk.size_gb) * GIB
    if storage.active and storage.avail < needed:
        free = storage.avail / GIB
        total = already_gib + disk.size_gb
        what = f"{total} GiB for this VM's disks" if already_gib else f"{disk.size_gb} GiB"
        out.append(
            PlanProblem(
                "error",
                f"{slot}: storage {name} on {node.node} has {free:.1f} GiB free, needs {what}",
                "free space there, lower disk_size, or select a larger storage",
            )
        )
    return out
