"""`omni-scale cluster template validate | sync | diff FILE`

Each lints the template first (services/cluster_template.py). `validate` then asks omnictl
(offline and authoritative) when an omnictl is found; `sync` and `diff` stop on lint errors and
run omnictl from the template's directory, so `file:` patches resolve the same way with old and
new omnictl.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.context import AppContext, pass_app, yes_option
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.lint.engine import LintReport
    from omni_scale.services.cluster_template import Prompts


@click.group("template")
def command() -> None:
    """Validate, sync and diff cluster templates (clusters/*.yaml)."""


def _prompts(app: AppContext) -> Prompts:
    from omni_scale.services.cluster_template import Prompts

    return Prompts(
        note=app.note,
        warn=app.warn,
        interactive=app.interactive,
        assume_yes=app.assume_yes,
        confirm=app.confirm,
    )


def _template_path(app: AppContext, file: Path) -> Path:
    from omni_scale.services.cluster_template import template_path

    return template_path(app.project, file)


def _lint_json(report: LintReport) -> dict[str, Any]:
    data = report.to_json()
    return {"problems": data["problems"], "summary": data["summary"]}


def _print_lint(console: Console, report: LintReport) -> None:
    from omni_scale.lint.report import as_text

    if report.problems:
        console.print(as_text(report, relative_to=str(Path.cwd())), markup=False)


@command.command("validate")
@click.argument("file", type=click.Path(path_type=Path))
@yes_option
@pass_app
def validate(app: AppContext, file: Path) -> int:
    """Lint FILE, then run `omnictl cluster template validate` on it (offline).

    Without omnictl it is installed first with --yes (or after asking on a terminal);
    otherwise only the lint runs. Exit 0 when both pass, 1 when either finds an error.
    """
    from omni_scale.services.cluster_template import validate as validate_template

    path = _template_path(app, file)
    validation = validate_template(app.project, path, _prompts(app))
    report, omnictl = validation.report, validation.omnictl
    ok = validation.ok
    data = {
        "file": str(path),
        "ok": ok,
        "lint": _lint_json(report),
        "omnictl": omnictl,
    }

    def render(console: Console) -> None:
        _print_lint(console, report)
        lint_line = (
            f"lint: {report.errors} error(s), {report.warnings} warning(s)"
            if report.problems
            else "lint: no problems"
        )
        console.print(lint_line, markup=False)
        if not omnictl["available"]:
            console.print(
                "omnictl: not found, skipped its validation (omni-scale omnictl install, or "
                "pass --yes to install it now)",
                markup=False,
            )
        elif omnictl["ok"]:
            console.print("omnictl cluster template validate: ok", markup=False)
        else:
            console.print(f"omnictl cluster template validate: {omnictl['output']}", markup=False)

    app.emit(data, render)
    return EXIT_OK if ok else EXIT_PROBLEMS


def _refuse(app: AppContext, path: Path, report: LintReport, action: str) -> int:
    data = {
        "file": str(path),
        "ok": False,
        "lint": _lint_json(report),
        "omnictl": None,
        "refused": f"{report.errors} lint error(s): {action} not run",
    }

    def render(console: Console) -> None:
        _print_lint(console, report)
        console.print(
            f"not running omnictl {action}: fix the {report.errors} error(s) above first",
            markup=False,
        )

    app.emit(data, render)
    return EXIT_PROBLEMS


@command.command("sync")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", "-d", is_flag=True, help="Show what would change; change nothing.")
@yes_option
@pass_app
def sync(app: AppContext, file: Path, dry_run: bool) -> int:
    """Lint FILE, and when it has no errors, `omnictl cluster template sync` it.

    Runs from the template's directory. Sync does not wait for the cluster to be healthy:
    follow it with `omni-scale cluster status NAME --watch`.
    """
    from omni_scale.services.cluster_template import sync as sync_template

    path = _template_path(app, file)
    outcome = sync_template(app.project, path, _prompts(app), dry_run=dry_run)
    report, output = outcome.report, outcome.output
    if output is None:
        return _refuse(app, path, report, "sync")
    actions = outcome.actions
    data = {
        "file": str(path),
        "ok": True,
        "dry_run": dry_run,
        "lint": _lint_json(report),
        "actions": actions,
        "output": output,
    }

    def render(console: Console) -> None:
        _print_lint(console, report)
        console.print(output.rstrip() or "nothing to change", markup=False)
        if not dry_run:
            console.print(
                "synced; follow the cluster with: omni-scale cluster status --watch",
                markup=False,
            )

    app.emit(data, render)
    return EXIT_OK


@command.command("diff")
@click.argument("file", type=click.Path(path_type=Path))
@yes_option
@pass_app
def diff(app: AppContext, file: Path) -> int:
    """Lint FILE, then show `omnictl cluster template diff` (what sync would change).

    Exit 0 with or without differences (as omnictl), 1 on lint errors.
    """
    from omni_scale.services.cluster_template import diff as diff_template

    path = _template_path(app, file)
    outcome = diff_template(app.project, path, _prompts(app))
    report, output = outcome.report, outcome.output
    if output is None:
        return _refuse(app, path, report, "diff")
    data = {
        "file": str(path),
        "ok": True,
        "lint": _lint_json(report),
        "changed": bool(output.strip()),
        "diff": output,
    }

    def render(console: Console) -> None:
        _print_lint(console, report)
        console.print(output.rstrip() or "no differences", markup=False)

    app.emit(data, render)
    return EXIT_OK
