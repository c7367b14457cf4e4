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

NO_MATCH = 'no matches for the condition "{expr}"'
PRIMARY_PREFIX = "failed to pick the disk: "


def _names(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(v if isinstance(v, str) else str(getattr(v, "name", v)) for v in values)


def pick_disk(
    node: NodeInfo, slot: str, index: int, expr: str, size_gb: int
) -> tuple[DiskPlan, list[PlanProblem]]:
    """The storage the provider would use for one disk (index 0: primary, N: additional disk N)."""
    from omni_scale.core.selector.evaluate import SelectorCompileError, Storage, pick_storage

    def wrap(inner: str) -> str:
        if index == 0:
            return inner if inner.startswith(PRIMARY_PREFIX) else PRIMARY_PREFIX + inner
        inner = inner.removeprefix(PRIMARY_PREFIX)
        return f"failed to pick storage for additional disk {index}: {inner}"

    storages = node.storages or ()
    try:
        pick = pick_storage(
            expr, [Storage(s.storage, s.type, s.avail) for s in storages], node.node
        )
    except SelectorCompileError as exc:
        problem = exc.problem
        return DiskPlan(slot, None, size_gb, expr), [
            PlanProblem("error", wrap(str(problem.message)), getattr(problem, "hint", None))
        ]
    matches = _names(pick.matches or ())
    if pick.storage is None:
        failed = any(getattr(r, "error", None) for r in pick.results)
        if failed and pick.error:
            message = wrap(str(pick.error))
            hint = "the first evaluation error aborts the whole pick in the provider"
        else:
            message = wrap(str(pick.error or NO_MATCH.format(expr=expr)))
            listed = ", ".join(f"{s.storage} ({s.type})" for s in storages) or "none"
            hint = f"storages on {node.node}: {listed}"
        return DiskPlan(slot, None, size_gb, expr, matches), [PlanProblem("error", message, hint)]
    chosen = str(getattr(pick.storage, "name", pick.storage))
    problems: list[PlanProblem] = []
    if len(matches) > 1:
        problems.append(
            PlanProblem(
                "warning",
                f"{slot}: selector matches {len(matches)} storages on {node.node} "
                f"({', '.join(matches)}): the provider takes the first in GET /nodes/"
                f"{node.node}/storage order, which PVE does not keep stable",
                f'narrow the selector, e.g. name == "{chosen}"',
            )
        )
    return DiskPlan(slot, chosen, size_gb, expr, matches), problems


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
