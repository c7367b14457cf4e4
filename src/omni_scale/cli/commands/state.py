"""`omni-scale state show | get KEY | set KEY=VALUE...`"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import InputError

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem
    from rich.console import Console


def _complete_key(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from omni_scale.state import KNOWN_KEYS

    return [name for name in KNOWN_KEYS if name.startswith(incomplete)]


def _complete_assignment(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    from click.shell_completion import CompletionItem

    from omni_scale.state import KNOWN_KEYS

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
    from omni_scale.state import KNOWN_KEYS, read_state

    path = app.project.state_file
    values = read_state(path)

    def render(console: Console) -> None:
        from rich.text import Text

        # One `key: value` line a key (mappings as indented YAML), the meaning as a `#`
        # comment: nothing is cut at 80 columns (long values run on; the terminal wraps them).
        exists = "" if path.exists() else " (no file yet: defaults)"
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

    app.emit({"path": str(path), "exists": path.exists(), "state": values}, render)


@command.command("get")
@click.argument("key", shell_complete=_complete_key)
@pass_app
def get(app: AppContext, key: str) -> None:
    """Print one value (the default when unset)."""
    from omni_scale.state import KNOWN_KEYS, read_state

    values = read_state(app.project.state_file)
    if key not in values:
        raise InputError(f"unknown state key '{key}'", hint=f"known keys: {', '.join(KNOWN_KEYS)}")
    value = values[key]
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
    from omni_scale.fs.gitignore import ensure_gitignore
    from omni_scale.state import parse_value, update_state

    updates: dict[str, Any] = {}
    for item in assignments:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise InputError(
                f"expected KEY=VALUE, got {item!r}", hint="e.g. state set default_cores=4"
            )
        updates[key.strip()] = parse_value(key.strip(), raw)
    path = app.project.state_file
    created = not path.exists()
    values = update_state(path, updates, allow_unknown=force, on_wait=app.note)
    if created and (app.project.root / ".git").exists():
        ensure_gitignore(app.project.root, (".claude/*.local.md", ".claude/*.lock"))
    changed = {key: values[key] for key in updates}

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
