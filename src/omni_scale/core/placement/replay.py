"""Where a machine class's VMs will land, and whether they can: a replay of the provider.

`plan_class` replays N requests of one machine request set in order (pickNode per release and,
from v0.2.0, the scheduler's ledger), then for every node used: pickStorage for every disk, the
`efidisk0` of `bios: ovmf`, the pool and HA steps, and the checks Proxmox makes later
(placement_checks). No I/O. Every problem carries the provider step that meets it, so the plan
can say which error the provider would show first (it stops at the first).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from omni_scale.core.machineclass.providerdata import ProviderData
from omni_scale.core.placement.checks import (
    hugepages_problem,
    iso_storage_problems,
    network_problems,
    pci_problems,
    size_problems,
)
from omni_scale.core.placement.model import (
    MIB,
    ClassPlan,
    DiskPlan,
    MachinePlan,
    PlanProblem,
    dedupe,
)
from omni_scale.core.placement.node import pick_node
from omni_scale.core.placement.release import Release, release_from_version
from omni_scale.core.placement.scheduler import Ledger
from omni_scale.core.placement.storage import pick_disk, storage_problems
from omni_scale.core.proxmox.snapshot import NodeInfo, Snapshot

__all__ = [
    "ClassPlan",
    "DiskPlan",
    "MachinePlan",
    "PlanProblem",
    "plan_class",
    "plans_to_json",
]

# `<scsi0 storage>:1,efitype=4m,...` (P:516, 752-777@fd21629): PVE allocates the 4m OVMF_VARS
# image, 528 KiB, rounded up by the storage; counted as 4 MiB (inferred, not measured).
EFI_BYTES = 4 * MIB
ISSUE_51 = "https://github.com/siderolabs/omni-infra-provider-proxmox/issues/51"


def plan_class(
    class_id: str,
    providerid: str | None,
    data: ProviderData,
    snapshot: Snapshot,
    *,
    provider_version: str | None = None,
    release: Release | None = None,
    root_login: bool | None = None,
    replicas: int = 1,
    set_id: str | None = None,
    ledger: Ledger | None = None,
    in_set: bool = True,
) -> ClassPlan:
    """The provider's choices for `replicas` requests of one set on `snapshot`, and every problem
    they run into. `set_id` defaults to the class id; requests are `<set>-1 … <set>-N`.

    `root_login`: whether the provider logs in as root@pam itself (None: unknown).
    """
    rel = release if release is not None else release_from_version(provider_version)
    sid = set_id or class_id
    plan = ClassPlan(class_id, providerid, source=snapshot.source, release=rel, memory=data.memory)
    problems: list[PlanProblem] = []
    ha = data.extra.get("ha") if rel.at_least("v0.2.0") else None
    book = ledger if ledger is not None else Ledger()
    per_node: dict[str | None, tuple[tuple[DiskPlan, ...], list[PlanProblem]]] = {}
    for index in range(1, max(replicas, 1) + 1):
        request = f"{sid}-{index}"
        choice = pick_node(
            snapshot,
            data.node,
            rel,
            data.placement_strategy,
            in_set=in_set,
            ha=ha is not None,
            set_id=sid,
            request=request,
            memory_mib=data.memory,
            ledger=book,
        )
        problems += choice.problems
        if choice.node not in per_node:
            per_node[choice.node] = _on_node(snapshot, choice.node, data, rel, set_id, root_login)
        disks, node_problems = per_node[choice.node]
        problems += node_problems
        plan.machines.append(MachinePlan(request, choice.node, disks))
        if choice.node is None:
            # the step fails the same way for every request of the set
            plan.machines += [
                MachinePlan(f"{sid}-{later}", None, disks)
                for later in range(index + 1, max(replicas, 1) + 1)
            ]
            break
    first = plan.machines[0]
    plan.node = first.node
    plan.disks = list(first.disks)
    problems += _set_problems(plan, snapshot, data, rel, replicas, ha, sid)
    plan.problems = dedupe(problems)
    return plan


def _disk_specs(data: ProviderData) -> list[tuple[str, str, int]]:
    disks = [("scsi0", data.storage_selector, data.disk_size)]
    disks += [
        (f"scsi{i}", d.storage_selector, d.disk_size)
        for i, d in enumerate(data.additional_disks, start=1)
    ]
    return disks


def _on_node(
    snapshot: Snapshot,
    name: str | None,
    data: ProviderData,
    rel: Release,
    set_id: str | None,
    root_login: bool | None,
) -> tuple[tuple[DiskPlan, ...], list[PlanProblem]]:
    """Disks and problems of one VM on node `name` (the steps after pickNode)."""
    specs = _disk_specs(data)
    node = snapshot.node(name) if name else None
    if node is None or node.storages is None:
        problems = []
        if node is not None:
            problems.append(
                PlanProblem(
                    "error",
                    f"the storages of {node.node} could not be listed (node {node.status}): "
                    "the provider fails on this node",
                    "bring the node back online or pin another node",
                    "iso_storage",
                )
            )
        return tuple(DiskPlan(slot, None, size, expr) for slot, expr, size in specs), problems
    problems = list(iso_storage_problems(node))
    disks: list[DiskPlan] = []
    used: dict[str, int] = {}
    for index, (slot, expr, size) in enumerate(specs):
        if index == 1:
            problems += pool_problems(snapshot, data, rel, set_id)
        disk, found = pick_disk(node, slot, index, expr, size)
        disks.append(disk)
        problems += found
        storage = next((s for s in node.storages if s.storage == disk.storage), None)
        if storage is not None:
            problems += storage_problems(node, disk, storage, used.get(storage.storage, 0))
            used[storage.storage] = used.get(storage.storage, 0) + size
        if index == 0 and data.bios == "ovmf" and rel.at_least("v0.2.0"):
            disks.append(DiskPlan("efidisk0", disk.storage, 0, expr, disk.matches, EFI_BYTES))
    if len(specs) == 1:
        problems += pool_problems(snapshot, data, rel, set_id)
    problems += network_problems(node, data)
    problems += pci_problems(snapshot, node, data)
    problems += size_problems(node, data)
    problems += hugepages_problem(data, root_login)
    return tuple(disks), problems


def pool_problems(
    snapshot: Snapshot, data: ProviderData, rel: Release, set_id: str | None
) -> list[PlanProblem]:
    """The pool step (v0.1.0+): `pool = data.pool or <set id>`; a named pool must exist, the
    implicit one is created by the provider (P:456-470, 779-789@fd21629). `set_id` None: the
    class is planned outside a template, so its set id is not known."""
    if not rel.at_least("v0.1.0"):
        return []
    named = data.extra.get("pool")
    if not named and set_id is None:
        return [
            PlanProblem(
                "info",
                "the provider puts each VM into a pool named after its machine request set "
                "(e.g. <cluster>-workers) and creates it: it needs Pool.Allocate and Pool.Audit",
                "`omni-scale proxmox check` lists missing privileges",
                "pool",
            )
        ]
    pool = str(named) if named else str(set_id)
    known = snapshot.pools
    if named:
        if known is None:
            return [
                PlanProblem(
                    "info",
                    f"pool {pool!r} not checked: the snapshot has no pool list",
                    "take a new snapshot with `omni-scale proxmox snapshot` (needs Pool.Audit)",
                    "pool",
                )
            ]
        if pool not in known:
            return [
                PlanProblem(
                    "error",
                    f'proxmox pool "{pool}" does not exist; create it in Proxmox or leave "pool" '
                    "empty to use the machine request set id",
                    f"pveum pool add {pool}  (and grant the provider Pool.Audit on /pool/{pool}: "
                    "PVE 9 lists only pools the token may audit)",
                    "pool",
                )
            ]
        return []
    if known is not None and pool in known:
        return []
    return [
        PlanProblem(
            "info",
            f"the provider puts these VMs into pool {pool!r} (the machine request set id) and "
            "creates it: it needs Pool.Allocate on /pool/{pool} and Pool.Audit to see it again",
            "`omni-scale proxmox check` lists missing privileges",
            "pool",
        )
    ]


def _set_problems(
    plan: ClassPlan,
    snapshot: Snapshot,
    data: ProviderData,
    rel: Release,
    replicas: int,
    ha: Any,
    set_id: str,
) -> list[PlanProblem]:
    """What only shows across the requests of a set: clumping, EFI on old builds, HA."""
    out: list[PlanProblem] = []
    nodes = [m.node for m in plan.machines if m.node]
    online = [n for n in snapshot.nodes if n.online]
    if (
        replicas > 1
        and not data.node
        and len(nodes) == replicas
        and len(set(nodes)) == 1
        and len(online) > 1
        and not rel.at_least("v0.2.0")
    ):
        out.append(
            PlanProblem(
                "warning",
                f"all {replicas} VMs of the set land on {nodes[0]}: provider {rel.name} has no "
                "in-flight ledger and its same-set VM count is always 0, so every request of a "
                f"set sees the same inventory (provider issue #51, {ISSUE_51})",
                "run provider >= v0.2.0 (its scheduler spreads a set), or pin `node:` per class",
                "node",
            )
        )
    if data.bios == "ovmf" and not rel.at_least("v0.2.0"):
        out.append(
            PlanProblem(
                "info",
                f"bios: ovmf is not read by provider {rel.name} (added in v0.2.0): the VM "
                "boots SeaBIOS and gets no efidisk0",
                None,
            )
        )
    if isinstance(ha, dict):
        out += ha_problems(snapshot, ha, set_id, rel, replicas)
    return out


def _pve_major(version: str | None) -> int | None:
    head = (version or "").split(".", 1)[0]
    return int(head) if head.isdigit() else None


def ha_problems(
    snapshot: Snapshot, ha: dict[str, Any], set_id: str, rel: Release, replicas: int
) -> list[PlanProblem]:
    """HA (v0.2.0, placement.md §5): the provider still places; rules need PVE 9."""
    rule_set = "".join(c if c.isalnum() or c in "_-" else "-" for c in set_id)
    out = [
        PlanProblem(
            "info",
            f"ha: provider {rel.name} still picks the node itself (strategy and ledger, VM "
            "counts not read), creates and starts the VM there, then registers it with Proxmox "
            "HA; HA only moves it later (the README's 'placement delegated to Proxmox HA' does "
            "not match the code)",
            None,
        )
    ]
    affinity = [str(n) for n in ha.get("node_affinity_nodes") or []]
    resource = ha.get("resource_affinity")
    user_rules = [str(r) for r in ha.get("rules") or []]
    rules: list[str] = []
    if affinity:
        rules.append(f"omni-{rule_set}-naff")
    if resource and replicas >= 2:
        rules.append(f"omni-{rule_set}-raff")
    major = _pve_major(snapshot.pve_version)
    if (rules or user_rules) and major is not None and major < 9:
        first = rules[0] if rules else user_rules[0]
        text = (
            f'failed to create HA rule "{first}": …'
            if rules
            else f'ha: not found: … (HA rule "{first}")'
        )
        out.append(
            PlanProblem(
                "error",
                f"{text} — HA rules need Proxmox VE 9; this cluster runs {snapshot.pve_version}",
                "upgrade to PVE 9, or drop node_affinity_nodes/resource_affinity/rules from ha:",
                "ha",
            )
        )
    names = {n.node for n in snapshot.nodes}
    strangers = [n for n in affinity if n not in names]
    if strangers and names:
        out.append(
            PlanProblem(
                "warning",
                f"ha.node_affinity_nodes names {', '.join(strangers)}, not a node of this "
                f"cluster (nodes: {', '.join(sorted(names))})",
                "node names are case-sensitive; fix the list",
                "ha",
            )
        )
    online = sum(1 for n in snapshot.nodes if n.online)
    if resource == "negative" and replicas > online:
        out.append(
            PlanProblem(
                "warning",
                f"ha.resource_affinity negative keeps the {replicas} VMs of the set apart, but "
                f"only {online} node(s) are online: PVE rejects the rule as infeasible and the "
                "provider only logs it (no anti-affinity)",
                "lower the set size to the number of nodes, or drop resource_affinity",
                "ha",
            )
        )
    known = snapshot.ha_rules
    for rule in user_rules:
        if known is not None and rule not in known:
            out.append(
                PlanProblem(
                    "error",
                    f'ha: not found: … — HA rule "{rule}" does not exist; the provider adds the '
                    "VM to rules it reads first and never creates them",
                    f"create rule {rule} in Datacenter > HA > Rules first, or drop it from rules:",
                    "ha",
                )
            )
        elif known is None:
            out.append(
                PlanProblem(
                    "info",
                    f'HA rule "{rule}" must already exist (not checked: no rule list in the '
                    "snapshot)",
                    None,
                    "ha",
                )
            )
    return out


def node_memory(node: NodeInfo) -> int | None:
    """Free memory in bytes as GET /nodes reports it (None without stats)."""
    if not node.maxmem or node.mem is None:
        return None
    return max(0, node.maxmem - node.mem)


def plans_to_json(plans: Sequence[ClassPlan]) -> dict[str, object]:
    return {"classes": [p.to_json() for p in plans]}
