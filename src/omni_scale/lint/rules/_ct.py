"""Helpers shared by the cluster-template (ct-*) rules (not a rule: the underscore hides it)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omni_scale.core.talos.keys import KeyTables
from omni_scale.lint.document import Document, Kind, SourceFile
from omni_scale.lint.problem import Problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext


@dataclass
class TemplateFile:
    """A file holding cluster-template documents, with its documents by kind."""

    source: SourceFile
    docs: list[Document] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Document]:
        return [d for d in self.docs if str(d.data.get("kind")) == kind]

    @property
    def cluster_name(self) -> str:
        clusters = self.of_kind("Cluster")
        return str(clusters[0].data.get("name") or "") if clusters else ""


def template_files(files: list[SourceFile]) -> Iterator[TemplateFile]:
    for source in files:
        docs = [d for d in source.documents if d.kind is Kind.CLUSTER_TEMPLATE]
        if docs:
            yield TemplateFile(source, docs)


def mapping(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def kind_of(doc: Document) -> str:
    return str(doc.data.get("kind")) if isinstance(doc.data, Mapping) else ""


def machine_class_of(doc: Document) -> Mapping[str, Any] | None:
    return mapping(doc.data.get("machineClass"))


def machine_class_kinds(ctx: LintContext) -> dict[str, str] | None:
    """{class id: "autoprovision" | "matchlabels"} from machine-classes/ (None if no folder)."""
    if ctx.project is None or not ctx.project.machine_classes_dir.is_dir():
        return None
    from omni_scale.lint.document import read_source

    folder = ctx.project.machine_classes_dir
    paths = sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    key = tuple((str(p), p.stat().st_mtime_ns) for p in paths)
    cached = _CLASS_CACHE.get(str(folder))
    if cached is not None and cached[0] == key:
        return cached[1]
    kinds: dict[str, str] = {}
    for path in paths:
        for doc in read_source(path).documents:
            if doc.kind is not Kind.MACHINE_CLASS:
                continue
            metadata = mapping(doc.data.get("metadata"))
            spec = mapping(doc.data.get("spec"))
            if metadata is None or not metadata.get("id") or spec is None:
                continue
            auto = spec.get("autoprovision")
            kinds[str(metadata["id"])] = "autoprovision" if auto else "matchlabels"
    _CLASS_CACHE[str(folder)] = (key, kinds)
    return kinds


_CLASS_CACHE: dict[str, tuple[tuple[tuple[str, int], ...], dict[str, str]]] = {}


@cache
def talos_tables() -> KeyTables:
    """The shipped Talos key tables (package data, read once per process)."""
    import json
    from importlib import resources

    from omni_scale.core.talos.keys import DATA_FILE, DATA_PACKAGE

    text = resources.files(DATA_PACKAGE).joinpath(DATA_FILE).read_text(encoding="utf-8")
    return KeyTables(json.loads(text))


def template_dir(doc: Document) -> Path:
    return _resolved(str(doc.path), "").parent


def patch_target(doc: Document, raw: str) -> Path:
    """The absolute, resolved path of a template's `file:` (relative to its directory)."""
    return _resolved(str(template_dir(doc)), raw)


@lru_cache(maxsize=8192)
def _resolved(base: str, raw: str) -> Path:
    # several rules resolve the same patch paths; resolve() costs system calls
    return (Path(base) / raw).resolve() if raw else Path(base).resolve()


def reserved_descriptors(
    doc: Document, item: Mapping[str, Any], rule_id: str, prefix: str
) -> Iterator[Problem]:
    """Descriptors.Validate: no `omni.sidero.dev/` label or annotation keys."""
    from omni_scale.core.template.model import RESERVED_PREFIX
    from omni_scale.lint.problem import Severity
    from omni_scale.lint.rule import make_problem

    for field_name in ("labels", "annotations"):
        values = item.get(field_name)
        if not isinstance(values, Mapping):
            continue
        for key in values:
            if str(key).startswith(RESERVED_PREFIX):
                yield make_problem(
                    rule_id,
                    Severity.ERROR,
                    doc,
                    f'{prefix}{field_name[:-1]} "{key}" is invalid: prefix "{RESERVED_PREFIX}" '
                    "is reserved for internal use",
                    hint="use your own prefix, e.g. example.com/<key>",
                    node=values,
                    key=key,
                )


def referenced_files(folder: Path) -> frozenset[Path]:
    """Files the cluster templates under `folder` refer to (`file:` of patches, manifests and
    healthchecks), resolved: patch and manifest files, not templates."""
    paths = sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    key = tuple((str(p), p.stat().st_mtime_ns) for p in paths)
    cached = _REFERENCED_CACHE.get(str(folder))
    if cached is not None and cached[0] == key:
        return cached[1]
    from omni_scale.lint.document import read_source

    found: set[Path] = set()
    for path in paths:
        for doc in read_source(path).documents:
            if doc.kind is not Kind.CLUSTER_TEMPLATE:
                continue
            items: list[Any] = []
            for field_name in ("patches",):
                value = doc.data.get(field_name)
                items += value if isinstance(value, list) else []
            kubernetes = mapping(doc.data.get("kubernetes"))
            for field_name in ("manifests", "healthchecks"):
                value = kubernetes.get(field_name) if kubernetes is not None else None
                items += value if isinstance(value, list) else []
            for item in items:
                raw = item.get("file") if isinstance(item, Mapping) else None
                if raw:
                    found.add(patch_target(doc, str(raw)))
    result = frozenset(found)
    _REFERENCED_CACHE[str(folder)] = (key, result)
    return result


_REFERENCED_CACHE: dict[str, tuple[tuple[tuple[str, int], ...], frozenset[Path]]] = {}
