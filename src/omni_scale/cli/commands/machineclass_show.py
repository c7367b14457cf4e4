"""`omni-scale machineclass show NAME`: one class, its providerdata with defaults, its problems."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from omni_scale.cli.commands.completion import complete_class
from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from rich.console import Console


def _cell(value: Any) -> str:
    """A value for the table; list items as `key=value` of what is set."""
    if isinstance(value, list | tuple):
        items = []
        for item in value:
            if isinstance(item, dict):
                set_ = [f"{k}={v}" for k, v in item.items() if v not in (None, False)]
                items.append(", ".join(set_))
            else:
                items.append(str(item))
        return "\n".join(items)
    return str(value)


@click.command("show")
@click.argument("name", shell_complete=complete_class)
@pass_app
def command(app: AppContext, name: str) -> int:
    """Show machine class NAME: where it is, its providerdata (with the provider's defaults for
    keys it leaves out) and its lint problems. Exit 1 when it has lint errors."""
    from omni_scale.services.machineclass_show import show_class

    machine_class, result, errors = show_class(app.project, name)
    header = (
        f"[bold]{escape(machine_class.id)}[/]  {escape(str(result['path']))}:"
        f"{machine_class.line}  providerid {escape(machine_class.providerid or '-')}"
    )

    def render(console: Console) -> None:
        console.print(header)
        if result["providerdata"] is not None:
            console.print(_table(result["providerdata"], set(result["explicit"])))
        elif result["error"]:
            console.print(Text(f"providerdata: {result['error']}", style="red"))
        _problems(console, result["problems"])

    app.emit(result, render)
    return EXIT_PROBLEMS if errors else EXIT_OK


def _table(providerdata: dict[str, Any], explicit: set[str]) -> Table:
    """Every key the class sets, and the provider's defaults for the others (when they
    mean something)."""
    table = Table(box=None, pad_edge=False, show_header=True)
    table.add_column("KEY")
    table.add_column("VALUE", overflow="fold")
    table.add_column("")
    for key, value in providerdata.items():
        if key == "extra" or (value in (None, (), []) and key not in explicit):
            continue
        note = "" if key in explicit else "default"
        if key == "sockets" and value is None:
            value, note = 0, "unset: the provider sends 0"
        table.add_row(key, Text(_cell(value)), note)
    for key, value in providerdata["extra"].items():
        table.add_row(Text(key), Text(str(value)), "not typed here / ignored if unknown")
    return table


def _problems(console: Console, problems: list[dict[str, Any]]) -> None:
    if not problems:
        console.print("no lint problems")
        return
    console.print(f"{len(problems)} problem(s):")
    for p in problems:
        console.print(
            f"  {p['line']}:{p['column']} {p['severity']} [{p['rule']}] {p['message']}",
            markup=False,
        )
        if p["hint"]:
            console.print(f"      hint: {p['hint']}", markup=False)
