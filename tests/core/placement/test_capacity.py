"""Cluster capacity: memory per node, disk per storage (shared counted once), control planes."""

from __future__ import annotations

from fakes.pve_snapshots import GIB, node, snap
from omni_scale.core.placement.capacity import PlacedVM, capacity, shared_control_planes
from omni_scale.core.placement.model import DiskPlan, MachinePlan


def vm(request: str, where: str, storage: str = "local-lvm", kind: str = "Workers") -> PlacedVM:
    disk = DiskPlan("scsi0", storage, 100, "true")
    return PlacedVM("s", kind, MachinePlan(request, where, (disk,)), 4096, "proxmox")


SHARED = {"storage": "ceph", "type": "rbd", "content": "images", "avail": 250 * GIB, "shared": 1}
LVM = {"storage": "local-lvm", "type": "lvm", "content": "images", "avail": 150 * GIB}


def test_memory_per_node_against_free_memory() -> None:
    s = snap(node("pve1", 6), node("pve2", 40))
    result = capacity([vm("a", "pve1"), vm("b", "pve1"), vm("c", "pve2")], {"proxmox": s})
    loads = {n.node: n for n in result.nodes}
    assert loads["pve1"].memory_planned == 8 * GIB and loads["pve1"].memory_free == 6 * GIB
    assert not loads["pve1"].ok and loads["pve2"].ok
    [problem] = [p for p in result.problems if p.severity == "error"]
    assert problem.message.startswith("node pve1: 2 VM(s) planned need 8.0 GiB of memory")


def test_shared_storage_is_counted_once_and_thin_only_warns() -> None:
    s = snap(node("pve1", 60, storages=[SHARED]), node("pve2", 60, storages=[SHARED]))
    result = capacity(
        [vm("a", "pve1", "ceph"), vm("b", "pve2", "ceph"), vm("c", "pve2", "ceph")], {"proxmox": s}
    )
    [ceph] = result.storages
    assert (ceph.node, ceph.planned, ceph.thin) == (None, 300 * GIB, True)
    assert [p.severity for p in result.problems] == ["warning"]
    assert "shared storage ceph" in result.problems[0].message


def test_thick_storage_over_its_free_space_fails() -> None:
    s = snap(node("pve1", 60, storages=[LVM]))
    result = capacity([vm("a", "pve1"), vm("b", "pve1")], {"proxmox": s})
    [problem] = result.problems
    assert problem.severity == "error" and "VM creation fails" in problem.message
    zfs = dict(LVM, type="zfspool")
    result = capacity(
        [vm("a", "pve1"), vm("b", "pve1")], {"proxmox": snap(node("pve1", 60, storages=[zfs]))}
    )
    assert result.problems[0].severity == "error" and "sparse 1" in (result.problems[0].hint or "")


def test_control_planes_sharing_a_node() -> None:
    cps = [vm(f"cp-{i}", n, kind="ControlPlane") for i, n in enumerate(["pve1", "pve1", "pve2"])]
    [problem] = shared_control_planes(cps, online=3)
    assert "2 of 3 control planes on pve1" in problem.message
    assert "etcd loses quorum (needs 2)" in problem.message
    five = [vm(f"cp-{i}", n, kind="ControlPlane") for i, n in enumerate(["a", "a", "b", "c", "d"])]
    [problem] = shared_control_planes(five, online=4)
    assert "3 of 5 remain and etcd keeps quorum" in problem.message
    assert "only 4 online node(s)" in (problem.hint or "")
    assert shared_control_planes([vm("w", "a"), vm("x", "a")]) == []  # workers may share
