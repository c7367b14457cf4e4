"""`selector check` once its arguments are parsed: the service, then the verdict or the table.

Without click (`cli.fast` calls `check` for `selector check EXPR`; the click command in
`cli.commands.selector` calls it for every other form)."""

from __future__ import annotations

import sys

from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~1x a bare start
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

    from rich.console import Console

    from omni_scale.cli.app import AppContext
    from omni_scale.core.selector.evaluate import Pick, SelectorProblem, Storage

DEFAULT_NODE = "pve1"


def check(
    app: AppContext,
    expr: str,
    storages_file: Path | None,
    snapshot_file: Path | None,
    node: str | None,
) -> int:
    # imported here: `cli.commands.selector` imports this module to declare its options,
    # and `selector --help` should not load the CEL library
    from omni_scale.services.selector_check import check_selector

    if expr == "-":
        expr = sys.stdin.read().rstrip("\n")
    checked = check_selector(expr, storages_file, snapshot_file, node, DEFAULT_NODE)
    problem, storages, pick, node = checked.problem, checked.storages, checked.pick, checked.node
    data = _result(expr, node, problem, storages, pick)
    if app.json or pick is not None:
        app.emit(data, lambda console: _render(console, node, storages, pick))
    else:
        # a verdict in two or three lines: plain lines, rich is for the table (~40 ms to load)
        _print_verdict(app, problem)
    if problem is not None or (pick is not None and pick.storage is None):
        return EXIT_PROBLEMS
    return EXIT_OK


def _result(
    expr: str,
    node: str,
    problem: SelectorProblem | None,
    storages: list[Storage] | None,
    pick: Pick | None,
) -> dict[str, Any]:
    error = problem.message if problem else (pick.error if pick else None)
    return {
        "selector": expr,
        "node": node,
        "valid": problem is None,
        "error": error,
        "hint": problem.hint if problem else _pick_hint(pick, storages or []),
        "line": problem.line if problem else None,
        "column": problem.column if problem else None,
        "results": [{"name": r.name, "result": r.result, "error": r.error} for r in pick.results]
        if pick
        else [],
        "first_match": pick.storage if pick else None,
        "matches": list(pick.matches) if pick else [],
        "storages_checked": storages is not None,
    }


def _pick_hint(pick: Pick | None, storages: list[Storage]) -> str | None:
    if pick is None:
        return None
    if pick.storage is None and not any(r.error for r in pick.results):
        listed = ", ".join(f"{s.name} ({s.type})" for s in storages[:12])
        more = f", and {len(storages) - 12} more" if len(storages) > 12 else ""
        return f"the storages here are: {listed}{more}" if storages else "the node has no storages"
    if pick.storage is None:
        return (
            "the provider stops at the first evaluation error: guard it, e.g. `a > b && a - b > c`"
        )
    if len(pick.matches) > 1:
        return (
            "several storages match: the provider takes the first in Proxmox's API order, which "
            f'is not guaranteed; narrow it, e.g. name == "{pick.storage}"'
        )
    return None


def _print_verdict(app: AppContext, problem: SelectorProblem | None) -> None:
    if problem is not None:
        app.echo("✗ invalid selector (the provider rejects it):", fg="red", bold=True)
        app.echo(problem.message)  # as is: the caret stays under the column
        if problem.hint:
            app.echo(f"hint: {problem.hint}", fg="yellow")
        return
    app.echo("✓ valid selector", fg="green", bold=True)
    app.echo("try it against storages: --storages FILE", dim=True)
    app.echo("  (pvesh get /nodes/NODE/storage --output-format json)", dim=True)
    app.echo("  or --snapshot proxmox-snapshot.json --node N", dim=True)


def _render(console: Console, node: str, storages: list[Storage] | None, pick: Pick | None) -> None:
    from rich.table import Table
    from rich.text import Text

    if storages is None or pick is None:
        return  # the verdict alone: _print_verdict
    console.print(Text("✓ valid selector", style="bold green"))
    table = Table(title=f"storages of {node}, in the order given", title_justify="left")
    for column in ("storage", "type", "avail", "result", ""):
        table.add_column(column)
    by_name = {s.name: s for s in storages}
    for result in pick.results:
        storage = by_name.get(result.name)
        if result.error is not None:
            outcome = Text(f"error: {result.error}", style="red")
        else:
            outcome = Text(str(result.result).lower(), style="green" if result.result else "dim")
        mark = "← picked" if result.name == pick.storage else ""
        table.add_row(
            Text(result.name),
            Text(storage.type if storage else ""),
            _size(storage.avail) if storage else "",
            outcome,
            mark,
        )
    console.print(table)
    if pick.storage is not None:
        console.print(Text(f"the provider picks: {pick.storage}", style="bold"))
    else:
        console.print(Text(f"the provider fails: {pick.error}", style="bold red"), soft_wrap=True)
    hint = _pick_hint(pick, storages)
    if hint:
        console.print(Text(f"hint: {hint}", style="yellow"))


def _size(avail: int) -> str:
    value = float(avail)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if value < 1024 or unit == "PiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{avail} B"
