"""The provider's providerdata JSON schema, and Omni's way of reporting violations.

`SCHEMA` matches the `schema.json` the Proxmox provider publishes to Omni at its latest
release (v0.3.0): the same properties, types, minimums, enums and required keys, and, like
upstream, no `additionalProperties: false` (unknown keys pass). `SINCE` records the release that
introduced each key (provider.md §1, §4).

`schema_issues(data)` validates a decoded providerdata value and words each problem the way
Omni (>= v1.7.0, `internal/pkg/jsonschema`) prints it, e.g.
`config value ".memory": must be at least 2048` (omni.md §1.3). A value is first checked by the
schema compiled to Python once per process (fastjsonschema: microseconds a value, and no
jsonschema import, 100+ ms, when everything is valid); only a value it refuses goes to
`jsonschema`, which lists every violation with the keyword Omni's wording needs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

DISK_CACHE = ["none", "writethrough", "writeback", "directsync", "unsafe"]
DISK_AIO = ["native", "threads", "io_uring"]


def _int(minimum: int, description: str) -> dict[str, Any]:
    return {"type": "integer", "minimum": minimum, "description": description}


def _str(description: str, enum: list[str] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": "string", "description": description}
    if enum is not None:
        spec["enum"] = enum
    return spec


def _bool(description: str) -> dict[str, Any]:
    return {"type": "boolean", "description": description}


SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "cores": _int(1, "Number of CPU cores per socket"),
        "sockets": _int(1, "Number of CPU sockets"),
        "storage_selector": _str("CEL expression for selecting VM disk image storage"),
        "node": _str("Run the VM on a specific Proxmox node"),
        "placement_strategy": _str(
            "Node selection strategy, ignored when 'node' is set",
            ["spread", "fewer-vms", "round-robin", "binpack"],
        ),
        "memory": _int(2048, "Memory in MB"),
        "disk_size": _int(5, "Disk size in GB"),
        "network_bridge": _str("Network bridge to attach to the VM, ex. vmbr0"),
        "vlan": _int(0, "VLAN tag for primary NIC, set to 0 for none"),
        "network_firewall": _bool("Enable the Proxmox firewall on the primary NIC"),
        "disk_ssd": _bool("Enable SSD emulation"),
        "disk_discard": _bool("Enable TRIM/discard"),
        "disk_iothread": _bool("Enable a dedicated IO thread"),
        "disk_cache": _str("Disk cache mode", DISK_CACHE),
        "disk_aio": _str("Async IO mode", DISK_AIO),
        "cpu_type": _str("CPU type, e.g. host or x86-64-v2-AES (default)"),
        "machine_type": _str("Machine type", ["q35", "i440fx"]),
        "bios": _str("VM firmware (ovmf adds an EFI disk)", ["seabios", "ovmf"]),
        "vga": _str("Proxmox display adapter, e.g. std or none"),
        "numa": _bool("Enable NUMA"),
        "hugepages": _str("Hugepages size", ["2MB", "1GB"]),
        "balloon": _bool("Enable memory ballooning"),
        "pool": _str("Proxmox resource pool"),
        "tags": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "description": "Proxmox VM tags",
        },
        "ha": {
            "type": "object",
            "description": "Register the VM as a Proxmox HA resource (Proxmox VE 9+)",
            "properties": {
                "state": _str("HA target state", ["started", "stopped", "disabled", "ignored"]),
                "comment": {"type": "string", "maxLength": 4096, "description": "Comment"},
                "max_restart": _int(0, "Max restart attempts on the current node"),
                "max_relocate": _int(0, "Max relocate attempts"),
                "failback": _bool("Return the VM to its preferred node"),
                "rules": {
                    "type": "array",
                    "description": "Proxmox HA rule names",
                    "items": {
                        "type": "string",
                        "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]*$",
                        "maxLength": 64,
                    },
                },
                "node_affinity_nodes": {
                    "type": "array",
                    "description": "Node names of the node-affinity rule",
                    "items": {
                        "type": "string",
                        "pattern": "^[A-Za-z0-9][A-Za-z0-9-]*$",
                        "maxLength": 63,
                    },
                },
                "node_affinity_strict": _bool("Strict node affinity"),
                "resource_affinity": _str("Resource affinity", ["negative", "positive"]),
            },
        },
        "additional_nics": {
            "type": "array",
            "description": "Additional network interfaces",
            "items": {
                "type": "object",
                "properties": {
                    "bridge": _str("Network bridge (e.g., vmbr1)"),
                    "vlan": _int(0, "Optional VLAN tag"),
                    "firewall": _bool("Enable the Proxmox firewall for this NIC"),
                },
                "required": ["bridge"],
            },
        },
        "usb_devices": {
            "type": "array",
            "maxItems": 15,
            "description": "USB devices to pass through (Proxmox resource mappings)",
            "items": {
                "type": "object",
                "properties": {
                    "mapping": {"type": "string", "minLength": 1, "description": "USB mapping"},
                    "usb3": _bool("Attach to the USB 3 controller"),
                },
                "required": ["mapping"],
            },
        },
        "pci_devices": {
            "type": "array",
            "description": "PCI devices to pass through (Proxmox resource mappings)",
            "items": {
                "type": "object",
                "properties": {
                    "mapping": _str("Proxmox resource mapping name"),
                    "mdev": _str("Mediated device name"),
                    "pcie": _bool("Use PCIe mode"),
                    "primary_gpu": _bool("Primary GPU (x-vga=1)"),
                    "rombar": _bool("Enable ROM BAR"),
                },
                "required": ["mapping"],
            },
        },
        "additional_disks": {
            "type": "array",
            "description": "Additional disks (scsi1, scsi2, ...)",
            "items": {
                "type": "object",
                "properties": {
                    "disk_size": _int(1, "Disk size in GB"),
                    "storage_selector": _str("CEL expression selecting the storage"),
                    "disk_ssd": _bool("Enable SSD emulation"),
                    "disk_discard": _bool("Enable TRIM/discard"),
                    "disk_iothread": _bool("Enable a dedicated IO thread"),
                    "disk_cache": _str("Disk cache mode", DISK_CACHE),
                    "disk_aio": _str("Async IO mode", DISK_AIO),
                },
                "required": ["disk_size", "storage_selector"],
            },
        },
    },
    "required": ["cores", "memory", "disk_size", "storage_selector"],
}

# The provider release that introduced each key ("base" = before v0.1.0, commit 0d9fd58).
SINCE: dict[str, str] = {
    "network_firewall": "v0.1.0",
    "tags": "v0.1.0",
    "pool": "v0.1.0",
    "pci_devices[].mdev": "v0.1.0",
    "placement_strategy": "v0.2.0",
    "ha": "v0.2.0",
    "bios": "v0.2.0",
    "vga": "v0.2.0",
    "usb_devices": "v0.3.0",
}
for _key in SCHEMA["properties"]["ha"]["properties"]:
    SINCE[f"ha.{_key}"] = "v0.2.0"
for _key in SCHEMA["properties"]["usb_devices"]["items"]["properties"]:
    SINCE[f"usb_devices[].{_key}"] = "v0.3.0"


PathPart = str | int


@dataclass(frozen=True)
class SchemaIssue:
    """One schema violation: where (keys and list indexes) and Omni's wording of it."""

    path: tuple[PathPart, ...]
    message: str  # e.g. 'config value ".memory": must be at least 2048'
    kind: str  # jsonschema keyword: required, type, minimum, enum, ...

    @property
    def dotted(self) -> str:
        return "." + ".".join(str(p) for p in self.path)


