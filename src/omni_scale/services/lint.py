"""`lint`: the project's files (or the paths given) through the lint engine, and the rule list."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from omni_scale.errors import InputError
from omni_scale.lint.context import build_context
from omni_scale.lint.docs import summary
from omni_scale.lint.engine import LintReport, lint_files
from omni_scale.lint.rule import all_rules
from omni_scale.project import Project


def default_paths(project: Project) -> list[Path]:
    """The project's machine-classes/, clusters/ and docker/ (those that exist)."""
    candidates = [project.machine_classes_dir, project.clusters_dir, project.root / "docker"]
    return [p for p in candidates if p.is_dir()]


def nothing_to_lint(project: Project) -> InputError:
    """The project has none of the folders lint reads (`lint` and `check` say the same)."""
    return InputError(
        f"nothing to lint in {project.root} (no machine-classes/, clusters/ or docker/)",
        hint="start with omni-scale provider setup or omni-scale machineclass create NAME, "
        "or point --project-dir at an infra project",
    )


def lint_project(
    project: Project,
    paths: Sequence[Path],
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> LintReport:
    targets = list(paths) or default_paths(project)
    if not targets:
        raise nothing_to_lint(project)
    return lint_files(targets, build_context(project), select=select, ignore=ignore)


def rule_list() -> list[dict[str, Any]]:
    """Every rule: id, default severity, what it catches (its docstring's first paragraph)."""
    return [{"id": r.id, "severity": str(r.severity), "summary": summary(r)} for r in all_rules()]
