"""`omni-scale lint [PATH...] [--format text|json|github] [--select ID] [--ignore ID]`"""

from __future__ import annotations

from pathlib import Path

import click

from omni_scale.cli.context import AppContext, pass_app


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
    from omni_scale.cli.handlers.lint import lint  # the lint engine loads when lint runs

    return lint(app, paths, fmt, select, ignore, list_rules=list_rules)
