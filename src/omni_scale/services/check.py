"""`check`: lint everything, then plan every machine class and every cluster template (snapshot,
live API, or lint only)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from omni_scale.core.placement.model import ClassPlan
from omni_scale.core.placement.replay import plans_to_json
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
) -> CheckResult:
    """Lint `paths`, then plan every class that loads (broken files are the linter's to report)
    and every cluster template (as `cluster plan`) on each provider's inventory. The lint runs
    while the live inventory is fetched."""
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
    return CheckResult(report, plans, list(sources), clusters)
