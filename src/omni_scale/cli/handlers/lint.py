"""`lint` once its arguments are parsed: the lint service, then the report in its format.

Without click (`cli.fast` calls `lint` for `lint [FILE...]`; the click command in
`cli.commands.lint` calls it for every other form)."""

from __future__ import annotations

from pathlib import Path

from omni_scale.cli.output import echo, print_json
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS
from omni_scale.lint.report import as_github, as_sarif, as_text
from omni_scale.services.lint import lint_project

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~1x a bare start
if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console

    from omni_scale.cli.app import AppContext


def lint(
    app: AppContext,
    paths: Sequence[Path],
    fmt: str | None,
    select: Sequence[str],
    ignore: Sequence[str],
    *,
    list_rules: bool = False,
) -> int:
    if list_rules:
        return _list_rules(app)
    report = lint_project(app.project, paths, select=select, ignore=ignore)
    fmt = fmt or ("json" if app.json else "text")
    if fmt == "json":
        print_json(report.to_json())
    elif fmt == "sarif":
        from omni_scale import __version__

        print_json(as_sarif(report, relative_to=str(Path.cwd()), version=__version__))
    elif fmt == "github":
        output = as_github(report, relative_to=str(Path.cwd()))
        if output:
            echo(output, color=False)
    else:
        echo(as_text(report, relative_to=str(Path.cwd())), color=False)
    return EXIT_PROBLEMS if report.errors else EXIT_OK


def _list_rules(app: AppContext) -> int:
    from omni_scale.services.lint import rule_list

    rules = rule_list()

    def render(console: Console) -> None:
        for rule in rules:
            console.print(f"{rule['id']:<32} {rule['severity']:<8} {rule['summary']}")

    app.emit({"rules": rules}, render)
    return EXIT_OK
