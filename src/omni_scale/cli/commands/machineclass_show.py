"""`omni-scale machineclass show NAME`: one class, its providerdata with defaults, its problems."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.commands.completion import complete_class
from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS, InputError

if TYPE_CHECKING:
    from rich.console import Console


def _explicit_keys(text: str | None) -> set[str]:
    from omni_scale.core.machineclass.providerdata import load_providerdata_yaml

    if text is None:
        return set()
    try:
        node = load_providerdata_yaml(text, path=None)
    except InputError:
        return set()
    return {str(k) for k in node} if isinstance(node, dict) else set()


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
    from omni_scale.lint.context import build_context
    from omni_scale.lint.engine import lint_files
    from omni_scale.services.project_files import find_machine_class

    machine_class = find_machine_class(app.project, name)
    explicit = _explicit_keys(machine_class.providerdata_text)
    providerdata: dict[str, Any] | None = None
    error: str | None = None
    try:
        data = machine_class.providerdata()
        fields = asdict(data)
        first = ("cores", "sockets", "memory", "disk_size", "storage_selector")
        providerdata = {key: fields[key] for key in first}
        providerdata.update((k, v) for k, v in fields.items() if k not in first)
        providerdata["extra"] = dict(data.extra)
    except InputError as exc:
        error = exc.one_line()
    report = lint_files([machine_class.path], build_context(app.project))
    problems = [p.to_json() for p in report.problems]
    result = {
        "id": machine_class.id,
        "path": app.project.relative(machine_class.path),
        "line": machine_class.line,
        "providerid": machine_class.providerid,
        "providerdata": providerdata,
        "explicit": sorted(explicit),
        "error": error,
        "problems": problems,
    }

    def render(console: Console) -> None:
        from rich.markup import escape
        from rich.table import Table
        from rich.text import Text

        console.print(
            f"[bold]{escape(machine_class.id)}[/]  {escape(str(result['path']))}:"
            f"{machine_class.line}  providerid {escape(machine_class.providerid or '-')}"
        )
        if providerdata is not None:
            table = Table(box=None, pad_edge=False, show_header=True)
            table.add_column("KEY")
            table.add_column("VALUE", overflow="fold")
            table.add_column("")
            for key, value in providerdata.items():
                if key == "extra":
                    continue
                if value in (None, (), []) and key not in explicit:
                    continue
                note = "" if key in explicit else "default"
                if key == "sockets" and value is None:
                    value, note = 0, "unset: the provider sends 0"
                table.add_row(key, Text(_cell(value)), note)
            for key, value in providerdata["extra"].items():
                table.add_row(Text(key), Text(str(value)), "not typed here / ignored if unknown")
            console.print(table)
        elif error:
            console.print(Text(f"providerdata: {error}", style="red"))
        if problems:
            console.print(f"{len(problems)} problem(s):")
            for p in problems:
                console.print(
                    f"  {p['line']}:{p['column']} {p['severity']} [{p['rule']}] {p['message']}",
                    markup=False,
                )
                if p["hint"]:
                    console.print(f"      hint: {p['hint']}", markup=False)
        else:
            console.print("no lint problems")

    app.emit(result, render)
    return EXIT_PROBLEMS if report.errors else EXIT_OK
