"""Does a cluster fit? Memory planned per node against free memory, disk space per storage, and
control planes sharing a node (placement.md §4: sets share real capacity, the provider checks
none of it).

Free memory is `maxmem - mem` of GET /nodes (running VMs included). A storage shared between
nodes (`shared: 1`) is counted once. Thin-provisioned storage types only warn when the planned
disks exceed the free space (nothing is written up front); thick ones fail VM creation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from omni_scale.core.placement.model import GIB, MIB, MachinePlan, PlanProblem
from omni_scale.core.proxmox.snapshot import Snapshot, StorageInfo

# Types whose volumes take space as they are written: LVM-thin, Ceph RBD, and file storages
# (raw/qcow2 files are sparse). Thick: plain LVM, iSCSI LUNs, and ZFS, whose zvols carry a
# refreservation unless the storage is set `sparse 1` (PVE's default is 0).
THIN_TYPES = frozenset(
    {"lvmthin", "rbd", "dir", "nfs", "cifs", "cephfs", "glusterfs", "btrfs", "esxi"}
)


@dataclass(frozen=True)
class PlacedVM:
    """One planned VM: its machine, its memory and the provider/snapshot it runs on."""

    set_id: str
    kind: str  # "ControlPlane" | "Workers"
    machine: MachinePlan
    memory_mib: int
    provider: str


@dataclass
class NodeLoad:
    node: str
    provider: str
    memory_free: int | None
    memory_planned: int = 0
    vms_planned: int = 0

    @property
    def ok(self) -> bool:
        return self.memory_free is None or self.memory_planned <= self.memory_free

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "provider": self.provider,
            "memory_free": self.memory_free,
            "memory_planned": self.memory_planned,
            "vms_planned": self.vms_planned,
            "ok": self.ok,
        }


@dataclass
class StorageLoad:
    node: str | None  # None: a shared storage, counted once for every node
    storage: str
    type: str
    provider: str
    avail: int
    planned: int = 0

    @property
    def thin(self) -> bool:
        return self.type in THIN_TYPES

    @property
    def ok(self) -> bool:
        return self.planned <= self.avail

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "storage": self.storage,
            "type": self.type,
            "provider": self.provider,
            "avail": self.avail,
            "planned": self.planned,
            "thin": self.thin,
            "ok": self.ok,
        }


@dataclass
class Capacity:
    nodes: list[NodeLoad] = field(default_factory=list)
    storages: list[StorageLoad] = field(default_factory=list)
    problems: list[PlanProblem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "nodes": [n.to_json() for n in self.nodes],
            "storages": [s.to_json() for s in self.storages],
        }


def _gib(value: int) -> str:
    return f"{value / GIB:.1f} GiB"


def capacity(vms: Sequence[PlacedVM], snapshots: dict[str, Snapshot]) -> Capacity:
    """Sum the planned VMs per node and per storage and judge them against the inventory."""
    out = Capacity()
    nodes: dict[tuple[str, str], NodeLoad] = {}
    storages: dict[tuple[str, str | None, str], StorageLoad] = {}
    for vm in vms:
        name = vm.machine.node
        snapshot = snapshots.get(vm.provider)
        info = snapshot.node(name) if snapshot is not None and name else None
        if info is None or name is None:
            continue
        load = nodes.get((vm.provider, name))
        if load is None:
            free = max(0, info.maxmem - info.mem) if info.maxmem and info.mem is not None else None
            load = nodes[(vm.provider, name)] = NodeLoad(name, vm.provider, free)
        load.memory_planned += vm.memory_mib * MIB
        load.vms_planned += 1
        for disk in vm.machine.disks:
            found = _storage(info.storages, disk.storage)
            if found is None:
                continue
            key = (vm.provider, None if found.shared else name, found.storage)
            slot = storages.get(key)
            if slot is None:
                slot = storages[key] = StorageLoad(
                    key[1], found.storage, found.type, vm.provider, found.avail
                )
            slot.planned += disk.size_bytes
    out.nodes = list(nodes.values())
    out.storages = list(storages.values())
    for load in out.nodes:
        if not load.ok:
            assert load.memory_free is not None
            out.problems.append(
                PlanProblem(
                    "error",
                    f"node {load.node}: {load.vms_planned} VM(s) planned need "
                    f"{_gib(load.memory_planned)} of memory, {load.node} has "
                    f"{_gib(load.memory_free)} free",
                    "lower memory or set sizes, add a node, or free memory there (the provider "
                    "does not check: the VMs are created and fail to start or swap)",
                    "start",
                )
            )
    for slot in out.storages:
        if slot.ok:
            continue
        where = f"{slot.storage} on {slot.node}" if slot.node else f"shared storage {slot.storage}"
        text = (
            f"{where} ({slot.type}): the disks planned there take {_gib(slot.planned)}, "
            f"{_gib(slot.avail)} free"
        )
        if slot.thin:
            out.problems.append(
                PlanProblem(
                    "warning",
                    f"{text}: thin-provisioned, so creation works but the pool overcommits and "
                    "fills as the disks are written",
                    "free space there or lower disk sizes; watch the pool's usage",
                    "create",
                )
            )
        else:
            hint = "free space there, lower disk_size or the set sizes, or select another storage"
            if slot.type == "zfspool":
                hint += " (a zfspool with `sparse 1` allocates thinly: then this only overcommits)"
            out.problems.append(PlanProblem("error", f"{text}: VM creation fails", hint, "create"))
    return out


def _storage(storages: tuple[StorageInfo, ...] | None, name: str | None) -> StorageInfo | None:
    if name is None:
        return None
    return next((s for s in storages or () if s.storage == name), None)


def shared_control_planes(vms: Sequence[PlacedVM], online: int | None = None) -> list[PlanProblem]:
    """Control planes on one node: losing that node loses several etcd members at once.
    `online`: how many nodes could take them (None: unknown)."""
    cps = [vm for vm in vms if vm.kind == "ControlPlane" and vm.machine.node]
    total = len(cps)
    by_node: dict[str, list[str]] = {}
    for vm in cps:
        assert vm.machine.node is not None
        by_node.setdefault(vm.machine.node, []).append(vm.machine.request)
    out: list[PlanProblem] = []
    quorum = total // 2 + 1
    for node, requests in by_node.items():
        if len(requests) < 2:
            continue
        left = total - len(requests)
        verdict = "etcd loses quorum" if left < quorum else "etcd keeps quorum"
        if online is not None and online < total:
            hint = (
                f"only {online} online node(s) for {total} control planes: add nodes, or accept "
                "that one node failing can take the control plane down"
            )
        else:
            hint = (
                "spread them: provider >= v0.2.0 spreads a set by default (spread strategy); "
                "on older releases use one class per node with `node:`"
            )
        out.append(
            PlanProblem(
                "warning",
                f"{len(requests)} of {total} control planes on {node} ({', '.join(requests)}): "
                f"if {node} fails, {left} of {total} remain and {verdict} (needs {quorum})",
                hint,
                None,
            )
        )
    return out
