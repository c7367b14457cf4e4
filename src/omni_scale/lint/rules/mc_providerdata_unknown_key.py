"""mc-providerdata-unknown-key: keys the provider does not know are silently ignored.

The schema allows extra keys and the provider decodes non-strictly, so a typo (`diskSize`,
`cpu`, `storageSelector`, the names of the provider's old README) passes Omni and does nothing.

Failing::

    providerdata: |
      cpu: 4
      memory: 8192
      diskSize: 40
      storageSelector: name == "local-lvm"

Passing::

    providerdata: |
      cores: 4
      memory: 8192
      disk_size: 40
      storage_selector: name == "local-lvm"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from omni_scale.core.machineclass.providerdata import FIELDS
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import (
    ProviderDataInfo,
    camel_to_snake,
    is_proxmox_class,
    providerdata_mapping,
)

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-providerdata-unknown-key"
SEVERITY = Severity.WARNING
KINDS = frozenset({Kind.MACHINE_CLASS})

# Names people use for the provider's keys (the old README, other providers, habit).
ALIASES = {
    "cpu": "cores",
    "cpus": "cores",
    "vcpus": "cores",
    "ram": "memory",
    "mem": "memory",
    "memory_mb": "memory",
    "disk": "disk_size",
    "disksize": "disk_size",
    "disk_gb": "disk_size",
    "storage": "storage_selector",
    "selector": "storage_selector",
    "bridge": "network_bridge",
    "network": "network_bridge",
    "vlan_id": "vlan",
    "vlan_tag": "vlan",
    "socket": "sockets",
    "cpu_sockets": "sockets",
    "cpu_cores": "cores",
    "firewall": "network_firewall",
    "disks": "additional_disks",
    "nics": "additional_nics",
    "gpus": "pci_devices",
    "pci": "pci_devices",
    "usb": "usb_devices",
    "machine": "machine_type",
    "cputype": "cpu_type",
    "target_node": "node",
}
SKIP = frozenset({"grpctunnel"})  # mc-grpctunnel-in-providerdata


def suggestion(key: str, known: list[str]) -> str | None:
    """The known key `key` most likely meant, or None."""
    snake = camel_to_snake(key)
    for candidate in (key, key.lower(), snake):
        if candidate in known:
            return candidate
        if candidate in ALIASES and ALIASES[candidate] in known:
            return ALIASES[candidate]
    close = difflib.get_close_matches(snake, known, n=1, cutoff=0.75)
    return close[0] if close else None


@cache
def _children(prefix: str) -> list[str]:
    return [
        name[len(prefix) :]
        for name in FIELDS
        if name.startswith(prefix)
        and "." not in name[len(prefix) :]
        and "[" not in name[len(prefix) :]
    ]


def _walk(
    doc: Document,
    info: ProviderDataInfo,
    node: Mapping[str, Any],
    prefix: str,
    path: tuple[str | int, ...],
) -> Iterator[Problem]:
    known = _children(prefix)
    for key, value in node.items():
        name = str(key)
        if name in SKIP and not prefix:
            continue
        if name not in known:
            guess = suggestion(name, known)
            where = f"{prefix}{name}" if prefix else name
            line, column = info.position((*path, key))
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f"providerdata key '{where}' is unknown to the provider and silently ignored",
                hint=f"did you mean '{guess}'?"
                if guess
                else "check the spelling against the provider's fields (docs/machineclasses.md)",
                line=line,
                column=column,
            )
            continue
        spec = FIELDS[f"{prefix}{name}"]
        if spec.type == "object" and isinstance(value, Mapping):
            yield from _walk(doc, info, value, f"{prefix}{name}.", (*path, key))
        elif spec.type == "array" and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Mapping) and _children(f"{prefix}{name}[]."):
                    yield from _walk(doc, info, item, f"{prefix}{name}[].", (*path, key, index))


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    if not is_proxmox_class(doc, ctx):
        return  # another provider's class: its own schema applies, not Proxmox's
    found = providerdata_mapping(doc)
    if found is None:
        return
    info, node = found
    yield from _walk(doc, info, node, "", ())
