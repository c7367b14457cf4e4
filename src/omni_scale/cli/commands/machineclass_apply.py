"""`omni-scale machineclass apply NAME... [--all] [--dry-run]`"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.commands.completion import complete_class
from omni_scale.cli.context import AppContext, pass_app, yes_option
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

if TYPE_CHECKING:
    from rich.console import Console


@click.command("apply")
@click.argument("names", nargs=-1, shell_complete=complete_class)
@click.option("--all", "all_", is_flag=True, help="Every class in machine-classes/.")
@click.option(
    "--dry-run",
    "-d",
    is_flag=True,
    help="Show what would change (client-side only: Omni does not check providerdata then).",
)
@yes_option
@pass_app
def command(app: AppContext, names: tuple[str, ...], all_: bool, dry_run: bool) -> int:
    """Lint the named machine classes, then `omnictl apply -f` each file.

    NAME is a class id (metadata.id) or a file name in machine-classes/. Lint errors stop
    everything before omnictl runs. Exit 0 all applied, 1 lint errors, 2 Omni rejected a class,
    3 Omni unreachable or credentials refused.
    """
    from omni_scale.services.machineclass_apply import apply_classes, select_classes

    result = apply_classes(
        app.project,
        select_classes(app.project, names, all_),
        dry_run=dry_run,
        client=app.omnictl,
        note=app.note,
        warn=app.warn,
    )
    report, results = result.report, result.classes
    if result.refused:
        app.emit(result.to_json(), lambda console: _render_lint(console, report, refused=True))
        return EXIT_PROBLEMS

    def render(console: Console) -> None:
        _render_lint(console, report, refused=False)
        for entry in results:
            if "error" in entry:
                console.print(f"{entry['id']}: rejected: {entry['error']}", markup=False)
                if entry.get("cause"):
                    console.print(f"  likely cause: {entry['cause']}", markup=False)
                    console.print(f"  fix: {entry['fix']}", markup=False)
            elif dry_run:
                console.print(f"{entry['id']}: dry run", markup=False)
                if entry.get("output"):
                    console.print(entry["output"].rstrip(), markup=False)
            else:
                console.print(f"{entry['id']}: applied", markup=False)
        if dry_run:
            console.print(
                "dry run: omnictl checks client-side only; Omni validates providerdata on apply",
                markup=False,
            )

    app.emit(result.to_json(), render)
    return EXIT_OK if result.ok else EXIT_USAGE


def _render_lint(console: Console, report: Any, *, refused: bool) -> None:
    from omni_scale.lint.report import as_text

    if report.problems:
        console.print(as_text(report, relative_to=str(Path.cwd())), markup=False)
    if refused:
        console.print(
            f"not applying: fix the {report.errors} lint error(s) above first", markup=False
        )
