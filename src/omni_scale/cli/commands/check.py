"""`omni-scale check`: lint everything, then plan every machine class and cluster template."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from rich.console import Console


@click.command("check")
@click.option("--live", is_flag=True, help="Plan on the live Proxmox API, not the snapshot file.")
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Plan from this snapshot file.",
)
@click.option(
    "--no-state",
    is_flag=True,
    help="Do not record the summary as last_check in the state file (e.g. in CI).",
)
@pass_app
def command(app: AppContext, live: bool, snapshot_file: Path | None, no_state: bool) -> int:
    """Lint everything, then plan every machine class and every cluster template.

    Each template's machine sets are replayed through their class's provider and release, and
    the cluster's capacity is checked (as `cluster plan`). The plan uses the project's
    proxmox-snapshot.json (one per provider), the live API when --live is given or there is
    no snapshot, and is skipped (lint only) when neither is available. The output says which
    mode was used. Exit 1 when lint finds an error, a class would fail or a cluster does not
    fit. The summary is kept as last_check in the state file (unless --no-state).
    """
    from omni_scale.cli.commands.cluster_plan import render_clusters, summary_line
    from omni_scale.cli.commands.machineclass_plan import render_plans
    from omni_scale.lint.report import as_text
    from omni_scale.services.check import run_check
    from omni_scale.services.lint import default_paths, nothing_to_lint

    paths = default_paths(app.project)
    if not paths:  # an empty project: what `lint` says, not "ok" (and exit 2 as it does)
        raise nothing_to_lint(app.project)
    result = run_check(
        app.project,
        paths,
        snapshot_file=snapshot_file,
        live=live,
        warn=app.warn,
        record=not no_state,
    )
    for source in result.sources:
        if source.mode == "none" and source.reason:
            app.note(f"plan skipped for provider {source.provider_id}: {source.reason}")
    report, plans, sources, mode, ok = (
        result.report,
        result.plans,
        result.sources,
        result.mode,
        result.ok,
    )
    planned = result.planned
    clusters = result.clusters

    def render(console: Console) -> None:
        console.rule("lint")
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

    app.emit(result.to_json(), render)
    return EXIT_OK if ok else EXIT_PROBLEMS
