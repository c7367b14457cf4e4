"""The project's cluster templates and the clusters Omni has: what `cluster list`, `cluster
delete`, `machineclass delete` and shell completion read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omni_scale.core.template.model import doc_kind, workers_name
from omni_scale.errors import OmniScaleError
from omni_scale.project import Project
from omni_scale.textio import read_text_file
from omni_scale.yamlio import load_all


@dataclass
class TemplateInfo:
    path: Path
    name: str | None  # the Cluster document's name (None: unreadable or no Cluster document)
    # (machine set kind and name, machine class) of every ControlPlane/Workers document
    classes: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None


def _docs(path: Path) -> list[Any]:

    return load_all(read_text_file(path, what="cluster template"), path=path)


def read_templates(project: Project) -> list[TemplateInfo]:
    """Every clusters/*.yaml, in name order; a file that does not read is listed with its error."""

    folder = project.clusters_dir
    if not folder.is_dir():
        return []
    found: list[TemplateInfo] = []
    for path in sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml")):
        try:
            docs = _docs(path)
        except OmniScaleError as exc:
            found.append(TemplateInfo(path, None, error=exc.one_line()))
            continue
        info = TemplateInfo(path, None)
        for data in docs:
            if not isinstance(data, Mapping):
                continue
            kind = doc_kind(data)
            if kind == "Cluster" and info.name is None:
                info.name = str(data.get("name")) if data.get("name") else None
            elif kind in ("ControlPlane", "Workers"):
                ref = data.get("machineClass")
                if isinstance(ref, Mapping) and ref.get("name"):
                    label = "ControlPlane" if kind == "ControlPlane" else workers_name(data)
                    info.classes.append((label, str(ref["name"])))
        found.append(info)
    return found


def templates_using(project: Project, class_id: str) -> list[tuple[TemplateInfo, str]]:
    """(template, machine set) pairs whose machineClass is `class_id`."""
    return [
        (info, label)
        for info in read_templates(project)
        for label, name in info.classes
        if name == class_id
    ]


@dataclass
class ClusterRow:
    name: str
    template: str | None  # project-relative path of its template
    in_omni: bool | None  # None: Omni not asked
    phase: str | None = None
    healthy: bool | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "template": self.template,
            "in_omni": self.in_omni,
            "phase": self.phase,
            "healthy": self.healthy,
        }


def cluster_rows(project: Project, omni: list[Any] | None) -> list[ClusterRow]:
    """Templates and Omni's clusters (ClusterHealth list, or None when Omni was not asked),
    one row a cluster name."""
    rows: dict[str, ClusterRow] = {}
    for info in read_templates(project):
        if info.name and info.name not in rows:
            rows[info.name] = ClusterRow(info.name, project.relative(info.path), None)
    if omni is not None:
        for row in rows.values():
            row.in_omni = False
        for health in omni:
            row = rows.setdefault(health.name, ClusterRow(health.name, None, True))
            row.in_omni = True
            row.phase = health.phase
            row.healthy = health.healthy
    return sorted(rows.values(), key=lambda r: r.name)
