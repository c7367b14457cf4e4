"""`omni-scale state show | get KEY | set KEY=VALUE...`"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.context import AppContext, pass_app

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem
    from rich.console import Console


def _complete_key(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from omni_scale.services.project_state import KNOWN_KEYS

    return [name for name in KNOWN_KEYS if name.startswith(incomplete)]


def _complete_assignment(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    from click.shell_completion import CompletionItem

    from omni_scale.services.project_state import KNOWN_KEYS

    return [
        CompletionItem(f"{name}=", help=key.meaning)
        for name, key in KNOWN_KEYS.items()
        if name.startswith(incomplete)
    ]


@click.group("state")
def command() -> None:
    """Show or change the project state file (.claude/omni-scale.local.md)."""


@command.command("show")
@pass_app
def show(app: AppContext) -> None:
    """Show every state value (defaults where the file has none)."""
    from omni_scale.services.project_state import KNOWN_KEYS, show_state

    path, exists_, values = show_state(app.project)

    def render(console: Console) -> None:
        from rich.text import Text

        # One `key: value` line a key (mappings as indented YAML), the meaning as a `#`
        # comment: nothing is cut at 80 columns (long values run on; the terminal wraps them).
        exists = "" if exists_ else " (no file yet: defaults)"
        console.print(Text(f"{app.project.relative(path)}{exists}", style="bold"))
        width = max((len(key) for key in values), default=0) + 12
        for key, value in values.items():
            meaning = KNOWN_KEYS[key].meaning if key in KNOWN_KEYS else "(custom)"
            lines = _show_lines(value)
            block = len(lines) > 1
            line = Text(f"{key}:" if block else f"{key}: {lines[0]}")
            line.pad_right(max(0, width - len(line)))
            line.append(f"  # {meaning}", style="dim")
            console.print(line, soft_wrap=True)
            for extra in lines if block else ():
                console.print(Text(f"  {extra}"), soft_wrap=True)

    app.emit({"path": str(path), "exists": exists_, "state": values}, render)


@command.command("get")
@click.argument("key", shell_complete=_complete_key)
@pass_app
def get(app: AppContext, key: str) -> None:
    """Print one value (the default when unset)."""
    from omni_scale.services.project_state import get_value

    value = get_value(app.project, key)
    app.emit(
        {"key": key, "value": value},
        lambda console: console.print(_show(value), soft_wrap=True, markup=False),
    )


@command.command("set")
@click.argument(
    "assignments",
    nargs=-1,
    required=True,
    metavar="KEY=VALUE...",
    shell_complete=_complete_assignment,
)
@click.option("--force", is_flag=True, help="Allow keys omni-scale does not know.")
@pass_app
def set_(app: AppContext, assignments: tuple[str, ...], force: bool) -> None:
    """Set values; VALUE is read as a YAML scalar (true, 4, "text"); empty unsets.

    Creates the state file when missing (and gitignores it in a git repository).
    """
    from omni_scale.services.project_state import set_values

    result = set_values(app.project, assignments, force=force, on_wait=app.note)
    path, created, changed = result.path, result.created, result.updated

    def render(console: Console) -> None:
        for key, value in changed.items():
            console.print(f"{key} = {_show(value)}", soft_wrap=True, markup=False)

    app.emit({"path": str(path), "created": created, "updated": changed}, render)


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):  # as YAML, never a Python repr
        return "\n".join(_show_lines(value))
    return str(value)


def _show_lines(value: Any) -> list[str]:
    """A value as YAML: one line for a scalar, a block for a (non-empty) mapping or list."""
    from omni_scale.yamlio import dump

    if value is None or isinstance(value, bool) or not isinstance(value, (dict, list)):
        return [_show(value)]
    if not value:
        return ["{}" if isinstance(value, dict) else "[]"]
    return dump(value).rstrip("\n").splitlines()
