"""`omni-scale lint [PATH...] [--format text|json|github] [--select ID] [--ignore ID]`"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS, InputError

if TYPE_CHECKING:
    from rich.console import Console


def default_paths(app: AppContext) -> list[Path]:
    project = app.project
    candidates = [project.machine_classes_dir, project.clusters_dir, project.root / "docker"]
    return [p for p in candidates if p.is_dir()]


def nothing_to_lint(app: AppContext) -> InputError:
    """The project has none of the folders lint reads (`lint` and `check` say the same)."""
    return InputError(
        f"nothing to lint in {app.project.root} (no machine-classes/, clusters/ or docker/)",
        hint="start with omni-scale provider setup or omni-scale machineclass create NAME, "
        "or point --project-dir at an infra project",
    )


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default=None,
    help="Output format (default text; json with --json; sarif: SARIF 2.1.0 for code scanning).",
)
@click.option("--select", multiple=True, metavar="RULE", help="Only these rules (repeatable).")
@click.option("--ignore", multiple=True, metavar="RULE", help="Skip these rules (repeatable).")
@click.option("--list-rules", is_flag=True, help="List the rules and exit.")
@pass_app
def command(
    app: AppContext,
    paths: tuple[Path, ...],
    fmt: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    list_rules: bool,
) -> int:
    """Lint machine classes, cluster templates and provider files.

    Default PATHs: the project's machine-classes/, clusters/ and docker/.
    Exit 1 when any error is found. Silence one finding with a comment
    `# omni-scale: ignore=RULE` on its line or the line above.
    """
    from omni_scale.cli.context import print_json
    from omni_scale.lint.context import build_context
    from omni_scale.lint.engine import lint_files
    from omni_scale.lint.report import as_github, as_sarif, as_text

    if list_rules:
        return _list_rules(app)
    targets = list(paths) or default_paths(app)
    if not targets:
        raise nothing_to_lint(app)
    report = lint_files(targets, build_context(app.project), select=select, ignore=ignore)
    fmt = fmt or ("json" if app.json else "text")
    if fmt == "json":
        print_json(report.to_json())
    elif fmt == "sarif":
        from omni_scale import __version__

        print_json(as_sarif(report, relative_to=str(Path.cwd()), version=__version__))
    elif fmt == "github":
        output = as_github(report, relative_to=str(Path.cwd()))
        if output:
            click.echo(output)
    else:
        click.echo(as_text(report, relative_to=str(Path.cwd())))
    return EXIT_PROBLEMS if report.errors else EXIT_OK


def _list_rules(app: AppContext) -> int:
    from omni_scale.lint.rule import all_rules

    rules = [
        {"id": r.id, "severity": str(r.severity), "summary": r.doc.splitlines()[0] if r.doc else ""}
        for r in all_rules()
    ]

    def render(console: Console) -> None:
        for rule in rules:
            console.print(f"{rule['id']:<32} {rule['severity']:<8} {rule['summary']}")

    app.emit({"rules": rules}, render)
    return EXIT_OK
