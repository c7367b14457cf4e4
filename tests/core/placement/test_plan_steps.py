"""The steps after pickNode: disks and their wording, EFI, pool, HA, and which error the provider
shows first (placement.md §5, §6)."""

from __future__ import annotations

from typing import Any

from fakes.pve_snapshots import BASE, THREE, node, snap
from omni_scale.core.machineclass.providerdata import parse_providerdata
from omni_scale.core.placement.replay import plan_class

DISK = 'additional_disks:\n  - disk_size: 20\n    storage_selector: name == "{sel}"\n'


def plan(extra: str = "", release: str = "v0.2.0", n: int = 1, s: Any = None, **kw: Any):
    return plan_class(
        "c", "proxmox", parse_providerdata(BASE + extra), s or snap(*THREE),
        provider_version=release, replicas=n, set_id="demo-workers", **kw,
    )  # fmt: skip


def messages(p: Any, severity: str) -> list[str]:
    return [x.message for x in p.problems if x.severity == severity]


def test_primary_compile_error_is_raw_and_additional_disk_has_its_prefix() -> None:
    p = plan(DISK.format(sel="x").replace('name == "x"', "name ==="))
    errors = messages(p, "error")
    assert len(errors) == 1
    assert errors[0].startswith("failed to pick storage for additional disk 1: ERROR: <input>:1:")
    bad = BASE.replace('name == "local-lvm"', "name ===")
    p = plan_class("c", None, parse_providerdata(bad), snap(*THREE), provider_version="v0.2.0")
    assert messages(p, "error")[0].startswith("ERROR: <input>:1:")  # no prefix at all


def test_evaluation_error_of_primary_disk_is_raw() -> None:
    overflow = BASE.replace('name == "local-lvm"', "availableSpace - 1000000000000u > 0u")
    p = plan_class("c", None, parse_providerdata(overflow), snap(*THREE), provider_version="v0.2.0")
    assert messages(p, "error")[0] == "unsigned integer overflow"


def test_zero_storages_make_even_an_invalid_selector_a_no_match() -> None:
    bare = node("pve1", storages=[])
    bad = BASE.replace('name == "local-lvm"', "name ===")
    p = plan_class("c", None, parse_providerdata(bad), snap(bare), provider_version="v0.2.0")
    assert 'failed to pick the disk: no matches for the condition "name ==="' in messages(
        p, "error"
    )


def test_ovmf_adds_efidisk0_on_the_primary_storage_from_v020() -> None:
    p = plan("bios: ovmf\n")
    assert [d.slot for d in p.disks] == ["scsi0", "efidisk0"]
    assert p.disks[1].storage == p.disks[0].storage == "local-lvm"
    assert p.disks[1].size_bytes == 4 * 1024**2
    old = plan("bios: ovmf\n", release="v0.1.0")
    assert [d.slot for d in old.disks] == ["scsi0"]
    assert any("bios: ovmf is not read by provider v0.1.0" in m for m in messages(old, "info"))


def test_named_pool_must_exist_and_shows_before_additional_disks() -> None:
    p = plan("pool: talos\n" + DISK.format(sel="nope"))
    pool_error = (
        'proxmox pool "talos" does not exist; create it in Proxmox or leave "pool" empty to use '
        "the machine request set id"
    )
    assert pool_error in messages(p, "error")
    assert any(
        m.startswith("failed to pick storage for additional disk 1:") for m in messages(p, "error")
    )
    assert p.provider_error is not None and p.provider_error.message == pool_error
    assert p.to_json()["provider_error"] == pool_error
    # scsi0 comes before the pool (and the ISO storage before scsi0)
    iso_only = node("pve1", storages=[{"storage": "local", "type": "dir", "content": "iso"}])
    bad = plan("pool: talos\n", s=snap(iso_only))
    assert bad.provider_error is not None
    assert bad.provider_error.message.startswith("failed to pick the disk: no matches")
    assert len(messages(bad, "error")) == 2  # both reported, the first one labelled


def test_pool_checks_per_release_and_snapshot() -> None:
    s = snap(*THREE, pools=["talos"])
    assert plan("pool: talos\n", s=s).ok
    assert any("pool" in m for m in messages(plan("pool: other\n", release="v0.1.0", s=s), "error"))
    # before v0.1.0 there is no pool step
    assert not any("pool" in x.message for x in plan("", release="0d9fd58").problems)
    # the implicit pool is the set id, created by the provider
    implicit = [m for m in messages(plan(), "info") if "'demo-workers'" in m]
    assert implicit and "Pool.Allocate" in implicit[0]
    # a v1 snapshot has no pool list: not checked, said so
    v1 = snap(*THREE, version=1)
    assert any("not checked" in m for m in messages(plan("pool: talos\n", s=v1), "info"))


def test_ha_rules_need_pve_9() -> None:
    ha = "ha:\n  node_affinity_nodes: [pve1, pve2]\n"
    old = snap(*THREE, pve_version="8.4.1")
    p = plan(ha, s=old)
    error = [m for m in messages(p, "error") if "HA rules need Proxmox VE 9" in m]
    assert error and error[0].startswith('failed to create HA rule "omni-demo-workers-naff":')
    assert plan(ha).ok  # PVE 9


def test_ha_node_affinity_names_and_infeasible_anti_affinity() -> None:
    p = plan("ha:\n  node_affinity_nodes: [pve1, PVE2]\n  resource_affinity: negative\n", n=4)
    warnings = messages(p, "warning")
    assert any("node_affinity_nodes names PVE2" in w for w in warnings)
    assert any("keeps the 4 VMs of the set apart" in w and "only 3" in w for w in warnings)
    # three replicas on three nodes are feasible
    p = plan("ha:\n  resource_affinity: negative\n", n=3)
    assert not any("apart" in w for w in messages(p, "warning"))


def test_ha_user_rules_must_exist() -> None:
    s = snap(*THREE, ha_rules=["keep-apart"])
    assert plan("ha:\n  rules: [keep-apart]\n", s=s).ok
    p = plan("ha:\n  rules: [spread-them]\n", s=s)
    assert any('HA rule "spread-them" does not exist' in m for m in messages(p, "error"))


def test_ha_info_replaces_proxmox_decides() -> None:
    p = plan("ha:\n  state: started\n")
    info = messages(p, "info")
    assert not any("Proxmox HA decides" in m for m in info)
    assert any("still picks the node itself" in m for m in info)
