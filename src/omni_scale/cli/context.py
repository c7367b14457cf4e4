"""click's side of what every command gets: the AppContext (`cli.app`) passed to it, and the
`--yes` option."""

from __future__ import annotations

import click

from omni_scale.cli.app import AppContext

__all__ = ["AppContext", "get_app", "pass_app", "yes_option"]


def get_app(ctx: click.Context | None = None) -> AppContext:
    """The AppContext of the running command."""
    context = ctx or click.get_current_context()
    app = context.find_object(AppContext)
    if app is None:  # a command invoked on its own (tests of a single command)
        app = AppContext()
        context.obj = app
    return app


pass_app = click.make_pass_decorator(AppContext, ensure=True)


def _set_assume_yes(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        get_app(ctx).assume_yes = True


yes_option = click.option(
    "--yes",
    is_flag=True,
    expose_value=False,
    callback=_set_assume_yes,
    help="Install omnictl on first use without asking (needed when not on a terminal).",
)
