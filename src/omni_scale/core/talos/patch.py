"""The offline check of a Talos config patch, as omnictl and Omni run it (pure).

`omni.ValidateConfigPatch` (siderolabs/omni v1.10.4, `client/pkg/omni/resources/omni/
config_patch.go`) runs the Talos config loader (`configloader.NewFromBytes(data,
WithAllowPatchDelete())`: strict decoding) and then Omni's forbidden lists. This module repeats
both on the parsed documents of a patch, with a key table per Talos minor (`keys.py`):

- loader: an empty patch (`config not found`), a document that is not a mapping, `duplicate
  document <apiVersion>/<kind>/<name> is not allowed`, `missing kind`, `missing apiVersion`, an
  unknown kind (`"<kind>" "<version>": not registered`), unknown keys (`unknown keys found during
  decoding`) and values of the wrong type (`cannot unmarshal`); `$patch: delete` marks are allowed
  and their subtree is not checked (the loader removes it before decoding);
- Omni: forbidden documents, forbidden fields (`overriding "machine.token" is not allowed in the
  config patch`) and `os:admin` in the Talos API access roles.

Enum values are not checked by the loader (Talos validates them later, on the node), so a value
outside an enum is a warning. Issues carry the (node, key) they are about; the caller turns that
into a file position (yamlio.line_of on round-trip nodes).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from omni_scale.core.talos.keys import KeyTable, KeyTables

# Omni's lists (config_patch.go at v1.10.4).
FORBIDDEN_FIELDS = (
    "cluster.clusterName",
    "cluster.id",
    "cluster.controlPlane.endpoint",
    "cluster.token",
    "cluster.secret",
    "cluster.aescbcEncryptionSecret",
    "cluster.secretboxEncryptionSecret",
    "cluster.ca",
    "cluster.acceptedCAs",
    "cluster.serviceAccount",
    "machine.token",
    "machine.ca",
    "machine.type",
    "machine.install.extensions",
    "machine.acceptedCAs",
)
FORBIDDEN_DOCUMENTS = frozenset(
    {
        "UnattendedInstallConfig",
        "DiscoveryIdentityConfig",
        "KubeClusterConfig",
        "KubeEtcdEncryptionConfig",
        "KubeAPIServerCAConfig",
        "KubeAggregatorCAConfig",
    }
)
DOCUMENT_FORBIDDEN_FIELDS = {"KubeServiceAccountConfig": ("issuer.privateKey",)}
FORBIDDEN_ELEMENTS = {"machine.features.kubernetesTalosAPIAccess.allowedRoles": ("os:admin",)}
DOCUMENT_FORBIDDEN_ELEMENTS = {"KubeTalosAPIAccessConfig": {"allowedRoles": ("os:admin",)}}
# Keys that make the decoder treat a kind-less document as the v1alpha1 config
# (decoder.go: ManifestDeprecatedKeyMachine/Cluster/Debug/Persist).
V1ALPHA1_KEYS = ("machine", "cluster", "debug", "persist")
LOADER = "the Talos config loader"
TYPE_NAMES = {"s": "a string", "i": "an integer", "b": "a boolean", "a": "a list", "o": "a mapping"}


@dataclass(frozen=True)
class PatchIssue:
    """One problem in a patch: severity, message, hint, and the (node, key) it is about."""

    severity: str  # "error" | "warning"
    message: str
    hint: str
    node: Any = None  # the round-trip container holding `key` (None: the patch as a whole)
    key: Any = None


def is_delete(value: Any) -> bool:
    """A mapping carrying `$patch: delete`: removed by the loader before decoding."""
    return isinstance(value, Mapping) and str(value.get("$patch", "")) == "delete"


def check_patch(
    docs: list[Any], table: KeyTable, tables: KeyTables, *, unknown_severity: str = "error"
) -> list[PatchIssue]:
    """Every problem omnictl's patch validation finds in the parsed documents of one patch.

    `docs` are the YAML documents (round-trip nodes; None for an empty document).
    `unknown_severity` is "warning" when the table is a fallback for a newer Talos minor.
    """
    issues: list[PatchIssue] = []
    content: list[Any] = []
    has_delete = False
    for doc in docs:
        if doc is None:
            continue
        if is_delete(doc):
            has_delete = True
            continue
        if not isinstance(doc, Mapping):
            issues.append(
                PatchIssue(
                    "error",
                    f"expected a YAML document (a mapping), got {_shape(doc)} ({LOADER})",
                    "a patch document is a mapping such as `machine: {...}`",
                    doc if isinstance(doc, list) else None,
                )
            )
            continue
        content.append(doc)
    if not content and not has_delete and not issues:
        return [
            PatchIssue(
                "error",
                f"config not found: the patch has no document ({LOADER})",
                "write the Talos config to change, e.g. `machine: {kubelet: {extraArgs: "
                "{max-pods: '150'}}}`, or remove the patch",
            )
        ]
    seen: set[tuple[str, str, str]] = set()
    for doc in content:
        issues.extend(_document(doc, table, tables, seen, unknown_severity))
    return issues


def _scalar(value: Any) -> str:
    return "" if value is None else str(value)


def _document(
    doc: Mapping[str, Any],
    table: KeyTable,
    tables: KeyTables,
    seen: set[tuple[str, str, str]],
    unknown: str,
) -> Iterator[PatchIssue]:
    api_version = _scalar(doc.get("apiVersion"))
    kind = _scalar(doc.get("kind"))
    name = _scalar(doc.get("name"))
    version = "v1alpha1" if any(k in doc for k in V1ALPHA1_KEYS) else api_version
    identity = (api_version, kind or "v1alpha1", name)
    if identity in seen:
        yield PatchIssue(
            "error",
            f"duplicate document {'/'.join(identity)} is not allowed ({LOADER})",
            "merge the two documents into one",
            doc,
            next(iter(doc), None),
        )
        return
    seen.add(identity)
    if kind in FORBIDDEN_DOCUMENTS:
        yield PatchIssue(
            "error",
            f'the "{kind}" document is not allowed in the config patch',
            "Omni generates this document itself; remove it from the patch",
            doc,
            "kind",
        )
        return
    if version == "v1alpha1" and not kind:
        definition = table.kinds.get("v1alpha1")
        if definition is not None:
            walk = _Walk(table, tables, unknown, "v1alpha1")
            yield from _walk(doc, {"r": definition}, (), walk, None, None)
            yield from _omni_fields(doc, FORBIDDEN_FIELDS, FORBIDDEN_ELEMENTS)
        return
    if not kind:
        yield PatchIssue(
            "error",
            f"missing kind: the document has no `kind` and no machine/cluster key ({LOADER})",
            "a v1alpha1 patch starts with `machine:` or `cluster:`; any other document needs "
            "`apiVersion: v1alpha1` and `kind: <Kind>`",
            doc,
            next(iter(doc), None),
        )
        return
    if not version:
        yield PatchIssue(
            "error",
            f'missing apiVersion in the "{kind}" document ({LOADER})',
            "add `apiVersion: v1alpha1`",
            doc,
            "kind",
        )
        return
    definition = table.kinds.get(kind)
    if definition is None:
        yield from _unknown_kind(doc, kind, version, table, tables)
        return
    allowed = _api_versions(table, definition)
    if allowed and version not in allowed:
        yield PatchIssue(
            "error",
            f'"{kind}" "{version}": not registered ({LOADER} knows {kind} as '
            f"{' or '.join(sorted(allowed))})",
            f"write `apiVersion: {sorted(allowed)[0]}`",
            doc,
            "apiVersion",
        )
        return
    yield from _walk(doc, {"r": definition}, (), _Walk(table, tables, unknown, kind), None, None)
    yield from _omni_fields(
        doc, DOCUMENT_FORBIDDEN_FIELDS.get(kind, ()), DOCUMENT_FORBIDDEN_ELEMENTS.get(kind, {})
    )


def _api_versions(table: KeyTable, definition: str) -> set[str]:
    shape = table.defs.get(definition)
    props = shape.get("o", {}) if isinstance(shape, Mapping) else {}
    api = props.get("apiVersion")
    return {str(v) for v in api["e"]} if isinstance(api, Mapping) and "e" in api else set()


def _unknown_kind(
    doc: Mapping[str, Any], kind: str, version: str, table: KeyTable, tables: KeyTables
) -> Iterator[PatchIssue]:
    later = tables.newest()
    if kind in later.kinds and later.minor != table.minor:
        yield PatchIssue(
            "warning",
            f'the "{kind}" document is new in a later Talos than v{table.minor} (the '
            f"template's talos.version): omnictl accepts it, nodes of v{table.minor} do not "
            "know it",
            "raise talos.version, or express the change in the v1alpha1 config",
            doc,
            "kind",
        )
        return
    if kind in tables.loader_kinds:
        return  # known to omnictl's loader (Talos machinery v1.14), newer than every table
    known = sorted({*table.kinds, *later.kinds, *tables.loader_kinds} - {"v1alpha1"})
    close = difflib.get_close_matches(kind, known, n=1, cutoff=0.7)
    yield PatchIssue(
        "error",
        f'unknown document kind "{kind}": "{kind}" "{version}": not registered ({LOADER})',
        f'did you mean "{close[0]}"?'
        if close
        else "use a Talos config document kind "
        "(e.g. NetworkRuleConfig, UserVolumeConfig) or a v1alpha1 `machine:`/`cluster:` patch",
        doc,
        "kind",
    )


@dataclass(frozen=True)
class _Walk:
    table: KeyTable
    tables: KeyTables
    unknown: str  # severity of an unknown key
    kind: str  # the document's kind ("v1alpha1" for the legacy config)


def _resolve(shape: Any, table: KeyTable) -> Any:
    for _ in range(32):
        if isinstance(shape, Mapping) and "r" in shape:
            shape = table.defs.get(str(shape["r"]), "*")
        else:
            return shape
    return "*"


def _shape(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if _is_bool(value):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    return "a string"


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool) or type(value).__name__ == "ScalarBoolean"


def _fits(value: Any, kind: str) -> bool:
    """Whether the Go YAML decoder accepts `value` for a field of this scalar kind."""
    if value is None or kind == "*":
        return True
    if isinstance(value, Mapping | list):
        return False
    if kind == "s":
        return True  # go-yaml sets a string field from any scalar's text
    if kind == "i":
        # a string is let through: some integer fields have their own YAML decoding that
        # takes text (v1alpha1.DiskPartition.size: `100 GB`), and a false error is worse
        return not _is_bool(value)
    if kind == "b":
        return _is_bool(value)
    return True


def _path_text(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _kind_of(shape: Any) -> str:
    if isinstance(shape, str):
        return shape
    if isinstance(shape, Mapping):
        if "e" in shape:
            return str(shape.get("t", "s"))
        if "a" in shape:
            return "a"
        if "o" in shape:
            return "o"
    return "*"


def _walk(
    value: Any,
    shape: Any,
    path: tuple[str | int, ...],
    walk: _Walk,
    container: Any,
    key: Any,
) -> Iterator[PatchIssue]:
    shape = _resolve(shape, walk.table)
    if value is None or shape == "*":
        return
    if isinstance(shape, Mapping) and "u" in shape:
        options = [_resolve(s, walk.table) for s in shape["u"]]
        for option in options:
            if not list(_walk(value, option, path, walk, container, key)):
                return
        wanted = " or ".join(dict.fromkeys(TYPE_NAMES.get(_kind_of(o), "a value") for o in options))
        yield _type_issue(path, wanted, value, container, key)
        return
    kind = _kind_of(shape)
    if kind == "o":
        if not isinstance(value, Mapping):
            yield _type_issue(path, "a mapping", value, container, key)
            return
        if is_delete(value):
            return
        yield from _mapping(value, shape, path, walk)
    elif kind == "a":
        if not isinstance(value, list):
            yield _type_issue(path, "a list", value, container, key)
            return
        for index, item in enumerate(value):
            if not is_delete(item):
                yield from _walk(item, shape["a"], (*path, index), walk, value, index)
    elif not _fits(value, kind):
        yield _type_issue(path, TYPE_NAMES.get(kind, "a value"), value, container, key)
    elif isinstance(shape, Mapping) and "e" in shape and isinstance(value, str | int):
        allowed = [str(v) for v in shape["e"]]
        if str(value) not in allowed and not _is_bool(value):
            yield PatchIssue(
                "warning",
                f'"{_path_text(path)}" is "{value}", not one of {", ".join(allowed)}: the loader '
                "takes it, the node's config validation refuses it",
                f"use one of {', '.join(allowed)}",
                container,
                key,
            )


def _mapping(
    value: Mapping[str, Any], shape: Mapping[str, Any], path: tuple[str | int, ...], walk: _Walk
) -> Iterator[PatchIssue]:
    props: Mapping[str, Any] = shape.get("o", {})
    extra = shape.get("x")
    for raw_key, item in value.items():
        name = str(raw_key)
        if name in props:
            yield from _walk(item, props[name], (*path, name), walk, value, raw_key)
        elif extra is not None:
            yield from _walk(item, extra, (*path, name), walk, value, raw_key)
        else:
            yield _unknown_key(value, raw_key, (*path, name), list(props), walk)


def _unknown_key(
    container: Any, key: Any, path: tuple[str | int, ...], known: list[str], walk: _Walk
) -> PatchIssue:
    name = str(key)
    where = _path_text(path)
    table = walk.table
    later = walk.tables.newest()
    if later.minor != table.minor and _known_in(later, walk.kind, path):
        return PatchIssue(
            "warning",
            f'"{where}" is a key of a later Talos than v{table.minor} (the template\'s '
            f"talos.version): omnictl accepts it, nodes of v{table.minor} refuse it as an "
            "unknown key",
            "raise talos.version, or drop the key",
            container,
            key,
        )
    by_case = [k for k in known if k.lower() == name.lower()]
    close = by_case or difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    parent = _path_text(path[:-1]) or "the document"
    if close:
        hint = f'did you mean "{close[0]}"? (keys are case-sensitive)'
    elif known:
        shown = ", ".join(sorted(known)[:12]) + (", ..." if len(known) > 12 else "")
        hint = f"keys of {parent}: {shown}"
    else:
        hint = f"{parent} takes no keys here"
    return PatchIssue(
        walk.unknown,
        f'unknown key "{where}" in {table.label}\'s config ({LOADER} fails: unknown keys found '
        "during decoding)",
        hint,
        container,
        key,
    )


def _known_in(table: KeyTable, kind: str, path: tuple[str | int, ...]) -> bool:
    """Whether `path` from the root of a `kind` document exists in `table`."""
    if kind not in table.kinds:
        return False
    shape: Any = {"r": table.kinds[kind]}
    for part in path:
        shape = _resolve(shape, table)
        if isinstance(part, int):
            if not (isinstance(shape, Mapping) and "a" in shape):
                return False
            shape = shape["a"]
            continue
        if not isinstance(shape, Mapping) or "o" not in shape:
            return False
        if part in shape["o"]:
            shape = shape["o"][part]
        elif "x" in shape:
            shape = shape["x"]
        else:
            return False
    return True


def _type_issue(
    path: tuple[str | int, ...], wanted: str, value: Any, container: Any, key: Any
) -> PatchIssue:
    where = _path_text(path) or "the document"
    if wanted == "a list" and not isinstance(value, Mapping | list):
        hint = f"write it as a list: `[{value}]`, or one `- {value}` line per item"
    elif wanted == "a boolean":
        text = str(value).strip().lower()
        hint = (
            f"write `{text}` without quotes" if text in ("true", "false") else "write true or false"
        )
    elif wanted == "an integer":
        text = str(value).strip()
        hint = (
            f"write `{int(text)}` without quotes"
            if text.lstrip("-").isdigit() and text.isascii()
            else "write a whole number"
        )
    else:
        hint = f"write {where} as {wanted}"
    return PatchIssue(
        "error",
        f'"{where}" must be {wanted}, not {_shape(value)} ({LOADER} fails: cannot unmarshal)',
        hint,
        container,
        key,
    )


def _get(doc: Mapping[str, Any], dotted: str) -> tuple[Any, Any, Any] | None:
    """(container, key, value) at a dotted path, when every step exists."""
    node: Any = doc
    parts = dotted.split(".")
    for index, part in enumerate(parts):
        if not isinstance(node, Mapping) or part not in node:
            return None
        if index == len(parts) - 1:
            return node, part, node[part]
        node = node[part]
    return None


def _omni_fields(
    doc: Mapping[str, Any], fields: tuple[str, ...], elements: Mapping[str, tuple[str, ...]]
) -> Iterator[PatchIssue]:
    for dotted in fields:
        found = _get(doc, dotted)
        if found is not None:
            yield PatchIssue(
                "error",
                f'overriding "{dotted}" is not allowed in the config patch',
                "Omni manages this field; remove it from the patch",
                found[0],
                found[1],
            )
    for dotted, forbidden in elements.items():
        found = _get(doc, dotted)
        if found is None or not isinstance(found[2], list):
            continue
        for index, element in enumerate(found[2]):
            if str(element) in forbidden:
                yield PatchIssue(
                    "error",
                    f'element "{element}" is not allowed in field "{dotted}"',
                    "Omni refuses the Talos admin role for workloads; use os:reader or os:operator",
                    found[2],
                    index,
                )
