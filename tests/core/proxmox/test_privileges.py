"""The privilege table and the audit of /access/permissions answers."""

from __future__ import annotations

from fakes.fixtures_pve import MINIMAL_PRIVILEGES
from omni_scale.core.proxmox.privileges import audit, audit_paths, granted_set, requirements

MINIMAL = list(MINIMAL_PRIVILEGES)


def reqs(**kw):
    args = dict(
        nodes=["pve1"],
        vm_path="/vms/104",
        disk_storages=["local-lvm"],
        iso_storages=["local"],
        bridges=["vmbr0"],
        pci_mappings=["gpu"],
        pve_version="8.4.1",
    )
    args.update(kw)
    return requirements(**args)


def test_every_minimal_privilege_is_required_somewhere() -> None:
    assert {r.privilege for r in reqs()} == set(MINIMAL)


def test_granted_on_root_covers_everything() -> None:
    rows = audit(reqs(), {p: frozenset(MINIMAL) for p in audit_paths(reqs())})
    assert rows and all(r.granted for r in rows)


def test_missing_privilege_says_what_breaks() -> None:
    granted = {p: frozenset(MINIMAL) - {"VM.Allocate"} for p in audit_paths(reqs())}
    [missing] = [r for r in audit(reqs(), granted) if not r.granted]
    assert (missing.privilege, missing.path) == ("VM.Allocate", "/vms/104")
    assert "syncVM" in missing.breaks


def test_access_network_or_sys_audit_and_modify_on_root() -> None:
    base = {p: frozenset(MINIMAL) - {"Sys.AccessNetwork"} for p in audit_paths(reqs())}
    rows = audit(reqs(), base)
    assert [r.privilege for r in rows if not r.granted] == ["Sys.AccessNetwork"]
    base["/"] = frozenset({"Sys.Audit", "Sys.Modify"})
    row = next(r for r in audit(reqs(), base) if r.privilege == "Sys.AccessNetwork")
    assert row.granted and row.via == "Sys.Audit on / + Sys.Modify on /"


def test_pve80_has_no_access_network() -> None:
    privileges = {(r.privilege, r.path) for r in reqs(pve_version="8.0.4")}
    assert ("Sys.AccessNetwork", "/nodes/pve1") not in privileges
    assert ("Sys.Modify", "/") in privileges


def test_permission_answer_key_presence_means_granted() -> None:
    answer = {"/storage/local-lvm": {"Datastore.AllocateSpace": 1, "Datastore.Audit": 0}}
    assert granted_set(answer) == {"Datastore.AllocateSpace", "Datastore.Audit"}
    assert granted_set({}) == frozenset()


def test_no_pci_no_mapping_use() -> None:
    assert "Mapping.Use" not in {r.privilege for r in reqs(pci_mappings=[])}
