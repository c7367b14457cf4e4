"""`machineclass apply`: lint the named classes, then `omnictl apply -f` each file.

Lint errors stop everything before omnictl runs; a class Omni rejects is reported with its
likely cause and the others are still applied.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omni_scale.adapters.omnictl.errors import OmnictlRejected
from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.core.omni.cluster_health import explain
from omni_scale.errors import InputError
from omni_scale.lint.context import build_context
from omni_scale.lint.document import Kind, read_source
from omni_scale.lint.engine import LintReport, lint_files
from omni_scale.project import Project
from omni_scale.services.project_files import unreadable_class_file
from omni_scale.yamlio import yaml_files


@dataclass
class ApplyResult:
    dry_run: bool
    report: LintReport
    classes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """Lint found errors, so nothing was applied."""
        return self.report.errors > 0

    @property
    def ok(self) -> bool:
        return not self.refused and all("error" not in c for c in self.classes)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "lint": self.report.to_json(),
            "classes": self.classes,
        }
        if self.refused:
            data["refused"] = True
        return data


def select_classes(project: Project, names: Sequence[str], all_: bool) -> dict[str, Path]:
    """{class id: file} for the names asked for (ids or file names), in the order given."""
    folder = project.machine_classes_dir
    if not folder.is_dir():
        raise InputError(
            "the project has no machine-classes/ folder",
            path=folder,
            hint="create a class first: omni-scale machineclass create NAME",
        )
    if not names and not all_:
        raise InputError(
            "name the classes to apply, or pass --all", hint="omni-scale machineclass list"
        )
    by_id, by_file = _index(folder)
    if all_:
        if not by_id:
            raise InputError("machine-classes/ has no machine classes", path=folder)
        return by_id
    chosen: dict[str, Path] = {}
    for name in names:
        if name in by_id:
            chosen[name] = by_id[name]
        elif name in by_file:
            class_id, path = by_file[name]
            chosen[class_id] = path
        else:
            named_file = unreadable_class_file(project, name)
            if named_file is not None:
                raise named_file
            known = ", ".join(sorted(by_id)) or "none"
            raise InputError(
                f'machine class "{name}" not found in machine-classes/',
                hint=f"known classes: {known}",
            )
    return chosen


def _index(folder: Path) -> tuple[dict[str, Path], dict[str, tuple[str, Path]]]:
    """({class id: file}, {file name or stem: (class id, file)}) of a machine-classes folder."""
    by_id: dict[str, Path] = {}
    by_file: dict[str, tuple[str, Path]] = {}
    for path in yaml_files(folder):
        for doc in read_source(path).documents:
            if doc.kind not in (Kind.MACHINE_CLASS, Kind.LEGACY_MACHINE_CLASS):
                continue
            metadata = doc.data.get("metadata")
            class_id = (
                str(metadata.get("id") or metadata.get("name") or path.stem)
                if isinstance(metadata, Mapping)
                else path.stem
            )
            by_id.setdefault(class_id, path)
            by_file.setdefault(path.name, (class_id, path))
            by_file.setdefault(path.stem, (class_id, path))
    return by_id, by_file


def apply_classes(
    project: Project,
    files: Mapping[str, Path],
    *,
    dry_run: bool,
    client: Callable[[], Omnictl],
    note: Callable[[str], None],
    warn: Callable[[str], None],
) -> ApplyResult:
    """Lint `files`; without errors, `omnictl apply -f` each (`client()` finds omnictl only
    then, so a refused lint never asks to install it)."""
    report = lint_files(list(files.values()), build_context(project))
    result = ApplyResult(dry_run, report)
    if result.refused:
        return result
    omnictl = client()
    for class_id, path in files.items():
        note(f"omnictl apply -f {project.relative(path)}{' --dry-run' if dry_run else ''}")
        entry: dict[str, Any] = {"id": class_id, "file": str(path), "applied": False}
        try:
            applied = omnictl.apply(path, dry_run=dry_run)
        except OmnictlRejected as exc:
            cause = explain(exc.message)
            entry.update(error=exc.message, cause=cause.diagnosis, fix=cause.fix)
        else:
            entry.update(applied=not dry_run, output=applied.stdout)
            for warning in applied.warnings:
                warn(f"omnictl: {warning}")
        result.classes.append(entry)
    return result
