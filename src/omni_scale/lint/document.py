"""Reading YAML files into documents and telling what each one is, by its content."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omni_scale.core.machineclass.providerdata import reserve_cache
from omni_scale.errors import InputError
from omni_scale.textio import read_text_file
from omni_scale.yamlio import line_of, load_all

MACHINE_CLASS_TYPE = "MachineClasses.omni.sidero.dev"
TEMPLATE_KINDS = frozenset({"Cluster", "ControlPlane", "Workers", "Machine"})


class Kind(enum.StrEnum):
    MACHINE_CLASS = "machineclass"
    LEGACY_MACHINE_CLASS = "legacy-machineclass"  # Kubernetes-style apiVersion/kind
    CLUSTER_TEMPLATE = "cluster-template"  # one document of a template (kind: Cluster|...)
    PROVIDER_CONFIG = "provider-config"  # docker/config.yaml (proxmox: url, token...)
    COMPOSE = "compose"  # docker compose file
    EMPTY = "empty"
    UNKNOWN = "unknown"


@dataclass
class Document:
    """One YAML document of a file, as a ruamel round-trip node (keeps line numbers)."""

    path: Path
    index: int
    data: Any
    kind: Kind
    start_line: int  # 1-based line of the document's first line in the file
    file_text: str = ""  # the whole file's text (for positions inside block scalars)
    # what rules derive from the document once and share (e.g. its parsed providerdata)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def position(self, node: Any = None, key: Any = None) -> tuple[int, int]:
        """1-based (line, column) of `key` in `node` (default: the document root)."""

        target = self.data if node is None else node
        pos = line_of(target, key) if key is not None else line_of(target)
        if pos is None and key is not None:
            pos = line_of(target)
        return pos if pos is not None else (self.start_line, 1)


@dataclass
class SourceFile:
    """A file read for linting: its text, documents, and a read error if it had one."""

    path: Path
    text: str = ""
    documents: list[Document] = field(default_factory=list)
    error: InputError | None = None

    @property
    def kinds(self) -> set[Kind]:
        return {doc.kind for doc in self.documents}

    def line_text(self, line: int) -> str:
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else ""


def classify(data: Any) -> Kind:
    """What a parsed document is, from its content alone."""
    if data is None:
        return Kind.EMPTY
    if not isinstance(data, Mapping):
        return Kind.UNKNOWN
    keys = {str(k) for k in data}
    metadata = data.get("metadata")
    if isinstance(data.get("kind"), str) and "apiVersion" in keys:
        if str(data.get("kind")) == "MachineClass" or "MachineClass" in str(
            data.get("spec", {}).get("type", "") if isinstance(data.get("spec"), Mapping) else ""
        ):
            return Kind.LEGACY_MACHINE_CLASS
        return Kind.UNKNOWN
    if isinstance(data.get("kind"), str) and str(data["kind"]) in TEMPLATE_KINDS:
        return Kind.CLUSTER_TEMPLATE
    if isinstance(data.get("kind"), str) and str(data["kind"]).lower() in {
        k.lower() for k in TEMPLATE_KINDS
    }:
        return Kind.CLUSTER_TEMPLATE
    spec = data.get("spec")
    spec_keys = {str(k).lower() for k in spec} if isinstance(spec, Mapping) else set()
    declared = isinstance(metadata, Mapping) and "MachineClass" in str(metadata.get("type", ""))
    if declared or ({"autoprovision", "matchlabels"} & spec_keys):
        # a MachineClass, even with its metadata missing (the mc-metadata rule says so)
        return Kind.MACHINE_CLASS
    if isinstance(data.get("proxmox"), Mapping):
        return Kind.PROVIDER_CONFIG
    if isinstance(data.get("services"), Mapping):
        return Kind.COMPOSE
    return Kind.UNKNOWN


def read_source(path: Path) -> SourceFile:
    """Read and parse `path`; a file that cannot be read or parsed carries `error`.

    Parsed files are cached by path, size and modification time, so a file the lint context
    and the rules both need is parsed once per process. The cache holds at least the files of
    the current run (`reserve`): a fixed size smaller than the run would evict every file
    before its second use and parse each twice.
    """
    try:
        stat = path.stat()
    except OSError:
        return _read_source(path)
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    cached = _CACHE.get(key)
    if cached is None:
        cached = _read_source(path)
        if len(_CACHE) >= _capacity[0]:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = cached
    return cached


_CACHE: dict[tuple[str, int, int], SourceFile] = {}
_capacity = [4096]  # raised by `reserve` to the size of the run


def reserve(files: int) -> None:
    """Let the parse caches hold `files` files: called with the number of files a run reads."""
    _capacity[0] = max(_capacity[0], files + 16)
    reserve_cache(_capacity[0])


def _read_source(path: Path) -> SourceFile:
    source = SourceFile(path)
    try:
        source.text = read_text_file(path, what="file")
        docs = load_all(source.text, path=path, keep_comments=False)
    except InputError as exc:
        source.error = exc
        return source
    for index, data in enumerate(docs):
        pos = line_of(data)
        start = pos[0] if pos is not None else 1
        source.documents.append(
            Document(path, index, data, classify(data), start, file_text=source.text)
        )
    return source
