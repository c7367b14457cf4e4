"""Writing a MachineClass file people can read: the COSI resource with a commented providerdata.

Also the pieces `machineclass create` builds it from: the providerdata found in a `--from`
file (a plain mapping, a MachineClass, or a legacy Kubernetes-style class) and the parsing of
the compact `--additional-disk`, `--nic` and `--pci` option values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from omni_scale.core.machineclass.model import MACHINE_CLASS_TYPE, NAMESPACE
from omni_scale.core.machineclass.providerdata import ProviderData, render_providerdata
from omni_scale.errors import InputError

UNITS = {"memory": "MiB", "disk_size": "GiB", "cores": "per socket"}

# Keys of the provider README's Kubernetes-style example and what the provider calls them.
LEGACY_RENAMES = {
    "cpu": "cores",
    "cpus": "cores",
    "diskSize": "disk_size",
    "storageSelector": "storage_selector",
    "networkBridge": "network_bridge",
    "cpuType": "cpu_type",
    "machineType": "machine_type",
}


def _commented(providerdata: str) -> str:
    """Units as trailing comments on the top-level size keys."""
    lines = []
    for line in providerdata.splitlines():
        key = line.split(":", 1)[0]
        if key in UNITS and not line.startswith(" ") and "#" not in line:
            line = f"{line}  # {UNITS[key]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def render_machine_class(class_id: str, providerid: str, data: ProviderData) -> str:
    """The YAML file for `omnictl apply -f`, with comments that explain it."""
    vcpus = data.cores * (data.sockets or 1)
    body = _commented(render_providerdata(data))
    indented = "".join(f"      {line}\n" if line else "\n" for line in body.splitlines())
    disks = f", {len(data.additional_disks)} more disk(s)" if data.additional_disks else ""
    return (
        f"# MachineClass {class_id}: {vcpus} vCPU, {data.memory} MiB memory, "
        f"{data.disk_size} GiB disk{disks}.\n"
        "# Written by `omni-scale machineclass create`; edit freely, then run\n"
        f"# `omni-scale lint` and `omnictl apply -f machine-classes/{class_id}.yaml`.\n"
        "# providerdata is a YAML string read by the Proxmox provider "
        f"(its --id is '{providerid}').\n"
        "metadata:\n"
        f"  namespace: {NAMESPACE}\n"
        f"  type: {MACHINE_CLASS_TYPE}\n"
        f"  id: {class_id}\n"
        "spec:\n"
        "  autoprovision:\n"
        f"    providerid: {providerid}\n"
        "    providerdata: |\n"
        f"{indented}"
    )


def providerdata_from_document(data: Any, *, path: str) -> dict[str, Any]:
    """The providerdata mapping held by a `--from` document (plain values).

    Accepts a providerdata mapping, a MachineClass (its providerdata string) or a legacy
    Kubernetes-style class (its spec.config, with the README's key names renamed)."""
    from omni_scale.core.machineclass.providerdata import load_providerdata_yaml, plain

    if not isinstance(data, Mapping):
        raise InputError(
            "--from file must hold a YAML mapping of providerdata keys",
            path=path,
            hint="write 'cores: 2', 'memory: 4096', ... one per line",
        )
    spec = data.get("spec")
    if (
        isinstance(spec, Mapping)
        and "apiVersion" in data
        and isinstance(spec.get("config"), Mapping)
    ):
        return {LEGACY_RENAMES.get(str(k), str(k)): v for k, v in plain(spec["config"]).items()}
    auto = spec.get("autoprovision") if isinstance(spec, Mapping) else None
    if isinstance(auto, Mapping) and isinstance(auto.get("providerdata"), str):
        node = load_providerdata_yaml(auto["providerdata"], path=path)
        if not isinstance(node, Mapping):
            raise InputError(
                "the MachineClass's providerdata is not a mapping",
                path=path,
                hint="fix the class first (omni-scale lint)",
            )
        return dict(plain(node))
    class_keys = sorted({"metadata", "spec", "apiVersion", "kind"} & {str(k) for k in data})
    if class_keys:
        # no providerdata key has these names: a MachineClass whose shape is broken, which
        # would otherwise be copied into the new class as unknown providerdata keys
        raise InputError(
            f"--from file has {', '.join(class_keys)} but no spec.autoprovision.providerdata "
            "text (a MachineClass) or spec.config mapping (a legacy class)",
            path=path,
            hint="fix the class first (omni-scale lint FILE), or keep only providerdata keys",
        )
    values = dict(plain(data))
    from omni_scale.core.machineclass.providerdata_schema import SCHEMA

    known = set(SCHEMA["properties"])
    if values and not known & set(values):
        # not one key the provider knows: some other file, not providerdata
        raise InputError(
            f"--from file has no providerdata key (found {', '.join(sorted(values)[:5])})",
            path=path,
            hint="point at a MachineClass, a legacy class or providerdata (cores: 2, ...)",
        )
    return values


def _int(text: str, what: str, option: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InputError(
            f"{option} {what} '{text}' is not a whole number", hint=f"e.g. {option} 100:..."
        ) from None


def parse_disk_option(value: str) -> dict[str, Any]:
    """`--additional-disk SIZE:SELECTOR`, e.g. `100:name == "data"`."""
    size, sep, selector = value.partition(":")
    if not sep or not selector.strip():
        raise InputError(
            f"--additional-disk '{value}' is not SIZE:SELECTOR",
            hint="e.g. --additional-disk '100:name == \"local-lvm\"' (size in GiB)",
        )
    return {
        "disk_size": _int(size.strip(), "size", "--additional-disk"),
        "storage_selector": selector.strip(),
    }


def parse_nic_option(value: str) -> dict[str, Any]:
    """`--nic BRIDGE[:VLAN]`, e.g. `vmbr1:20`."""
    bridge, sep, vlan = value.partition(":")
    if not bridge.strip():
        raise InputError(f"--nic '{value}' has no bridge", hint="e.g. --nic vmbr1 or vmbr1:20")
    nic: dict[str, Any] = {"bridge": bridge.strip()}
    if sep:
        nic["vlan"] = _int(vlan.strip(), "VLAN", "--nic")
    return nic


def parse_pci_option(value: str) -> dict[str, Any]:
    """`--pci MAPPING[:pcie][:primary_gpu]`, e.g. `nvidia-gpu:pcie`."""
    mapping, *flags = value.split(":")
    if not mapping.strip():
        raise InputError(f"--pci '{value}' has no mapping", hint="e.g. --pci nvidia-gpu:pcie")
    device: dict[str, Any] = {"mapping": mapping.strip()}
    for flag in flags:
        name = flag.strip().replace("-", "_")
        if name not in ("pcie", "primary_gpu"):
            raise InputError(
                f"--pci flag '{flag}' is unknown",
                hint="flags after the mapping: pcie, primary_gpu (e.g. --pci gpu:pcie:primary_gpu)",
            )
        device[name] = True
    return device
