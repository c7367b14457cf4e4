"""Checks the provider does not make but Proxmox will: ISO storage, bridges, VLANs, PCI mappings,
node size and root-only options."""

from __future__ import annotations

from omni_scale.core.machineclass.providerdata import ProviderData
from omni_scale.core.placement.model import MIB, PlanProblem
from omni_scale.core.proxmox.snapshot import NodeInfo, Snapshot

# Storage types `download-url` can write an ISO to (file-based plugins).
FILE_STORAGE_TYPES = frozenset({"dir", "nfs", "cifs", "cephfs", "glusterfs", "btrfs", "esxi"})


def iso_storage_problems(node: NodeInfo) -> list[PlanProblem]:
    """`Node.StorageISO`: the first enabled storage with `iso` content, `active` not checked."""
    isos = [s for s in node.storages or () if s.enabled and "iso" in s.contents]
    if not isos:
        return [
            PlanProblem(
                "error",
                f"no enabled storage with `iso` content on {node.node}: the provider fails at "
                "uploadISO (failed to get storage)",
                "enable a file-based storage with ISO content on that node",
                "iso_storage",
            )
        ]
    out: list[PlanProblem] = []
    first = isos[0]
    if len(isos) > 1:
        out.append(
            PlanProblem(
                "warning",
                f"{len(isos)} ISO storages on {node.node} ({', '.join(s.storage for s in isos)}): "
                "the provider takes the first in API order for the download and again when "
                "creating the VM; if the order changes in between the VM cannot find its ISO",
                "leave exactly one ISO storage enabled and visible to the provider's token",
            )
        )
    if not first.active:
        out.append(
            PlanProblem(
                "error",
                f"ISO storage {first.storage} on {node.node} is not active: the Talos ISO "
                "download fails",
                "fix the storage (pvesm status) or disable it so another ISO storage is used",
                "iso",
            )
        )
    if first.type not in FILE_STORAGE_TYPES:
        out.append(
            PlanProblem(
                "error",
                f"ISO storage {first.storage} ({first.type}) is not file-based: download-url "
                "cannot write the Talos ISO there",
                "use a dir/nfs/cifs/cephfs storage for ISO content",
                "iso",
            )
        )
    return out


def _vlan_in(vids: str, vlan: int) -> bool:
    for part in vids.replace(",", " ").split():
        low, _, high = part.partition("-")
        try:
            if int(low) <= vlan <= int(high or low):
                return True
        except ValueError:
            return True  # unreadable: do not claim it is missing
    return False


def bridge_problems(node: NodeInfo, nic: str, bridge: str, vlan: int | None) -> list[PlanProblem]:
    if node.bridges is None:
        return []
    found = next((b for b in node.bridges if b.iface == bridge), None)
    if found is None:
        known = ", ".join(b.iface for b in node.bridges) or "none visible"
        severity = "error" if node.bridges else "warning"
        return [
            PlanProblem(
                severity,
                f"{nic}: bridge {bridge} not found on {node.node} (bridges: {known}); it may "
                "only be hidden from the token by SDN permissions",
                f"create {bridge} on {node.node}, fix network_bridge, or grant SDN.Audit on "
                f"/sdn/zones/localnetwork/{bridge} and take a new snapshot",
            )
        ]
    out: list[PlanProblem] = []
    if vlan is not None and vlan > 0:
        if not found.vlan_aware:
            out.append(
                PlanProblem(
                    "warning",
                    f"{nic}: VLAN {vlan} on {bridge}, which is not VLAN aware: PVE creates a "
                    f"{bridge}v{vlan} bridge on the bridge's port instead",
                    f"make {bridge} VLAN aware if that is not what you want",
                )
            )
        elif found.vlan_ids and not _vlan_in(found.vlan_ids, vlan):
            out.append(
                PlanProblem(
                    "error",
                    f"{nic}: VLAN {vlan} is not in {bridge}'s bridge-vids ({found.vlan_ids}) "
                    f"on {node.node}",
                    f"add {vlan} to bridge-vids of {bridge} or fix `vlan`",
                )
            )
    return out


def network_problems(node: NodeInfo, data: ProviderData) -> list[PlanProblem]:
    out = bridge_problems(node, "net0", data.network_bridge or "vmbr0", data.vlan)
    for i, nic in enumerate(data.additional_nics, start=1):
        out += bridge_problems(node, f"net{i}", nic.bridge, nic.vlan)
    return out


def pci_problems(snapshot: Snapshot, node: NodeInfo, data: ProviderData) -> list[PlanProblem]:
    out: list[PlanProblem] = []
    for i, device in enumerate(data.pci_devices):
        if device.pcie and (data.machine_type or "i440fx") != "q35":
            out.append(
                PlanProblem(
                    "error",
                    f"hostpci{i}: pcie needs machine_type: q35",
                    "set machine_type: q35 or drop pcie",
                )
            )
        if snapshot.pci_mappings is None:
            out.append(
                PlanProblem(
                    "warning",
                    f"hostpci{i}: PCI mappings could not be read (PVE 7, or no Mapping.Audit): "
                    f"mapping {device.mapping} not checked",
                    "grant Mapping.Audit on /mapping/pci and take a new snapshot",
                )
            )
            continue
        mapping = snapshot.pci_mapping(device.mapping)
        if mapping is None:
            out.append(
                PlanProblem(
                    "error",
                    f"hostpci{i}: PCI mapping {device.mapping} does not exist",
                    "create it under Datacenter > Resource Mappings, or fix `mapping`",
                )
            )
        elif node.node not in mapping.nodes:
            on = ", ".join(mapping.nodes) or "no node"
            out.append(
                PlanProblem(
                    "error",
                    f"hostpci{i}: PCI mapping {device.mapping} has no device on {node.node} "
                    f'(only {on}): the VM fails to start with "PCI device mapping not found '
                    f"for '{device.mapping}'\"",
                    f"pin `node:` to one of {on}, or add {node.node} to the mapping",
                )
            )
    return out


def size_problems(node: NodeInfo, data: ProviderData) -> list[PlanProblem]:
    out: list[PlanProblem] = []
    if node.maxmem and data.memory * MIB > node.maxmem:
        out.append(
            PlanProblem(
                "error",
                f"memory {data.memory} MiB is more than {node.node} has "
                f"({node.maxmem // MIB} MiB): the VM cannot start",
                "lower memory or pin a larger node",
            )
        )
    vcpus = data.cores * (data.sockets or 1)
    if node.maxcpu and vcpus > node.maxcpu:
        out.append(
            PlanProblem(
                "error",
                f"{vcpus} vCPUs (cores x sockets) are more than {node.node} has ({node.maxcpu}): "
                f'the VM fails to start ("MAX {node.maxcpu} vcpus allowed per VM on this node")',
                "lower cores/sockets or pin a larger node",
            )
        )
    return out


def hugepages_problem(data: ProviderData, root_login: bool | None) -> list[PlanProblem]:
    if not data.hugepages or root_login is None or root_login:
        return []
    return [
        PlanProblem(
            "error",
            "hugepages needs the provider to log in as root@pam itself (a token, even one of "
            "root@pam, is not root): 500 only root can set 'hugepages' config",
            "drop hugepages, or run the provider with username root / realm pam",
        )
    ]
