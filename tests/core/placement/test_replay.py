"""The provider replay on snapshots that reproduce each failure the plan must catch."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest

from omni_scale.core.machineclass.providerdata import parse_providerdata
from omni_scale.core.placement.node import memory_free, pick_node
from omni_scale.core.placement.replay import plan_class
from omni_scale.core.proxmox.snapshot import snapshot_from_json

GIB = 1024**3


def storage(name: str, typ: str = "lvmthin", content: str = "images,rootdir", **kw: Any) -> dict:
    item = {"storage": name, "type": typ, "content": content, "enabled": 1, "active": 1}
    item.update({"avail": 500 * GIB, "total": 1000 * GIB, "shared": 0})
    item.update(kw)
    return item


ISO = storage("local", "dir", "iso,vztmpl,backup")


def node(name: str, **kw: Any) -> dict:
    item: dict[str, Any] = {
        "node": name,
        "status": "online",
        "maxmem": 64 * GIB,
        "mem": 16 * GIB,
        "maxcpu": 16,
        "storages": [ISO, storage("local-lvm")],
        "bridges": [{"iface": "vmbr0", "vlan_aware": True, "active": True}],
    }
    item.update(kw)
    return item


def snap(*nodes: dict, mappings: list | None = None, **kw: Any):
    doc = {
        "format": "omni-scale/proxmox-snapshot",
        "version": 1,
        "taken_at": "2026-01-01T00:00:00Z",
        "pve_version": "8.4.1",
        "provider_id": "proxmox",
        "nodes": list(nodes),
        "pci_mappings": mappings if mappings is not None else [],
    }
    doc.update(kw)
    return snapshot_from_json(copy.deepcopy(doc))


BASE = 'cores: 2\nsockets: 1\nmemory: 4096\ndisk_size: 32\nstorage_selector: name == "local-lvm"\n'


def plan(snapshot, extra: str = "", base: str = BASE, **kw: Any):
    return plan_class("c", "proxmox", parse_providerdata(base + extra), snapshot, **kw)


def messages(p, severity: str | None = None) -> list[str]:
    return [x.message for x in p.problems if severity is None or x.severity == severity]


# ------------------------------------------------------------------------------- pickNode


def test_pinned_node_not_found_uses_provider_wording() -> None:
    p = plan(snap(node("pve1")), "node: pve9\n")
    assert p.node is None and not p.ok
    assert 'specified node "pve9" not found in cluster' in messages(p, "error")
    assert p.disks[0].storage is None


def test_pinned_node_offline_uses_provider_wording() -> None:
    p = plan(snap(node("pve1"), node("pve2", status="offline", storages=None)), "node: pve2\n")
    assert 'specified node "pve2" is not online (status: offline)' in messages(p, "error")


def test_no_nodes_available() -> None:
    p = plan(snap())
    assert p.node is None and messages(p, "error") == ["no nodes available"]


def test_highest_free_memory_ratio_wins_not_most_bytes() -> None:
    big = node("big", maxmem=256 * GIB, mem=128 * GIB)  # 50% free, 128 GiB free
    small = node("small", maxmem=32 * GIB, mem=8 * GIB)  # 75% free, 24 GiB free
    p = plan(snap(big, small))
    assert p.node == "small" and p.ok


def test_offline_node_with_maxmem_but_no_mem_wins_before_v010_and_is_flagged() -> None:
    ghost = node("pve3", status="offline", mem=None, storages=None, bridges=None)
    s = snap(node("pve1"), ghost)
    # 0d9fd58 outside a machine request set: no per-node status call, the ghost's ratio is 1.0
    p = plan(s, provider_version="0d9fd58", in_set=False)
    assert p.node == "pve3"
    assert any("free-memory ratio is 1.0" in m for m in messages(p, "error"))
    assert memory_free(s.node("pve3")) == 1.0  # type: ignore[arg-type]


def test_offline_nodes_skipped_from_v010() -> None:
    ghost = node("pve3", status="offline", mem=None, storages=None)
    p = plan(snap(node("pve1"), ghost), provider_version="v0.3.0")
    assert p.node == "pve1" and p.ok


def test_nodes_without_stats_sort_last() -> None:
    blind = node("blind", maxmem=None, mem=None)
    seen = node("seen", maxmem=64 * GIB, mem=60 * GIB)  # only 6% free, still before NaN
    choice = pick_node(snap(blind, seen), None, "v0.1.0")
    assert choice.node == "seen"
    assert math.isnan(choice.ranking[-1][1])


def test_no_stats_at_all_takes_first_in_api_order_with_warning() -> None:
    blind = (node("b", maxmem=None, mem=None), node("a", maxmem=None, mem=None))
    p = plan(snap(*blind), provider_version="v0.1.0")
    assert p.node == "b"
    assert any("no node reports memory stats" in m for m in messages(p, "warning"))


def test_tie_on_free_memory_is_order_dependent() -> None:
    p = plan(snap(node("pve1"), node("pve2")))
    assert p.node == "pve1"
    assert any("tie on free memory" in m for m in messages(p, "warning"))


# ---------------------------------------------------------------------------- pickStorage


def test_no_storage_match_uses_provider_wording() -> None:
    p = plan(snap(node("pve1")), base=BASE.replace('"local-lvm"', '"ceph"'))
    assert 'failed to pick the disk: no matches for the condition "name == \\"ceph\\""' in (
        messages(p, "error")
    )
    assert p.disks[0].storage is None


def test_first_match_in_api_order_and_several_matches_flagged() -> None:
    stores = [ISO, storage("fast"), storage("slow")]
    selector = BASE.replace('name == "local-lvm"', "availableSpace > 0u")
    p = plan(snap(node("pve1", storages=stores)), base=selector)
    assert p.disks[0].storage == "local"  # the first storage in API order matches `true`
    warning = [m for m in messages(p, "warning") if "selector matches 3 storages" in m]
    assert warning and "not keep stable" in warning[0]
    assert any("cannot hold VM disks" in m for m in messages(p, "error"))


def test_disabled_storage_matching_is_an_error() -> None:
    stores = [ISO, storage("tank", "zfspool", enabled=0, active=0, avail=0, total=0)]
    p = plan(snap(node("pve1", storages=stores)), base=BASE.replace("local-lvm", "tank"))
    assert p.disks[0].storage == "tank"
    assert any("disabled or not available" in m for m in messages(p, "error"))


def test_inactive_storage_is_an_error() -> None:
    stores = [ISO, storage("nfs-vm", "nfs", active=0, avail=0)]
    p = plan(snap(node("pve1", storages=stores)), base=BASE.replace("local-lvm", "nfs-vm"))
    assert any("not active" in m for m in messages(p, "error"))


def test_storage_without_images_content_is_an_error() -> None:
    p = plan(snap(node("pve1")), base=BASE.replace("local-lvm", "local"))
    assert any("cannot hold VM disks (content: iso,vztmpl,backup)" in m for m in messages(p))


def test_not_enough_space_counts_all_disks_on_the_storage() -> None:
    stores = [ISO, storage("local-lvm", avail=50 * GIB)]
    extra = 'additional_disks:\n  - disk_size: 20\n    storage_selector: name == "local-lvm"\n'
    p = plan(snap(node("pve1", storages=stores)), extra)
    errors = messages(p, "error")
    assert not any(m.startswith("scsi0") for m in errors)  # 32 GiB fit in 50
    assert any(m.startswith("scsi1") and "needs 52 GiB" in m for m in errors)


def test_additional_disk_no_match_wording_is_one_based() -> None:
    extra = 'additional_disks:\n  - disk_size: 20\n    storage_selector: name == "nope"\n'
    p = plan(snap(node("pve1")), extra)
    assert [d.slot for d in p.disks] == ["scsi0", "scsi1"]
    assert p.disks[0].storage == "local-lvm" and p.disks[1].storage is None
    # the inner text keeps its own prefix: both appear (placement.md §6, user logs #39/#77)
    assert messages(p, "error") == [
        "failed to pick storage for additional disk 1: failed to pick the disk: "
        'no matches for the condition "name == \\"nope\\""'
    ]


def test_selector_compile_error_is_reported() -> None:
    p = plan(snap(node("pve1")), base=BASE.replace('name == "local-lvm"', "'\"local-lvm\"'"))
    assert any("expected bool" in m for m in messages(p, "error"))


def test_storages_of_offline_node_unknown() -> None:
    ghost = node("pve3", status="offline", mem=None, storages=None)
    p = plan(snap(ghost), provider_version="0d9fd58", in_set=False)
    assert any("could not be listed" in m for m in messages(p, "error"))
    # from v0.1.0 the offline node is skipped, and with no other node the pick fails
    p = plan(snap(ghost), provider_version="v0.2.0")
    assert messages(p, "error") == ["no online nodes available for provisioning"]


# --------------------------------------------------------------------------- extra checks


def test_no_iso_storage_and_several_iso_storages() -> None:
    p = plan(snap(node("pve1", storages=[storage("local-lvm")])))
    assert any("no enabled storage with `iso` content" in m for m in messages(p, "error"))
    two = [ISO, storage("local-lvm"), storage("nfs-iso", "nfs", "iso")]
    p = plan(snap(node("pve1", storages=two)))
    assert any("2 ISO storages" in m for m in messages(p, "warning")) and p.ok


def test_inactive_first_iso_storage_fails_download() -> None:
    stores = [storage("nfs-iso", "nfs", "iso", active=0, avail=0), storage("local-lvm")]
    p = plan(snap(node("pve1", storages=stores)))
    assert any("ISO storage nfs-iso" in m and "not active" in m for m in messages(p, "error"))


def test_missing_bridge_is_an_error_that_may_be_sdn_hiding() -> None:
    p = plan(snap(node("pve1")), "network_bridge: vmbr9\n")
    error = [m for m in messages(p, "error") if "bridge vmbr9 not found" in m]
    assert error and "may" in error[0]


def test_empty_bridge_list_is_only_a_warning() -> None:
    p = plan(snap(node("pve1", bridges=[])))
    assert p.ok
    assert any("bridge vmbr0 not found" in m for m in messages(p, "warning"))


def test_bridges_not_read_are_not_judged() -> None:
    p = plan(snap(node("pve1", bridges=None)), "network_bridge: vmbr9\n")
    assert p.ok


def test_additional_nic_bridge_and_vlan_checks() -> None:
    bridges = [
        {"iface": "vmbr0", "vlan_aware": True, "active": True, "vlan_ids": "2-100"},
        {"iface": "vmbr1", "vlan_aware": False, "active": True},
    ]
    extra = "vlan: 200\nadditional_nics:\n  - bridge: vmbr1\n    vlan: 20\n  - bridge: vmbr2\n"
    p = plan(snap(node("pve1", bridges=bridges)), extra)
    errors, warnings = messages(p, "error"), messages(p, "warning")
    assert any(m.startswith("net0: VLAN 200 is not in vmbr0's bridge-vids") for m in errors)
    assert any(m.startswith("net1: VLAN 20 on vmbr1, which is not VLAN aware") for m in warnings)
    assert any(m.startswith("net2: bridge vmbr2 not found") for m in errors)


def test_pci_mapping_missing_or_not_on_node() -> None:
    mappings = [{"id": "gpu", "nodes": ["pve2"]}]
    extra = "pci_devices:\n  - mapping: gpu\n  - mapping: nic\n"
    p = plan(snap(node("pve1"), mappings=mappings), extra)
    errors = messages(p, "error")
    assert any("PCI mapping gpu has no device on pve1" in m for m in errors)
    assert any("PCI mapping nic does not exist" in m for m in errors)


def test_pci_mapping_on_pinned_node_is_fine_and_pcie_needs_q35() -> None:
    mappings = [{"id": "gpu", "nodes": ["pve1"]}]
    p = plan(snap(node("pve1"), mappings=mappings), "pci_devices:\n  - mapping: gpu\n")
    assert p.ok
    p = plan(
        snap(node("pve1"), mappings=mappings), "pci_devices:\n  - mapping: gpu\n    pcie: true\n"
    )
    assert any("pcie needs machine_type: q35" in m for m in messages(p, "error"))


def test_unreadable_pci_mappings_warn() -> None:
    p = plan(snap(node("pve1"), pci_mappings=None), "pci_devices:\n  - mapping: gpu\n")
    assert p.ok and any("could not be read" in m for m in messages(p, "warning"))


def test_memory_and_cores_larger_than_node() -> None:
    small = node("pve1", maxmem=8 * GIB, mem=1 * GIB, maxcpu=4)
    base = BASE.replace("memory: 4096", "memory: 16384").replace("cores: 2", "cores: 4")
    p = plan(snap(small), "sockets: 2\n", base=base.replace("sockets: 1\n", ""))
    errors = messages(p, "error")
    assert any("memory 16384 MiB is more than pve1 has (8192 MiB)" in m for m in errors)
    assert any("8 vCPUs" in m and "MAX 4 vcpus" in m for m in errors)


@pytest.mark.parametrize(("root", "fails"), [(False, True), (True, False), (None, False)])
def test_hugepages_needs_root_login(root: bool | None, fails: bool) -> None:
    p = plan(snap(node("pve1")), "hugepages: 2MB\n", root_login=root)
    assert (not p.ok) is fails


def test_plan_json_has_design_shape() -> None:
    p = plan(snap(node("pve1")))
    data = p.to_json()
    assert {"id", "providerid", "node", "disks", "ok", "problems"} <= set(data)
    assert data["disks"][0] | {} == data["disks"][0]
    assert {"slot", "storage", "size_gb"} <= set(data["disks"][0])
    assert data["disks"][0]["slot"] == "scsi0" and data["disks"][0]["size_gb"] == 32
