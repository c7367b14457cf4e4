"""The Proxmox privileges the provider needs (proxmox.md §6.1), and the audit of granted rights.

`requirements(...)` lists (privilege, path, what breaks without it) for the concrete nodes,
storages, bridges and PCI mappings of a project; `audit(...)` checks them against the result of
`GET /access/permissions?path=<p>` for each path (a key's presence means granted; the value is
only the propagate flag), including the one `or` rule: download-url needs Sys.AccessNetwork on
the node (PVE >= 8.1) or Sys.Audit + Sys.Modify on `/`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

VM_PRIVILEGES: tuple[tuple[str, str], ...] = (
    ("VM.Allocate", "creating (and deleting) the VM: syncVM fails"),
    ("VM.Audit", "reading the VM back: syncVM/startVM fail, VMs hidden from lists"),
    ("VM.Config.CPU", "setting cores/sockets/cpu: VM creation is refused"),
    ("VM.Config.Memory", "setting memory/balloon: VM creation is refused"),
    ("VM.Config.Disk", "setting the boot order for the cloud-init ISO: startVM fails"),
    ("VM.Config.CDROM", "attaching the Talos and cloud-init ISOs: VM creation/startVM fail"),
    ("VM.Config.Network", "adding net0: VM creation is refused"),
    ("VM.Config.HWType", "setting smbios1/scsihw/machine: VM creation is refused"),
    ("VM.Config.Options", "setting name/onboot/agent/tags: VM creation is refused"),
    ("VM.PowerMgmt", "starting and stopping the VM: startVM and deprovision fail"),
)


# The privileges of the recommended `OmniProvider` role (proxmox.md §6.1), plus the pool
# privileges from provider v0.1.0 on: every VM goes into a pool (`data.pool` or the machine
# request set id), which the provider lists (Pool.Audit: PVE 9 lists only audited pools) and
# creates (Pool.Allocate on /pool/<id>, also needed to create a VM with `pool=`)
# (placement.md §6; pve-access-control).
ROLE_NAME = "OmniProvider"
BASE_ROLE = (
    "VM.Allocate",
    "VM.Audit",
    "VM.Config.CPU",
    "VM.Config.Memory",
    "VM.Config.Disk",
    "VM.Config.CDROM",
    "VM.Config.Network",
    "VM.Config.HWType",
    "VM.Config.Options",
    "VM.PowerMgmt",
    "Datastore.Allocate",
    "Datastore.AllocateSpace",
    "Datastore.AllocateTemplate",
    "Datastore.Audit",
    "Sys.Audit",
    "Sys.AccessNetwork",
    "SDN.Use",
    "Mapping.Use",
)
POOL_PRIVILEGES = ("Pool.Allocate", "Pool.Audit")
RECOMMENDED_ROLE = BASE_ROLE + POOL_PRIVILEGES


def role_command(privileges: Iterable[str] = RECOMMENDED_ROLE) -> str:
    """`pveum role add OmniProvider --privs "..."` (the recommended role)."""
    return f'pveum role add {ROLE_NAME} --privs "{" ".join(privileges)}"'


@dataclass(frozen=True)
class Requirement:
    privilege: str
    path: str
    breaks: str
    # Other ways to satisfy it: each group is a set of (privilege, path) that together also do.
    alternatives: tuple[tuple[tuple[str, str], ...], ...] = ()


@dataclass(frozen=True)
class AuditRow:
    privilege: str
    path: str
    granted: bool
    breaks: str
    via: str | None = None  # how an alternative satisfied it

    def to_json(self) -> dict[str, Any]:
        return {
            "privilege": self.privilege,
            "path": self.path,
            "granted": self.granted,
            "breaks": self.breaks,
            "via": self.via,
        }


def requirements(
    *,
    nodes: Iterable[str],
    vm_path: str,
    disk_storages: Iterable[str],
    iso_storages: Iterable[str],
    bridges: Iterable[str],
    pci_mappings: Iterable[str] = (),
    pve_version: str | None = None,
    pools: Iterable[str] | None = None,
) -> list[Requirement]:
    """Every (privilege, path) the provider needs for these concrete objects.

    `pools`: the pools the provider will use (provider v0.1.0+; None before it). An empty
    name stands for pools not known yet (machine request set ids): checked on `/pool`."""
    reqs: list[Requirement] = []
    for node in dict.fromkeys(nodes):
        path = f"/nodes/{node}"
        reqs.append(
            Requirement(
                "Sys.Audit",
                path,
                "node stats: without them every node ranks last and placement follows the "
                "unstable API order; task status of the ISO download cannot be read",
            )
        )
        if _has_access_network(pve_version):
            reqs.append(
                Requirement(
                    "Sys.AccessNetwork",
                    path,
                    "downloading the Talos ISO (download-url): uploadISO fails",
                    alternatives=((("Sys.Audit", "/"), ("Sys.Modify", "/")),),
                )
            )
    if not _has_access_network(pve_version):
        for privilege in ("Sys.Audit", "Sys.Modify"):
            reqs.append(
                Requirement(privilege, "/", "downloading the Talos ISO (PVE 8.0): uploadISO fails")
            )
    for privilege, breaks in VM_PRIVILEGES:
        reqs.append(Requirement(privilege, vm_path, breaks))
    for storage in dict.fromkeys(disk_storages):
        path = f"/storage/{storage}"
        reqs.append(
            Requirement("Datastore.AllocateSpace", path, "allocating VM disks: syncVM fails")
        )
        reqs.append(
            Requirement(
                "Datastore.Audit",
                path,
                "seeing the storage: it is missing from GET /nodes/{node}/storage, so the "
                "selector never matches it",
                alternatives=((("Datastore.AllocateSpace", path),),),
            )
        )
    for storage in dict.fromkeys(iso_storages):
        path = f"/storage/{storage}"
        reqs.append(
            Requirement(
                "Datastore.AllocateTemplate",
                path,
                "downloading the Talos ISO, uploading the cloud-init ISO: uploadISO/startVM fail",
            )
        )
        reqs.append(
            Requirement(
                "Datastore.Allocate",
                path,
                "deleting the per-VM cloud-init ISO on deprovision",
            )
        )
        reqs.append(
            Requirement(
                "Datastore.Audit",
                path,
                "finding the ISO storage and checking the ISO exists: uploadISO fails",
                alternatives=(
                    (("Datastore.AllocateSpace", path),),
                    (("Datastore.Allocate", path),),
                ),
            )
        )
    for bridge in dict.fromkeys(bridges):
        reqs.append(
            Requirement(
                "SDN.Use",
                f"/sdn/zones/localnetwork/{bridge}",
                f"attaching NICs to {bridge}: VM creation is refused",
            )
        )
    for pool in dict.fromkeys(pools or ()):
        path = f"/pool/{pool}" if pool else "/pool"
        reqs.append(
            Requirement(
                "Pool.Allocate",
                path,
                "creating the pool and putting the VM into it (provider v0.1.0+): VM creation "
                "fails",
                alternatives=((("Permissions.Modify", path),),),
            )
        )
        reqs.append(
            Requirement(
                "Pool.Audit",
                path,
                "seeing the pool in GET /pools (PVE 9 lists only audited pools): the provider "
                "takes it for missing and fails creating it again, or refuses a named pool",
            )
        )
    for mapping in dict.fromkeys(pci_mappings):
        reqs.append(
            Requirement(
                "Mapping.Use",
                f"/mapping/pci/{mapping}",
                f"passing through PCI mapping {mapping}: VM creation is refused",
            )
        )
    return reqs


def _has_access_network(pve_version: str | None) -> bool:
    """Sys.AccessNetwork exists from PVE 8.1 on (unknown version: assume a current PVE)."""
    if not pve_version:
        return True
    parts = pve_version.split(".")
    try:
        return (int(parts[0]), int(parts[1]) if len(parts) > 1 else 0) >= (8, 1)
    except ValueError:
        return True


def granted_set(answer: Any) -> frozenset[str]:
    """The privileges of one `GET /access/permissions?path=` answer (keys present = granted).

    PVE answers `{"<path>": {"Priv": 0|1}}`; other servers may list every ancestor path, so
    all entries are merged.
    """
    privileges: set[str] = set()
    if isinstance(answer, Mapping):
        for value in answer.values():
            if isinstance(value, Mapping):
                privileges.update(str(k) for k in value)
    return frozenset(privileges)


def audit(reqs: Iterable[Requirement], granted: Mapping[str, frozenset[str]]) -> list[AuditRow]:
    """One row per requirement: granted directly, through an alternative, or missing."""
    rows: list[AuditRow] = []
    for req in reqs:
        held = req.privilege in granted.get(req.path, frozenset())
        via = None
        if not held:
            for group in req.alternatives:
                if all(p in granted.get(path, frozenset()) for p, path in group):
                    held = True
                    via = " + ".join(f"{p} on {path}" for p, path in group)
                    break
        rows.append(AuditRow(req.privilege, req.path, held, req.breaks, via))
    return rows


def audit_paths(reqs: Iterable[Requirement]) -> list[str]:
    paths: dict[str, None] = {}
    for req in reqs:
        paths[req.path] = None
        for group in req.alternatives:
            for _, path in group:
                paths[path] = None
    return list(paths)


def _grant_path(path: str) -> str:
    """Where to grant: VM rights must reach /vms/<new id>, so /vms (not the id of today)."""
    return "/vms" if path.startswith("/vms/") else path


def grant_commands(rows: Iterable[AuditRow], *, token: str | None, user: str | None) -> list[str]:
    """`pveum` commands that grant what is missing: the privileges added to the role (created
    when it does not exist yet, appended to when it does), then the role on every path that
    lacks one (propagating, as `pveum acl modify` does by default).
    """
    missing = [r for r in rows if not r.granted]
    if not missing:
        return []
    privs = " ".join(dict.fromkeys(r.privilege for r in missing))
    who = f"--tokens '{token}'" if token else f"--users '{user or 'omni@pve'}'"
    # `role add` refuses a role that exists and `role modify` one that does not: one line that
    # works either way when pasted into a node's shell.
    commands = [
        f'pveum role add {ROLE_NAME} --privs "{privs}" 2>/dev/null || '
        f'pveum role modify {ROLE_NAME} --append 1 --privs "{privs}"'
    ]
    for path in dict.fromkeys(_grant_path(r.path) for r in missing):
        commands.append(f"pveum acl modify {path} {who} --roles {ROLE_NAME}")
    return commands
