"""`omni-scale check`: lint everything, then plan every machine class."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.core.machineclass import MachineClass


def _classes(app: AppContext) -> list[MachineClass]:
    """Every class that loads; broken files are the linter's to report."""
    from omni_scale.services.cluster_plan import project_classes

    return project_classes(app.project)


def _mode(modes: set[str]) -> str:
    if not modes or modes == {"none"}:
        return "lint-only"
    if len(modes) == 1:
        return modes.pop()
    return "mixed"


@click.command("check")
@click.option("--live", is_flag=True, help="Plan on the live Proxmox API, not the snapshot file.")
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Plan from this snapshot file.",
)
@pass_app
def command(app: AppContext, live: bool, snapshot_file: Path | None) -> int:
    """Lint everything, then plan every machine class and every cluster template.

    Each template's machine sets are replayed through their class's provider and release, and
    the cluster's capacity is checked (as `cluster plan`). The plan uses the project's
    proxmox-snapshot.json (one per provider), the live API when --live is given or there is
    no snapshot, and is skipped (lint only) when neither is available. The output says which
    mode was used. Exit 1 when lint finds an error, a class would fail or a cluster does not
    fit.
    """
    from omni_scale.adapters.proxmox.planning import plan_all, plan_inputs
    from omni_scale.cli.commands.cluster_plan import render_clusters, summary_line
    from omni_scale.cli.commands.lint import default_paths
    from omni_scale.cli.commands.machineclass_plan import check_source_options, render_plans
    from omni_scale.core.placement.plan import plans_to_json
    from omni_scale.lint.context import build_context
    from omni_scale.lint.engine import LintReport, lint_files
    from omni_scale.lint.report import as_text
    from omni_scale.services.cluster_plan import (
        class_sizes,
        plan_templates,
        read_template,
        template_paths,
    )

    check_source_options(snapshot_file, live)
    project = app.project
    paths = default_paths(app)
    report = LintReport()

    def lint() -> None:
        nonlocal report
        if paths:
            report = lint_files(paths, build_context(project))

    templates = [read_template(p) for p in template_paths(project, [])]
    classes, sources = plan_inputs(
        project,
        lambda: _classes(app),
        lint,
        snapshot_file=snapshot_file,
        live=live,
        warn=app.warn,
        strict=live,
        replicas=lambda: class_sizes(templates),
    )
    for source in sources:
        if source.mode == "none" and source.reason:
            app.note(f"plan skipped for provider {source.provider_id}: {source.reason}")
    plans = plan_all(classes, sources, project)
    clusters = plan_templates(project, templates, classes, sources)
    mode = _mode({s.mode for s in sources})
    planned = [p for p in plans if p.source != "none"]
    ok = report.errors == 0 and all(p.ok for p in plans) and all(c.ok for c in clusters)
    data: dict[str, object] = {
        "ok": ok,
        "mode": mode,
        "lint": report.to_json(),
        "plan": plans_to_json(plans),
        "clusters": [c.to_json() for c in clusters],
        "providers": [s.provider_json() for s in sources],
        "sources": [s.to_json() for s in sources],
    }

    def render(console: Console) -> None:
        console.rule("lint")
        if not paths:
            console.print("nothing to lint (no machine-classes/, clusters/ or docker/)")
        else:
            console.print(as_text(report, relative_to=str(Path.cwd())), markup=False)
        console.rule(f"plan ({mode})")
        if mode == "lint-only":
            console.print(
                "lint only: no proxmox-snapshot.json and no reachable Proxmox config "
                "(take a snapshot with `omni-scale proxmox snapshot`)"
            )
        render_plans(console, plans, sources)
        if clusters and mode != "lint-only":
            console.rule("clusters")
            render_clusters(console, clusters, [])
        failing = [p.id for p in planned if not p.ok]
        verdict = "ok" if ok else "problems found"
        detail = f"{report.errors} lint error(s), {report.warnings} warning(s); "
        detail += f"{len(planned)} class(es) planned"
        if failing:
            detail += f", failing: {', '.join(failing)}"
        if clusters:
            detail += "; " + summary_line(clusters)
        console.print(f"[bold]{verdict}[/bold]: {detail}")

    app.emit(data, render)
    return EXIT_OK if ok else EXIT_PROBLEMS
