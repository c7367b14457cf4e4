"""Where each machine class's VMs will land, and whether they can: a replay of the provider.

`plan_class` runs pickNode (placement_node), pickStorage for every disk (placement_storage) and
the checks Proxmox makes later (placement_checks) against a Snapshot, with no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from omni_scale.core.machineclass.providerdata import ProviderData
from omni_scale.core.placement.checks import (
    hugepages_problem,
    iso_storage_problems,
    network_problems,
    pci_problems,
    size_problems,
)
from omni_scale.core.placement.model import (
    ClassPlan,
    DiskPlan,
    PlanProblem,
    at_least,
)
from omni_scale.core.placement.node import pick_node
from omni_scale.core.placement.storage import pick_disk, storage_problems
from omni_scale.core.proxmox.snapshot import Snapshot

__all__ = ["ClassPlan", "DiskPlan", "PlanProblem", "plan_class", "plans_to_json"]


def plan_class(
    class_id: str,
    providerid: str | None,
    data: ProviderData,
    snapshot: Snapshot,
    *,
    provider_version: str | None = None,
    root_login: bool | None = None,
) -> ClassPlan:
    """The provider's choices for one class on `snapshot`, plus every problem they run into.

    `root_login`: whether the provider logs in as root@pam itself (None: unknown).
    """
    plan = ClassPlan(class_id, providerid, source=snapshot.source)
    if data.extra.get("ha") and at_least(provider_version, (0, 2, 0)):
        plan.problems.append(PlanProblem("info", "ha: Proxmox HA decides the final node", None))
    choice = pick_node(snapshot, data.node, provider_version, data.placement_strategy)
    plan.node = choice.node
    plan.problems.extend(choice.problems)
    node = snapshot.node(choice.node) if choice.node else None
    disks: list[tuple[str, str, int]] = [("scsi0", data.storage_selector, data.disk_size)]
    disks += [
        (f"scsi{i}", d.storage_selector, d.disk_size)
        for i, d in enumerate(data.additional_disks, start=1)
    ]
    if node is None or node.storages is None:
        if node is not None:
            plan.problems.append(
                PlanProblem(
                    "error",
                    f"the storages of {node.node} could not be listed (node {node.status}): "
                    "the provider fails on this node",
                    "bring the node back online or pin another node",
                )
            )
        plan.disks = [DiskPlan(slot, None, size, expr) for slot, expr, size in disks]
        return plan
    plan.problems.extend(iso_storage_problems(node))
    used: dict[str, int] = {}
    for index, (slot, expr, size) in enumerate(disks):
        disk, problems = pick_disk(node, slot, index, expr, size)
        plan.disks.append(disk)
        plan.problems.extend(problems)
        storage = next((s for s in node.storages if s.storage == disk.storage), None)
        if storage is not None:
            plan.problems.extend(
                storage_problems(node, disk, storage, used.get(storage.storage, 0))
            )
            used[storage.storage] = used.get(storage.storage, 0) + size
    plan.problems.extend(network_problems(node, data))
    plan.problems.extend(pci_problems(snapshot, node, data))
    plan.problems.extend(size_problems(node, data))
    plan.problems.extend(hugepages_problem(data, root_login))
    return plan


def plans_to_json(plans: Sequence[ClassPlan]) -> dict[str, object]:
    return {"classes": [p.to_json() for p in plans]}
