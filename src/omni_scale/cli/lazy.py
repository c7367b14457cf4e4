"""A click group whose subcommands live in their own modules and load on first use."""

from __future__ import annotations

import importlib
from importlib.util import find_spec

import click


def module_exists(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:
        return False


class LazyGroup(click.Group):
    """Subcommands given as (name, "package.module", short help); each module has `command`."""

    def __init__(
        self, *args: object, lazy: tuple[tuple[str, str, str], ...] = (), **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        eager = super().list_commands(ctx)
        return [*[n for n, m, _ in self.lazy if module_exists(m)], *eager]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        for name, module, _ in self.lazy:
            if name == cmd_name and module_exists(module):
                command = importlib.import_module(module).command
                assert isinstance(command, click.Command)
                return command
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(n, text) for n, m, text in self.lazy if module_exists(m)]
        rows += [(n, c.get_short_help_str()) for n, c in self.commands.items()]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)
