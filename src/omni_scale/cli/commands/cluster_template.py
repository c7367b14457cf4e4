"""`omni-scale cluster template validate | sync | diff FILE`

Each lints the template first. `validate` then asks omnictl (offline and authoritative) when an
omnictl is found; `sync` and `diff` stop on lint errors and run omnictl from the template's
directory, so `file:` patches resolve the same way with old and new omnictl.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.context import AppContext, pass_app, yes_option
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.adapters.omnictl.run import Omnictl, RunResult
    from omni_scale.lint.engine import LintReport


@click.group("template")
def command() -> None:
    """Validate, sync and diff cluster templates (clusters/*.yaml)."""


def _template_path(app: AppContext, file: Path) -> Path:
    path = file if file.is_absolute() else Path.cwd() / file
    if not path.exists() and not file.is_absolute():
        in_project = app.project.root / file
        path = in_project if in_project.exists() else path
    if not path.is_file():
        raise InputError(
            f"{file} does not exist",
            hint="give a template file, e.g. clusters/<name>.yaml",
            path=file,
        )
    return path.resolve()


def lint_template(app: AppContext, path: Path) -> LintReport:
    from omni_scale.services.cluster_template import lint_template as lint

    return lint(app.project, path)


def _lint_json(report: LintReport) -> dict[str, Any]:
    data = report.to_json()
    return {"problems": data["problems"], "summary": data["summary"]}


def _print_lint(console: Console, report: LintReport) -> None:
    from omni_scale.lint.report import as_text

    if report.problems:
        console.print(as_text(report, relative_to=str(Path.cwd())), markup=False)


def _warn_notifications(app: AppContext, result: RunResult) -> None:
    for warning in result.warnings:
        app.warn(f"omnictl: {warning}")


@command.command("validate")
@click.argument("file", type=click.Path(path_type=Path))
@yes_option
@pass_app
def validate(app: AppContext, file: Path) -> int:
    """Lint FILE, then run `omnictl cluster template validate` on it (offline) if omnictl is found.

    Exit 0 when both pass, 1 when either finds an error.
    """
    from omni_scale.services.cluster_template import validate as run_validate

    path = _template_path(app, file)
    checked = run_validate(app.project, path, app.note)
    report, omnictl = checked.report, checked.omnictl
    ok = checked.ok
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
                "omnictl: not found, skipped its validation (omni-scale omnictl install)",
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


def _client(app: AppContext) -> Omnictl:
    from omni_scale.services.omnictl_ensure import ensure_client

    return ensure_client(
        app.project,
        interactive=app.interactive,
        note=app.note,
        assume_yes=app.assume_yes,
        confirm=app.confirm,
        timeout=300,
    )


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
    path = _template_path(app, file)
    report = lint_template(app, path)
    if report.errors:
        return _refuse(app, path, report, "sync")
    app.note(f"omnictl cluster template sync{' --dry-run' if dry_run else ''} -f {path.name}")
    from omni_scale.services.cluster_template import sync as run_sync
    from omni_scale.services.cluster_template import sync_actions

    result = run_sync(_client(app), path, dry_run=dry_run)
    _warn_notifications(app, result)
    actions = sync_actions(result.stdout)
    data = {
        "file": str(path),
        "ok": True,
        "dry_run": dry_run,
        "lint": _lint_json(report),
        "actions": actions,
        "output": result.stdout,
    }

    def render(console: Console) -> None:
        _print_lint(console, report)
        console.print(result.stdout.rstrip() or "nothing to change", markup=False)
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
    path = _template_path(app, file)
    report = lint_template(app, path)
    if report.errors:
        return _refuse(app, path, report, "diff")
    from omni_scale.services.cluster_template import diff as run_diff

    result = run_diff(_client(app), path)
    _warn_notifications(app, result)
    data = {
        "file": str(path),
        "ok": True,
        "lint": _lint_json(report),
        "changed": bool(result.stdout.strip()),
        "diff": result.stdout,
    }

    def render(console: Console) -> None:
        _print_lint(console, report)
        console.print(result.stdout.rstrip() or "no differences", markup=False)

    app.emit(data, render)
    return EXIT_OK
