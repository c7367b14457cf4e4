"""Cluster-template helpers shared by the ct-* lint rules and `cluster create` (pure).

A template is a multi-document YAML file: one `kind: Cluster`, one `kind: ControlPlane`, any
number of uniquely named `kind: Workers`, and optional `kind: Machine` documents
(siderolabs/omni v1.10.4).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

NAME_RE = re.compile(r"^[A-Za-z0-9_-]+$")
# semver.ParseTolerant: optional v, 1-3 numeric parts, optional pre-release/build
TOLERANT_SEMVER_RE = re.compile(
    r"^v?(0|[1-9]\d*)(\.(0|[1-9]\d*)){0,2}(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"
)
FULL_SEMVER_RE = re.compile(r"^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")
UUID_RE = re.compile(
    r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
)
UNLIMITED_SIZES = frozenset({"unlimited", "∞", "infinity", "Unlimited"})
RESERVED_PREFIX = "omni.sidero.dev/"
DEFAULT_WORKERS_NAME = "workers"

# Talos config fields Omni forbids in patches (client/pkg/omni/resources/omni/config_patch.go)
FORBIDDEN_PATCH_PATHS = (
    ("cluster", "clusterName"),
    ("cluster", "id"),
    ("cluster", "controlPlane", "endpoint"),
    ("cluster", "token"),
    ("cluster", "secret"),
    ("cluster", "aescbcEncryptionSecret"),
    ("cluster", "secretboxEncryptionSecret"),
    ("cluster", "ca"),
    ("cluster", "acceptedCAs"),
    ("cluster", "serviceAccount"),
    ("machine", "token"),
    ("machine", "ca"),
    ("machine", "type"),
    ("machine", "install", "extensions"),
    ("machine", "acceptedCAs"),
)

# Kubernetes NodeRestriction: labels a kubelet may set on its own Node under the kubernetes.io
# and k8s.io namespaces (kubernetes.io/docs/reference/access-authn-authz/admission-controllers/
# #noderestriction, and kubelet's `--node-labels` help).
NODE_LABELS_ALLOWED = frozenset(
    {
        "kubernetes.io/hostname",
        "kubernetes.io/arch",
        "kubernetes.io/os",
        "beta.kubernetes.io/instance-type",
        "node.kubernetes.io/instance-type",
        "failure-domain.beta.kubernetes.io/region",
        "failure-domain.beta.kubernetes.io/zone",
        "topology.kubernetes.io/region",
        "topology.kubernetes.io/zone",
        "beta.kubernetes.io/arch",
        "beta.kubernetes.io/os",
    }
)
NODE_LABEL_PREFIXES_ALLOWED = ("kubelet.kubernetes.io/", "node.kubernetes.io/")


def valid_cluster_name(name: str) -> bool:
    """omnictl's ClusterValidator: every rune a Unicode letter or digit, `-` or `_`
    (unicode.IsLetter / unicode.IsDigit: str.isalpha() / str.isdecimal() in Python)."""
    return all(c.isalpha() or c.isdecimal() or c in "-_" for c in name)


def doc_kind(data: Any) -> str | None:
    if isinstance(data, Mapping) and isinstance(data.get("kind"), str):
        return str(data["kind"])
    return None


def workers_name(data: Mapping[str, Any]) -> str:
    """The Workers set's name as omnictl compares it (unnamed = "")."""
    name = data.get("name")
    return "" if name is None else str(name)


def machine_set_id(cluster: str, kind: str, name: str) -> str:
    """The MachineSet ID Omni derives (`<cluster>-control-planes`, `<cluster>-workers`, ...)."""
    if kind == "ControlPlane":
        return f"{cluster}-control-planes"
    return f"{cluster}-{name or DEFAULT_WORKERS_NAME}"


def is_unlimited(size: Any) -> bool:
    return isinstance(size, str) and size in UNLIMITED_SIZES


def parse_size(size: Any) -> int | str | None:
    """`machineClass.size` as omnictl reads it: int, "unlimited", or None when invalid."""
    if size is None:
        return 0
    if isinstance(size, bool):
        return None
    if isinstance(size, int):
        return size if 0 <= size <= 2**32 - 1 else None
    text = str(size)
    if text in UNLIMITED_SIZES:
        return "unlimited"
    if text == "Static":
        return 0
    if text.isdigit() and int(text) <= 2**32 - 1:
        return int(text)
    return None


def version_problem(value: Any, *, need_v: bool) -> str | None:
    """omnictl's client-side version check (`version is required`, semver, `start with 'v'`)."""
    if value is None or str(value).strip() == "":
        return "version is required"
    text = str(value)
    if not TOLERANT_SEMVER_RE.match(text):
        return f"version should be in semver format: {text!r} is not a version"
    if need_v and not text.startswith("v"):
        return "version should start with 'v'"
    return None


def is_incomplete_version(value: Any) -> bool:
    text = str(value)
    return bool(TOLERANT_SEMVER_RE.match(text)) and not FULL_SEMVER_RE.match(text)


def node_label_forbidden(key: str) -> bool:
    """True when NodeRestriction forbids a kubelet from setting label `key` on its Node."""
    if "/" not in key:
        return False
    prefix = key.split("/", 1)[0]
    restricted = prefix in ("kubernetes.io", "k8s.io") or prefix.endswith(
        (".kubernetes.io", ".k8s.io")
    )
    if not restricted:
        return False
    return key not in NODE_LABELS_ALLOWED and not key.startswith(NODE_LABEL_PREFIXES_ALLOWED)


@dataclass(frozen=True)
class Found:
    """A value found inside a patch: the containing node, its key, and the value."""

    node: Any
    key: Any
    value: Any


def walk_path(data: Any, path: tuple[str, ...]) -> Found | None:
    node = data
    for index, part in enumerate(path):
        if not isinstance(node, Mapping) or part not in node:
            return None
        if index == len(path) - 1:
            return Found(node, part, node[part])
        node = node[part]
    return None


def patch_documents(inline: Any) -> Iterator[Any]:
    """The Talos config documents of an inline patch (a mapping or a list of mappings)."""
    if isinstance(inline, Mapping):
        yield inline
    elif isinstance(inline, list):
        yield from (item for item in inline if isinstance(item, Mapping))


@dataclass(frozen=True)
class MachineSetSpec:
    """One machine set of a template that a machine class fills (what the provider sees)."""

    id: str  # the MachineSet / MachineRequestSet id Omni derives
    kind: str  # "ControlPlane" | "Workers"
    machine_class: str | None  # None: the set lists machines by hand
    size: int | str | None  # int, "unlimited", or None when invalid
    line: int | None = None


def machine_sets(documents: list[Any]) -> tuple[str | None, list[MachineSetSpec]]:
    """The cluster name and its machine sets (ControlPlane first, then Workers in file order)
    from a template's parsed documents."""
    cluster: str | None = None
    sets: list[MachineSetSpec] = []
    for data in documents:
        if doc_kind(data) == "Cluster" and isinstance(data.get("name"), str):
            cluster = str(data["name"])
    for kind in ("ControlPlane", "Workers"):
        for data in documents:
            if doc_kind(data) != kind:
                continue
            name = "" if kind == "ControlPlane" else workers_name(data)
            mc = data.get("machineClass")
            class_name = str(mc["name"]) if isinstance(mc, Mapping) and mc.get("name") else None
            size = parse_size(mc.get("size")) if isinstance(mc, Mapping) else 0
            sets.append(
                MachineSetSpec(
                    machine_set_id(cluster or "<cluster>", kind, name), kind, class_name, size
                )
            )
    return cluster, sets
