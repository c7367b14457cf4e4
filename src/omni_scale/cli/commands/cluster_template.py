"""`omni-scale cluster template validate | sync | diff FILE`

Each lints the template first. `validate` then asks omnictl (offline and authoritative) when an
omnictl is found; `sync` and `diff` stop on lint errors and run omnictl from the template's
directory, so `file:` patches resolve the same way with old and new omnictl.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.context import AppContext, pass_app, yes_option
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.adapters.omnictl.run import Omnictl, RunResult
    from omni_scale.lint.context import LintContext
    from omni_scale.lint.engine import LintReport

# omnictl's sync lines (client/pkg/template/operations/sync.go, v1.10.4): `* creating <Type>(<id>)`,
# `* updating ...`, `* tearing down ...`, each with ` (dry run)` before the resource on a dry run;
# `* destroyed <Type>(<id>)` once a torn-down resource is gone. Colour codes are dropped first.
_ACTION_RE = re.compile(
    r"^\* (?P<action>creating|updating|tearing down|destroyed)(?P<dry> \(dry run\))? "
    r"(?P<type>[\w.]+)\((?P<id>[^)]*)\)\s*$"
)
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


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
    """Our lint rules on one template (all rules: ct-* and yaml-syntax apply to it)."""
    from omni_scale.lint.document import Kind
    from omni_scale.lint.engine import lint_files

    report = lint_files([path], build_context_with_omnictl(app))
    source = report.files[0]
    if source.error is None and Kind.CLUSTER_TEMPLATE not in source.kinds:
        raise InputError(
            "not a cluster template (no document with kind: Cluster, ControlPlane, Workers or "
            "Machine)",
            path=path,
            hint="omni-scale cluster create NAME writes one",
        )
    return report


def build_context_with_omnictl(app: AppContext) -> LintContext:
    """The lint context, with the installed omnictl's release when one is found (template fields
    depend on it: ct-omnictl-version)."""
    from omni_scale.adapters.omnictl.version import read_version
    from omni_scale.errors import EnvironmentProblem
    from omni_scale.lint.context import build_context
    from omni_scale.services.omnictl_ensure import find_for_project

    ctx = build_context(app.project)
    found = find_for_project(app.project)
    if found is not None:
        try:
            ctx.omnictl_version = read_version(found.path).tag
        except EnvironmentProblem:
            ctx.omnictl_version = None  # the omnictl steps report a broken binary
    return ctx


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
    """Lint FILE, then run `omnictl cluster template validate` on it (offline).

    Without omnictl it is installed first with --yes (or after asking on a terminal);
    otherwise only the lint runs. Exit 0 when both pass, 1 when either finds an error.
    """
    from omni_scale.adapters.omnictl.errors import error_text
    from omni_scale.adapters.omnictl.run import Omnictl
    from omni_scale.services.omnictl_ensure import find_for_project

    path = _template_path(app, file)
    report = lint_template(app, path)
    found = find_for_project(app.project, app.note)
    client: Omnictl | None = Omnictl(found.path) if found is not None else None
    if client is None and (app.assume_yes or app.interactive):
        # Installed on first use, as the other omnictl commands do (docs/omnictl.md): with
        # --yes, or after asking on a terminal. Without either, validation is lint-only.
        client = _client(app)
    omnictl: dict[str, Any] = {"available": client is not None, "ok": None, "output": None}
    if client is not None:
        omnictl["path"] = str(client.binary)
        result = client.template_validate(path, check=False)
        omnictl["ok"] = result.code == 0
        if result.code != 0:  # offline: any failure is omnictl's verdict on the template
            omnictl["output"] = error_text(result.stderr) or result.stdout.strip()
    ok = report.errors == 0 and omnictl["ok"] is not False
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
        if client is None:
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


def _client(app: AppContext) -> Omnictl:
    from omni_scale.services.omnictl_ensure import ensure_client

    return ensure_client(
        app.project,
        interactive=app.interactive,
        note=app.note,
        assume_yes=app.assume_yes,
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
    result = _client(app).template_sync(path, dry_run=dry_run)
    _warn_notifications(app, result)
    actions = [
        {
            "action": m.group("action"),
            "type": m.group("type"),
            "id": m.group("id"),
        }
        for m in (_ACTION_RE.match(_ANSI_RE.sub("", line)) for line in result.stdout.splitlines())
        if m
    ]
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
    result = _client(app).template_diff(path)
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
