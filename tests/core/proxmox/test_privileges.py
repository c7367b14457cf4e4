"""The privilege table and the audit of /access/permissions answers."""

from __future__ import annotations

from fakes.fixtures_pve import MINIMAL_PRIVILEGES, POOL_PRIVILEGES
from omni_scale.core.proxmox.privileges import (
    RECOMMENDED_ROLE,
    audit,
    audit_paths,
    grant_commands,
    granted_set,
    requirements,
    role_command,
)

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
        pools=["talos", ""],
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


def test_pools_need_pool_privileges_from_v010_only() -> None:
    pool_rows = [(r.privilege, r.path) for r in reqs() if r.privilege.startswith("Pool.")]
    assert pool_rows == [
        ("Pool.Allocate", "/pool/talos"),
        ("Pool.Audit", "/pool/talos"),
        ("Pool.Allocate", "/pool"),
        ("Pool.Audit", "/pool"),
    ]
    assert not any(r.privilege.startswith("Pool.") for r in reqs(pools=None))  # 0d9fd58


def test_recommended_role_has_the_pool_privileges() -> None:
    assert set(RECOMMENDED_ROLE) == set(MINIMAL)
    assert set(POOL_PRIVILEGES) <= set(RECOMMENDED_ROLE)
    assert role_command().startswith('pveum role add OmniProvider --privs "VM.Allocate ')
    assert "Pool.Allocate Pool.Audit" in role_command()


def test_grant_commands_name_what_is_missing_and_where() -> None:
    granted = {p: frozenset(MINIMAL) - set(POOL_PRIVILEGES) for p in audit_paths(reqs())}
    rows = audit(reqs(), granted)
    commands = grant_commands(rows, token="omni@pve!provider", user=None)
    assert commands == [
        'pveum role add OmniProvider --privs "Pool.Allocate Pool.Audit" 2>/dev/null || '
        'pveum role modify OmniProvider --append 1 --privs "Pool.Allocate Pool.Audit"',
        "pveum acl modify /pool/talos --tokens 'omni@pve!provider' --roles OmniProvider",
        "pveum acl modify /pool --tokens 'omni@pve!provider' --roles OmniProvider",
    ]
    assert (
        grant_commands(
            audit(reqs(), {p: frozenset(MINIMAL) for p in granted}), token=None, user="x"
        )
        == []
    )
