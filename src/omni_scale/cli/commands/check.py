"""`omni-scale check`: lint everything, then plan every machine class."""

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
@pass_app
def command(app: AppContext, live: bool, snapshot_file: Path | None) -> int:
    """Lint everything, then plan every machine class.

    The plan uses the project's proxmox-snapshot.json (one per provider), the live API when
    --live is given or there is no snapshot, and is skipped (lint only) when neither is
    available. The output says which mode was used. Exit 1 when lint finds an error or a
    class would fail.
    """
    from omni_scale.cli.commands.lint import default_paths
    from omni_scale.cli.commands.machineclass_plan import check_source_options, render_plans
    from omni_scale.lint.report import as_text
    from omni_scale.services.check import run_check

    check_source_options(snapshot_file, live)
    paths = default_paths(app)
    result = run_check(app.project, paths, snapshot_file=snapshot_file, live=live, warn=app.warn)
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
        failing = [p.id for p in planned if not p.ok]
        verdict = "ok" if ok else "problems found"
        detail = f"{report.errors} lint error(s), {report.warnings} warning(s); "
        detail += f"{len(planned)} class(es) planned"
        if failing:
            detail += f", failing: {', '.join(failing)}"
        console.print(f"[bold]{verdict}[/bold]: {detail}")

    app.emit(result.to_json(), render)
    return EXIT_OK if ok else EXIT_PROBLEMS
