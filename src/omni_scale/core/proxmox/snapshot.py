"""The Proxmox inventory snapshot: a documented, versioned JSON format (no secrets).

```
{"format": "omni-scale/proxmox-snapshot", "version": 2,
 "taken_at": "2026-11-25T19:00:00Z", "pve_version": "8.4.1", "provider_id": "proxmox",
 "auth_id": "omni@pve!provider",                       # who took it (never a secret), optional
 "nodes": [                                            # GET /nodes order kept
   {"node": "pve1", "status": "online", "maxmem": 68719476736, "mem": 21474836480, "maxcpu": 16,
    "storages": [                                      # GET /nodes/pve1/storage, API order kept
      {"storage": "local-lvm", "type": "lvmthin", "content": "images,rootdir", "enabled": 1,
       "active": 1, "avail": 1572095622349, "total": 1826437644288, "shared": 0}],
    "bridges": [{"iface": "vmbr0", "vlan_aware": true, "active": true}],  # null: not read
    "vm_count": 7, "provider_vm_count": 3}],           # null: not read
 "pci_mappings": [{"id": "gpu0", "nodes": ["pve1"]}],  # null: not readable (PVE 7, no rights)
 "pools": ["talos"],                                   # GET /pools ids; null: not read
 "ha_rules": ["keep-apart"]}                           # GET /cluster/ha/rules ids; null: not
                                                       # read (PVE 8 has no rules API: [])
```

`vm_count` is `len(GET /nodes/{n}/qemu)`: every VM the token can see, templates included (the
provider's TotalVMs for `fewer-vms`). Version 2 added `pools` and `ha_rules`; a version 1 file
still loads, with both unknown (see `Snapshot.notes`).

`mem` and `maxmem` are bytes and may be absent (null): an offline node keeps `maxmem` for up to
5 minutes and has no `mem`; a caller without Sys.Audit on the node sees neither. `storages` is
null when the node's storages could not be listed (offline node: HTTP 595).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from omni_scale.errors import InputError

FORMAT = "omni-scale/proxmox-snapshot"
VERSION = 2
READABLE = (1, 2)


@dataclass(frozen=True)
class StorageInfo:
    storage: str
    type: str
    content: str = ""
    enabled: bool = True
    active: bool = True
    avail: int = 0
    total: int = 0
    shared: bool = False

    @property
    def contents(self) -> frozenset[str]:
        return frozenset(c.strip() for c in self.content.split(",") if c.strip())

    def to_json(self) -> dict[str, Any]:
        return {
            "storage": self.storage,
            "type": self.type,
            "content": self.content,
            "enabled": int(self.enabled),
            "active": int(self.active),
            "avail": self.avail,
            "total": self.total,
            "shared": int(self.shared),
        }


@dataclass(frozen=True)
class BridgeInfo:
    iface: str
    vlan_aware: bool = False
    active: bool = True
    vlan_ids: str | None = None  # bridge-vids of a VLAN-aware bridge ("2-4094"), when known

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "iface": self.iface,
            "vlan_aware": self.vlan_aware,
            "active": self.active,
        }
        if self.vlan_ids is not None:
            data["vlan_ids"] = self.vlan_ids
        return data


@dataclass(frozen=True)
class NodeInfo:
    node: str
    status: str
    maxmem: int | None = None
    mem: int | None = None
    maxcpu: int | None = None
    storages: tuple[StorageInfo, ...] | None = ()
    bridges: tuple[BridgeInfo, ...] | None = None
    vm_count: int | None = None
    provider_vm_count: int | None = None

    @property
    def online(self) -> bool:
        return self.status == "online"

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "status": self.status,
            "maxmem": self.maxmem,
            "mem": self.mem,
            "maxcpu": self.maxcpu,
            "storages": None if self.storages is None else [s.to_json() for s in self.storages],
            "bridges": None if self.bridges is None else [b.to_json() for b in self.bridges],
            "vm_count": self.vm_count,
            "provider_vm_count": self.provider_vm_count,
        }


@dataclass(frozen=True)
class PciMapping:
    id: str
    nodes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "nodes": list(self.nodes)}


@dataclass(frozen=True)
class Snapshot:
    taken_at: str
    pve_version: str | None
    provider_id: str
    nodes: tuple[NodeInfo, ...]
    pci_mappings: tuple[PciMapping, ...] | None = ()
    auth_id: str | None = None
    source: str = "snapshot"  # "snapshot" (a file) or "live"
    path: str | None = field(default=None, compare=False)
    pools: tuple[str, ...] | None = None
    ha_rules: tuple[str, ...] | None = None
    format_version: int = field(default=VERSION, compare=False)

    @property
    def notes(self) -> list[str]:
        """What this snapshot cannot tell a plan (an old format, counts not read)."""
        out: list[str] = []
        if self.format_version < 2:
            out.append(
                f"snapshot format {self.format_version} has no pools or HA rules: pool and "
                "HA-rule checks are skipped (take a new one with `omni-scale proxmox snapshot`)"
            )
        unknown = [n.node for n in self.nodes if n.online and n.vm_count is None]
        if unknown and self.source == "snapshot":
            out.append(
                f"no VM counts for {', '.join(unknown)}: the fewer-vms strategy counts them as 0"
            )
        return out

    def node(self, name: str) -> NodeInfo | None:
        for node in self.nodes:
            if node.node == name:
                return node
        return None

    def pci_mapping(self, mapping_id: str) -> PciMapping | None:
        for mapping in self.pci_mappings or ():
            if mapping.id == mapping_id:
                return mapping
        return None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "taken_at": self.taken_at,
            "pve_version": self.pve_version,
            "provider_id": self.provider_id,
        }
        if self.auth_id is not None:
            data["auth_id"] = self.auth_id
        data["nodes"] = [n.to_json() for n in self.nodes]
        data["pci_mappings"] = (
            None if self.pci_mappings is None else [m.to_json() for m in self.pci_mappings]
        )
        data["pools"] = None if self.pools is None else list(self.pools)
        data["ha_rules"] = None if self.ha_rules is None else list(self.ha_rules)
        return data


# ---------------------------------------------------------------------------- reading


class _Reader:
    def __init__(self, path: str | None) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> InputError:
        return InputError(
            f"proxmox snapshot: {where}: {problem}",
            path=self.path,
            hint="take a fresh one with `omni-scale proxmox snapshot`",
        )

    def obj(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, "expected an object")
        return value

    def arr(self, value: Any, where: str) -> Sequence[Any]:
        if not isinstance(value, list):
            raise self.fail(where, "expected a list")
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str, *, null: bool = False) -> Any:
        value = data.get(key)
        if value is None and null:
            return None
        if not isinstance(value, str) or not value:
            raise self.fail(f"{where}.{key}", "expected a non-empty string")
        return value

    def integer(self, data: Mapping[str, Any], key: str, where: str, *, default: Any = 0) -> Any:
        value = data.get(key, default)
        if value is None or value is default:
            return value
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**64:
            # Proxmox sizes are uint64 (the provider's availableSpace is a CEL uint)
            raise self.fail(f"{where}.{key}", "expected a whole number from 0 to 2^64-1 (uint64)")
        return value

    def flag(self, data: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if isinstance(value, bool):
            return value
        if value in (0, 1):
            return bool(value)
        raise self.fail(f"{where}.{key}", "expected 0/1 or true/false")


def snapshot_from_json(data: Any, *, path: str | None = None) -> Snapshot:
    """Validate and read a snapshot document (InputError naming the bad field otherwise)."""
    r = _Reader(path)
    doc = r.obj(data, "document")
    if doc.get("format") != FORMAT:
        raise r.fail("format", f"expected {FORMAT!r}, got {doc.get('format')!r}")
    version = doc.get("version")
    if isinstance(version, bool) or version not in READABLE:
        raise r.fail(
            "version",
            f"version {version!r} is not supported (this omni-scale reads 1 and {VERSION})",
        )
    nodes: list[NodeInfo] = []
    for i, raw in enumerate(r.arr(doc.get("nodes"), "nodes")):
        where = f"nodes[{i}]"
        item = r.obj(raw, where)
        storages: list[StorageInfo] | None = None
        if item.get("storages") is not None:
            storages = []
            for j, sraw in enumerate(r.arr(item["storages"], f"{where}.storages")):
                sw = f"{where}.storages[{j}]"
                s = r.obj(sraw, sw)
                storages.append(
                    StorageInfo(
                        storage=r.text(s, "storage", sw),
                        type=r.text(s, "type", sw),
                        content=str(s.get("content") or ""),
                        enabled=r.flag(s, "enabled", sw, True),
                        active=r.flag(s, "active", sw, True),
                        avail=r.integer(s, "avail", sw),
                        total=r.integer(s, "total", sw),
                        shared=r.flag(s, "shared", sw, False),
                    )
                )
        bridges: list[BridgeInfo] | None = None
        if item.get("bridges") is not None:
            bridges = []
            for j, braw in enumerate(r.arr(item["bridges"], f"{where}.bridges")):
                bw = f"{where}.bridges[{j}]"
                b = r.obj(braw, bw)
                vids = b.get("vlan_ids")
                bridges.append(
                    BridgeInfo(
                        iface=r.text(b, "iface", bw),
                        vlan_aware=r.flag(b, "vlan_aware", bw, False),
                        active=r.flag(b, "active", bw, True),
                        vlan_ids=str(vids) if vids is not None else None,
                    )
                )
        nodes.append(
            NodeInfo(
                node=r.text(item, "node", where),
                status=r.text(item, "status", where),
                maxmem=r.integer(item, "maxmem", where, default=None),
                mem=r.integer(item, "mem", where, default=None),
                maxcpu=r.integer(item, "maxcpu", where, default=None),
                storages=None if storages is None else tuple(storages),
                bridges=None if bridges is None else tuple(bridges),
                vm_count=r.integer(item, "vm_count", where, default=None),
                provider_vm_count=r.integer(item, "provider_vm_count", where, default=None),
            )
        )
    mappings: list[PciMapping] | None = None
    if doc.get("pci_mappings") is not None:
        mappings = []
        for i, mraw in enumerate(r.arr(doc["pci_mappings"], "pci_mappings")):
            mw = f"pci_mappings[{i}]"
            m = r.obj(mraw, mw)
            names = r.arr(m.get("nodes", []), f"{mw}.nodes")
            mappings.append(PciMapping(r.text(m, "id", mw), tuple(str(n) for n in names)))
    pools = _names(r, doc, "pools") if version >= 2 else None
    ha_rules = _names(r, doc, "ha_rules") if version >= 2 else None
    return Snapshot(
        taken_at=str(doc.get("taken_at") or ""),
        pve_version=r.text(doc, "pve_version", "document", null=True),
        provider_id=r.text(doc, "provider_id", "document"),
        nodes=tuple(nodes),
        pci_mappings=None if mappings is None else tuple(mappings),
        auth_id=r.text(doc, "auth_id", "document", null=True),
        source="snapshot",
        path=path,
        pools=pools,
        ha_rules=ha_rules,
        format_version=int(version),
    )


def _names(r: _Reader, doc: Mapping[str, Any], key: str) -> tuple[str, ...] | None:
    if doc.get(key) is None:
        return None
    items = r.arr(doc[key], key)
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item:
            raise r.fail(f"{key}[{i}]", "expected a non-empty string")
    return tuple(items)


def dump_snapshot(snapshot: Snapshot) -> str:
    import json

    return json.dumps(snapshot.to_json(), indent=2, ensure_ascii=False) + "\n"
