"""`omni-scale machineclass apply NAME... [--all] [--dry-run]`"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.commands.completion import complete_class
from omni_scale.cli.context import AppContext, pass_app, yes_option
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, InputError

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
    from omni_scale.adapters.omnictl.errors import OmnictlRejected
    from omni_scale.core.omni.cluster_health import explain
    from omni_scale.lint.context import build_context
    from omni_scale.lint.engine import lint_files
    from omni_scale.services.omnictl_ensure import ensure_client

    files = _select(app, names, all_)
    report = lint_files(list(files.values()), build_context(app.project))
    lint_json = report.to_json()
    if report.errors:
        data = {"ok": False, "dry_run": dry_run, "lint": lint_json, "classes": [], "refused": True}
        app.emit(data, lambda console: _render_lint(console, report, refused=True))
        return EXIT_PROBLEMS
    client = ensure_client(
        app.project, interactive=app.interactive, note=app.note, assume_yes=app.assume_yes
    )
    results: list[dict[str, Any]] = []
    for class_id, path in files.items():
        app.note(f"omnictl apply -f {app.project.relative(path)}{' --dry-run' if dry_run else ''}")
        entry: dict[str, Any] = {"id": class_id, "file": str(path), "applied": False}
        try:
            result = client.apply(path, dry_run=dry_run)
        except OmnictlRejected as exc:
            cause = explain(exc.message)
            entry.update(error=exc.message, cause=cause.diagnosis, fix=cause.fix)
        else:
            entry.update(applied=not dry_run, output=result.stdout)
            for warning in result.warnings:
                app.warn(f"omnictl: {warning}")
        results.append(entry)
    ok = all("error" not in r for r in results)
    data = {"ok": ok, "dry_run": dry_run, "lint": lint_json, "classes": results}

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

    app.emit(data, render)
    return EXIT_OK if ok else EXIT_USAGE


def _render_lint(console: Console, report: Any, *, refused: bool) -> None:
    from omni_scale.lint.report import as_text

    if report.problems:
        console.print(as_text(report, relative_to=str(Path.cwd())), markup=False)
    if refused:
        console.print(
            f"not applying: fix the {report.errors} lint error(s) above first", markup=False
        )


def _select(app: AppContext, names: tuple[str, ...], all_: bool) -> dict[str, Path]:
    """{class id: file} for the names asked for (ids or file names), in the order given."""
    from omni_scale.lint.document import Kind, read_source

    folder = app.project.machine_classes_dir
    if not folder.is_dir():
        raise InputError(
            "the project has no machine-classes/ folder",
            path=folder,
            hint="create a class first: omni-scale machineclass create NAME",
        )
    if not names and not all_:
        raise InputError(
            "name the classes to apply, or pass --all", hint="omni-scale machineclass list"
        )
    by_id: dict[str, Path] = {}
    by_file: dict[str, tuple[str, Path]] = {}
    for path in sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml")):
        if ".bak" in path.name:
            continue
        for doc in read_source(path).documents:
            if doc.kind not in (Kind.MACHINE_CLASS, Kind.LEGACY_MACHINE_CLASS):
                continue
            metadata = doc.data.get("metadata")
            class_id = (
                str(metadata.get("id") or metadata.get("name") or path.stem)
                if isinstance(metadata, Mapping)
                else path.stem
            )
            by_id.setdefault(class_id, path)
            by_file.setdefault(path.name, (class_id, path))
            by_file.setdefault(path.stem, (class_id, path))
    if all_:
        if not by_id:
            raise InputError("machine-classes/ has no machine classes", path=folder)
        return by_id
    chosen: dict[str, Path] = {}
    for name in names:
        if name in by_id:
            chosen[name] = by_id[name]
        elif name in by_file:
            class_id, path = by_file[name]
            chosen[class_id] = path
        else:
            from omni_scale.services.project_files import unreadable_class_file

            named_file = unreadable_class_file(app.project, name)
            if named_file is not None:
                raise named_file
            known = ", ".join(sorted(by_id)) or "none"
            raise InputError(
                f'machine class "{name}" not found in machine-classes/',
                hint=f"known classes: {known}",
            )
    return chosen
