"""providerdata: the YAML string inside a MachineClass that the Proxmox provider reads.

`FIELDS` describes every key the provider knows (type, minimum, enum, default, the release that
introduced it), derived from the published schema in `providerdata_schema`. `ProviderData` is
the typed model; `parse_providerdata` accepts exactly what Omni's schema check accepts and
`render_providerdata` writes it back as readable YAML (round trip: parse(render(x)) == x).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import YAMLError

from omni_scale import yamlfast
from omni_scale.core.machineclass.providerdata_schema import (
    SCHEMA,
    SINCE,
    SchemaIssue,
    schema_issues,
)
from omni_scale.errors import InputError
from omni_scale.yamlio import (
    check_nodes,
    dump,
    fast_composer,
    guard_yaml_text,
    line_of,
    round_trip_yaml,
    value_error,
    yaml_error,
)

REQUIRED = ("cores", "memory", "disk_size", "storage_selector")

# Defaults the provider applies when a key is absent (provider.md §4); None = Proxmox's default.
_DEFAULTS: dict[str, object] = {
    "network_bridge": "vmbr0",
    "cpu_type": "x86-64-v2-AES",
    "disk_ssd": False,
    "disk_discard": False,
    "disk_iothread": False,
    "numa": False,
    "additional_disks[].disk_ssd": False,
    "additional_disks[].disk_discard": False,
    "additional_disks[].disk_iothread": False,
    "pci_devices[].pcie": False,
    "pci_devices[].primary_gpu": False,
}


@dataclass(frozen=True)
class FieldSpec:
    name: str  # "memory", or nested "additional_disks[].disk_size", "ha.state"
    type: str  # JSON-schema type: integer, string, boolean, array, object
    required: bool
    minimum: int | None
    enum: tuple[str, ...] | None
    default: object
    since: str  # "base" | "v0.1.0" | "v0.2.0" | "v0.3.0"
    description: str


def _collect(
    props: Mapping[str, Any], required: list[str], prefix: str, out: dict[str, FieldSpec]
) -> None:
    for key, spec in props.items():
        name = f"{prefix}{key}"
        enum = spec.get("enum")
        out[name] = FieldSpec(
            name=name,
            type=str(spec.get("type", "")),
            required=key in required,
            minimum=spec.get("minimum"),
            enum=tuple(enum) if enum is not None else None,
            default=_DEFAULTS.get(name),
            since=SINCE.get(name, "base"),
            description=str(spec.get("description", "")),
        )
        if spec.get("type") == "object" and "properties" in spec:
            _collect(spec["properties"], spec.get("required", []), f"{name}.", out)
        items = spec.get("items")
        if spec.get("type") == "array" and isinstance(items, Mapping) and "properties" in items:
            _collect(items["properties"], items.get("required", []), f"{name}[].", out)


def _fields() -> dict[str, FieldSpec]:
    out: dict[str, FieldSpec] = {}
    _collect(SCHEMA["properties"], SCHEMA["required"], "", out)
    return out


FIELDS: dict[str, FieldSpec] = _fields()
TOP_LEVEL_KEYS: frozenset[str] = frozenset(SCHEMA["properties"])


@dataclass(frozen=True)
class AdditionalDisk:
    disk_size: int
    storage_selector: str
    disk_ssd: bool = False
    disk_discard: bool = False
    disk_iothread: bool = False
    disk_cache: str | None = None
    disk_aio: str | None = None


@dataclass(frozen=True)
class AdditionalNic:
    bridge: str
    vlan: int | None = None
    firewall: bool | None = None


@dataclass(frozen=True)
class PciDevice:
    mapping: str
    pcie: bool = False
    primary_gpu: bool = False
    rombar: bool | None = None
    mdev: str | None = None


@dataclass(frozen=True)
class ProviderData:
    """A parsed providerdata. `extra` holds the keys without an attribute here, as given:
    keys the provider knows but this model does not type (tags, pool, ha, vga, usb_devices) and
    keys the provider ignores (typos, keys of other providers)."""

    cores: int
    memory: int
    disk_size: int
    storage_selector: str
    sockets: int | None = None
    node: str | None = None
    network_bridge: str = "vmbr0"
    vlan: int | None = None
    disk_ssd: bool = False
    disk_discard: bool = False
    disk_iothread: bool = False
    disk_cache: str | None = None
    disk_aio: str | None = None
    cpu_type: str = "x86-64-v2-AES"
    machine_type: str | None = None
    numa: bool = False
    balloon: bool | None = None
    hugepages: str | None = None
    network_firewall: bool | None = None
    placement_strategy: str | None = None
    bios: str | None = None
    additional_disks: tuple[AdditionalDisk, ...] = ()
    additional_nics: tuple[AdditionalNic, ...] = ()
    pci_devices: tuple[PciDevice, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def effective_sockets(self) -> int:
        """What the provider sends to Proxmox: 0 when `sockets` is omitted (provider.md §4)."""
        return self.sockets if self.sockets is not None else 0

    @property
    def storage_selectors(self) -> tuple[str, ...]:
        """The root disk's selector, then each additional disk's (scsi0, scsi1, ...)."""
        return (self.storage_selector, *(d.storage_selector for d in self.additional_disks))


_MODEL_KEYS = frozenset(f.name for f in fields(ProviderData)) - {"extra"}


def plain(value: Any) -> Any:
    """ruamel round-trip values as plain JSON-like Python values (what Go's yaml gives)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


@cache
def _composer() -> Any:
    """A YAML instance used only to compose nodes: libyaml's parser when ruamel.yaml.clib is
    installed, else ruamel's pure one without comment gathering (faster than round-trip)."""

    return fast_composer()


@cache
def _rt_loader() -> Any:
    return round_trip_yaml()


def load_providerdata_yaml(
    text: str, *, path: Path | str | None = None, line_offset: int = 0
) -> Any:
    """The YAML node of a providerdata text (None when empty); InputError if bad.

    Mappings and sequences carry line/column (`.lc`, as from `yamlio.load_all`), relative to
    the text. A text is parsed once: the node is shared by every caller with the same text, so
    read it, never change it. Same alias and depth limits as every other YAML read."""
    node = _PARSED.get(text, _MISSING)
    if node is _MISSING:
        node = _parse(text, path=path, line_offset=line_offset)
        if len(_PARSED) >= _capacity[0]:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[text] = node
    return node


_MISSING = object()
_PARSED: dict[str, Any] = {}
_capacity = [4096]


def reserve_cache(entries: int) -> None:
    """Let the parse cache hold `entries` distinct texts (a run sizes it to its files)."""
    _capacity[0] = max(_capacity[0], entries)


def _parse(text: str, *, path: Path | str | None, line_offset: int) -> Any:
    # ruamel (and yamlfast, built on it) only when a text is parsed: see yamlio's docstring

    # the same size/alias/merge/depth limits as every other YAML the tool reads
    guard_yaml_text(str(text), path=path, line_offset=line_offset)
    docs: list[Any] = []
    try:
        try:
            # libyaml's nodes into position-keeping dicts and lists; what it leaves alone
            # (and every error) goes the round-trip way below
            docs = yamlfast.load_all(str(text), rt_loader=_rt_loader())
        except (yamlfast.Unsupported, YAMLError):
            docs = []
            nodes = list(_composer().compose_all(str(text)))
            check_nodes(nodes, path=path, line_offset=line_offset)
            for node in nodes:
                constructor = RoundTripConstructor(loader=_rt_loader())
                docs.append(constructor.construct_document(node))
    except YAMLError as exc:
        raise yaml_error(exc, path=path, line_offset=line_offset) from None
    except RecursionError:
        raise InputError("YAML nested too deeply", path=path) from None
    except InputError:
        raise
    except Exception as exc:  # a scalar the constructor cannot build (a 5,000-digit int)
        raise value_error(exc, str(text), path=path, line_offset=line_offset) from None
    if len(docs) > 1:
        raise InputError(
            "providerdata holds more than one YAML document",
            path=path,
            line=line_offset + 1 if path else None,
            hint="remove the '---' lines inside providerdata",
        )
    return docs[0] if docs else None


def issue_line(node: Any, issue_path: tuple[str | int, ...]) -> tuple[int, int] | None:
    """0-based (line, column) in the providerdata text of the key an issue is about."""

    current = node
    found: tuple[int, int] | None = line_of(current)
    for part in issue_path:
        in_map = isinstance(current, Mapping) and part in current
        if in_map or (isinstance(current, list) and isinstance(part, int) and part < len(current)):
            found = line_of(current, part) or found
            current = current[part]
        else:
            break
    return (found[0] - 1, found[1] - 1) if found else None


def parse_providerdata(
    text: str, *, path: Path | str | None = None, line_offset: int = 0
) -> ProviderData:
    """Parse and check a providerdata text the way Omni's schema check does.

    Raises InputError (one line, with the file line when `path` is given) when the text is not
    YAML, not a mapping, or breaks the schema (missing required keys, wrong types, minimums,
    enums). Unknown keys are kept in `extra`. `line_offset` is the file line before the text.
    """
    node = load_providerdata_yaml(text, path=path, line_offset=line_offset)
    if node is None:
        node = {}
    if not isinstance(node, Mapping):
        raise InputError(
            f"providerdata must be a YAML mapping of key: value, not {_kind(node)}",
            path=path,
            line=line_offset + 1,
            hint="write one 'key: value' per line, e.g. 'cores: 2'",
        )
    issues = schema_issues(plain(node))
    if issues:
        raise _issue_error(issues, node, path=path, line_offset=line_offset)
    return from_mapping(plain(node))


def _issue_error(
    issues: list[SchemaIssue], node: Any, *, path: Path | str | None, line_offset: int
) -> InputError:
    first = issues[0]
    pos = issue_line(node, first.path)
    more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
    return InputError(
        f"{first.message}{more}",
        path=path,
        line=(pos[0] + 1 + line_offset) if pos else (line_offset + 1),
        hint=issue_hint(first),
    )


# A line to add for each key the provider requires (the hints of missing keys use these).
REQUIRED_EXAMPLES = {
    "cores": "cores: 2",
    "memory": "memory: 4096",
    "disk_size": "disk_size: 40",
    "storage_selector": 'storage_selector: name == "local-lvm"',
}


def issue_hint(issue: SchemaIssue) -> str:
    name = ".".join("[]" if isinstance(p, int) else str(p) for p in issue.path).replace(".[]", "[]")
    spec = FIELDS.get(name)
    if issue.kind == "required":
        leaf = str(issue.path[-1])
        return f"add '{REQUIRED_EXAMPLES.get(leaf, leaf + ': ...')}'"
    if spec is not None and spec.enum:
        return f"use one of: {', '.join(spec.enum)}"
    if spec is not None and spec.type == "integer":
        low = f" >= {spec.minimum}" if spec.minimum is not None else ""
        return f"write a whole number{low}, without quotes or units"
    if spec is not None and spec.type == "boolean":
        return "write true or false, without quotes"
    if spec is not None and spec.type == "string":
        return "write a string (quote it if YAML would read it as a number or boolean)"
    return "see the provider's providerdata fields in docs/machineclasses.md"


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"


def from_mapping(data: Mapping[str, Any]) -> ProviderData:
    """Build the model from a schema-valid plain mapping."""
    known = {k: _whole(v) for k, v in data.items() if k in _MODEL_KEYS and v is not None}
    extra = {k: v for k, v in data.items() if k not in _MODEL_KEYS}
    disks = tuple(
        AdditionalDisk(**_only(AdditionalDisk, d)) for d in known.pop("additional_disks", []) or []
    )
    nics = tuple(
        AdditionalNic(**_only(AdditionalNic, n)) for n in known.pop("additional_nics", []) or []
    )
    pcis = tuple(PciDevice(**_only(PciDevice, p)) for p in known.pop("pci_devices", []) or [])
    return ProviderData(
        **known, additional_disks=disks, additional_nics=nics, pci_devices=pcis, extra=extra
    )


def _only(cls: type, data: Mapping[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: _whole(v) for k, v in data.items() if k in names and v is not None}


def _whole(value: Any) -> Any:
    """2.0 passes the schema as an integer; keep it an int in the model."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def to_mapping(data: ProviderData) -> dict[str, Any]:
    """The keys a user would write: required ones, then every value that differs from unset."""
    out: dict[str, Any] = {}
    defaults = ProviderData(cores=0, memory=0, disk_size=0, storage_selector="")
    first = ["cores", "sockets", "memory", "disk_size", "storage_selector"]
    ordered = first + [f.name for f in fields(ProviderData) if f.name not in first]
    for name in ordered:
        if name in ("extra", "additional_disks", "additional_nics", "pci_devices"):
            continue
        value = getattr(data, name)
        wanted = name in REQUIRED or name == "sockets" or value != getattr(defaults, name)
        if wanted and value is not None:
            out[name] = value
    for name, items in (
        ("additional_disks", data.additional_disks),
        ("additional_nics", data.additional_nics),
        ("pci_devices", data.pci_devices),
    ):
        if items:
            out[name] = [_item_mapping(item) for item in items]
    for key, value in data.extra.items():
        out.setdefault(key, value)
    return out


def _item_mapping(item: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(item):
        value = getattr(item, f.name)
        if value is None or (f.default is False and value is False):
            continue
        out[f.name] = value
    return out


def render_providerdata(data: ProviderData) -> str:
    """Readable YAML of `data` (block style, key order of the model)."""

    return dump(to_mapping(data))
