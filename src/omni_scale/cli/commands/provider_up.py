"""`omni-scale provider up [--provider ID] [--timeout S] [--no-wait]`"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.commands.completion import complete_provider
from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.services.provider_lifecycle import LifecycleResult


def wait_options(func: Any) -> Any:
    func = click.option(
        "--no-wait", is_flag=True, help="Do not wait for Omni to report the provider connected."
    )(func)
    func = click.option(
        "--timeout",
        type=click.FloatRange(min=1),
        default=120.0,
        show_default=True,
        help="Seconds to wait until Omni reports the provider connected.",
    )(func)
    return click.option(
        "--provider",
        "provider_id",
        metavar="ID",
        shell_complete=complete_provider,
        help="Only this provider (default: all).",
    )(func)


def run_and_wait(
    app: AppContext, action: str, provider_id: str | None, timeout: float, no_wait: bool
) -> int:
    from omni_scale.services.provider_lifecycle import not_connected_error, start

    result = start(
        app.project,
        action,
        provider_id,
        timeout=timeout,
        wait=not no_wait,
        waiting=lambda label: _spinner(app, label),
        note=app.note,
    )

    def render(console: Console) -> None:
        _render(console, result)

    app.emit(result.to_json(), render)
    if not result.connected:
        if not app.json:
            app.warn(not_connected_error(result.providers).one_line())
        return EXIT_PROBLEMS
    return EXIT_OK


@contextmanager
def _spinner(app: AppContext, label: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr while waiting (nothing with --json)."""
    if app.json:
        yield lambda _message: None
        return
    with app.err_console.status(label) as status:
        yield lambda message: status.update(message)


def _render(console: Console, result: LifecycleResult) -> None:
    for line in result.compose_output:
        console.print(line, markup=False)
    for found in result.providers:
        if found.connected:
            version = f", version {found.version}" if found.version else ""
            console.print(
                f"provider '{found.provider_id}': connected to Omni "
                f"after {found.waited_s:.0f}s{version}"
            )
        else:
            console.print(f"provider '{found.provider_id}': NOT connected: {found.problem}")
            for diagnosis in found.diagnoses:
                console.print(f"  cause: {diagnosis['cause']}", markup=False)
                console.print(f"  fix:   {diagnosis['fix']}", markup=False)
    if not result.waited:
        console.print("started; check with: omni-scale provider status")


@click.command("up")
@wait_options
@pass_app
def command(app: AppContext, provider_id: str | None, timeout: float, no_wait: bool) -> int:
    """Start the provider (docker compose up -d), then wait until Omni reports it connected.

    Exit 0 connected; 1 not connected in time (the container's errors are diagnosed);
    3 docker or omnictl unavailable.
    """
    return run_and_wait(app, "up", provider_id, timeout, no_wait)