@cache
def _compiled() -> Callable[[Any], Any]:
    """SCHEMA as a Python function that raises on the first violation (fastjsonschema)."""
    # imported here, not at the top: the model (FIELDS, SCHEMA) is needed by commands that
    # never validate, and compiling costs ~15 ms
    import fastjsonschema

    return fastjsonschema.compile(SCHEMA, use_default=False)


def is_valid(data: Any) -> bool:
    """Whether `data` passes SCHEMA (the fast check; `schema_issues` says why not)."""
    try:
        _compiled()({} if data is None else data)
    except Exception:  # JsonSchemaException, or data it cannot check: jsonschema decides
        return False
    return True


@cache
def _validator() -> Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(SCHEMA)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, list | tuple):
        return "array"
    return "string"


def _number(value: Any) -> str:
    """Go's %v of a float64: 2048 not 2048.0."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def field_message(path: tuple[PathPart, ...], text: str) -> str:
    return f'config value "{"." + ".".join(str(p) for p in path)}": {text}'


def schema_issues(data: Any) -> list[SchemaIssue]:
    """Every violation of SCHEMA by `data` (plain JSON-like values), worded like Omni."""
    if data is None:  # Omni validates an empty providerdata as {}
        data = {}
    if is_valid(data):
        return []
    issues: list[SchemaIssue] = []
    seen: set[tuple[tuple[PathPart, ...], str]] = set()
    for error in _validator().iter_errors(data):
        path = tuple(error.absolute_path)
        keyword = str(error.validator)
        want: Any = error.validator_value
        if keyword == "required":
            instance = error.instance if isinstance(error.instance, Mapping) else {}
            for missing in want:
                if missing in instance or ((*path, missing), "required") in seen:
                    continue
                seen.add(((*path, missing), "required"))
                issues.append(
                    SchemaIssue(
                        (*path, missing),
                        field_message((*path, missing), "is required"),
                        "required",
                    )
                )
            continue
        if keyword == "type":
            got = _json_type(error.instance)
            wanted = " or ".join(want) if isinstance(want, list) else str(want)
            text = (
                "is required but was not set"
                if got == "null"
                else f"must be of type {wanted}, but got {got}"
            )
        elif keyword == "minimum":
            text = f"must be at least {_number(want)}"
        elif keyword == "maximum":
            text = f"must be at most {_number(want)}"
        elif keyword == "enum":
            text = "must be one of " + ", ".join(f"'{v}'" for v in want)
        elif keyword == "minLength":
            text = "must not be empty" if want == 1 else f"must have at least {want} characters"
        elif keyword == "maxLength":
            text = f"must have at most {int(want)} characters"
        elif keyword == "maxItems":
            text = f"must have at most {int(want)} items"
        elif keyword == "pattern":
            text = f"does not match the expected pattern '{want}'"
        else:
            text = error.message
        issues.append(SchemaIssue(path, field_message(path, text), keyword))
    return sorted(issues, key=_order)


def _order(issue: SchemaIssue) -> tuple[int, int, str]:
    """Missing keys first (in the schema's `required` order, as Omni lists them), then the
    other problems in the order of the schema's properties."""
    if issue.kind == "required":
        required = list(SCHEMA["required"])
        leaf = str(issue.path[-1])
        return 0, required.index(leaf) if leaf in required else len(required), issue.dotted
    order = list(SCHEMA["properties"])
    head = issue.path[0] if issue.path else ""
    return 1, order.index(head) if head in order else len(order), issue.dotted


def omni_error_text(issues: list[SchemaIssue]) -> str:
    """The block Omni prints for a rejected providerdata: one `- ` line per problem, where the
    missing keys of one object share a line joined by `; ` (as Omni's formatRequiredError)."""
    lines: list[str] = []
    parents: dict[tuple[PathPart, ...], int] = {}
    for issue in issues:
        if issue.kind == "required":
            parent = issue.path[:-1]
            if parent in parents:
                lines[parents[parent]] += f"; {issue.message}"
                continue
            parents[parent] = len(lines)
        lines.append(issue.message)
    return "\n".join(f"- {line}" for line in lines)
