"""`check`: lint everything, then plan every machine class and every cluster template (snapshot,
live API, or lint only)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omni_scale.core.placement.model import ClassPlan
from omni_scale.core.placement.replay import plans_to_json
from omni_scale.errors import InputError
from omni_scale.lint.context import build_context
from omni_scale.lint.engine import LintReport, lint_files
from omni_scale.project import Project
from omni_scale.services.cluster_plan import (
    ClusterPlan,
    class_sizes,
    plan_templates,
    read_template,
    template_paths,
)
from omni_scale.services.plan import PlanSource, plan_all, plan_inputs
from omni_scale.services.project_files import loadable_machine_classes
from omni_scale.state import record_summary


@dataclass
class CheckResult:
    report: LintReport
    plans: list[ClassPlan]
    sources: list[PlanSource]
    clusters: list[ClusterPlan] = field(default_factory=list)

    @property
    def mode(self) -> str:
        """`snapshot`, `live`, `lint-only` (nothing to plan on) or `mixed` (per provider)."""
        modes = {s.mode for s in self.sources}
        if not modes or modes == {"none"}:
            return "lint-only"
        if len(modes) == 1:
            return modes.pop()
        return "mixed"

    @property
    def planned(self) -> list[ClassPlan]:
        return [p for p in self.plans if p.source != "none"]

    @property
    def ok(self) -> bool:
        return (
            self.report.errors == 0
            and all(p.ok for p in self.plans)
            and all(c.ok for c in self.clusters)
        )

    def summary(self) -> dict[str, Any]:
        """What the state file keeps as `last_check` (the session hook shows it)."""
        planned = self.planned
        out: dict[str, Any] = {
            "ok": self.ok,
            "mode": self.mode,
            "files": len(self.report.files),
            "errors": self.report.errors,
            "warnings": self.report.warnings,
            "classes_planned": len(planned),
            "clusters_planned": len(self.clusters),
        }
        problems = [f"class {p.id} would fail" for p in planned if not p.ok]
        problems += [f"cluster {c.name or c.path} does not fit" for c in self.clusters if not c.ok]
        if problems:
            out["problems"] = problems
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "mode": self.mode,
            "lint": self.report.to_json(),
            "plan": plans_to_json(self.plans),
            "clusters": [c.to_json() for c in self.clusters],
            "providers": [s.provider_json() for s in self.sources],
            "sources": [s.to_json() for s in self.sources],
        }


def run_check(
    project: Project,
    paths: Sequence[Path],
    *,
    snapshot_file: Path | None,
    live: bool,
    warn: Callable[[str], None],
    record: bool = False,
) -> CheckResult:
    """Lint `paths`, then plan every class that loads (broken files are the linter's to report)
    and every cluster template (as `cluster plan`) on each provider's inventory. The lint runs
    while the live inventory is fetched.

    With `record` the summary is kept as `last_check` in the state file; a state file that
    cannot be updated is a warning, not a failed check."""
    report = LintReport()
    templates = [read_template(p) for p in template_paths(project, [])]

    def lint() -> None:
        nonlocal report
        if paths:
            report = lint_files(list(paths), build_context(project))

    classes, sources = plan_inputs(
        project,
        lambda: loadable_machine_classes(project),
        lint,
        snapshot_file=snapshot_file,
        live=live,
        warn=warn,
        strict=live,
        replicas=lambda: class_sizes(templates),
    )
    plans = plan_all(classes, sources, project)
    clusters = plan_templates(project, templates, classes, sources)
    result = CheckResult(report, plans, list(sources), clusters)
    if record:
        try:
            record_summary(project.state_file, "last_check", result.summary())
        except (InputError, OSError) as exc:
            detail = exc.one_line() if isinstance(exc, InputError) else str(exc)
            warn(f"state file not updated: {detail}")
    return result
