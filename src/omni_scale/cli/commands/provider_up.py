"""`omni-scale provider up [--provider ID] [--timeout S] [--no-wait]`"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.commands.completion import complete_provider
from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS, EnvironmentProblem, OmniScaleError

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.services.provider_lifecycle import WaitResult


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
    from omni_scale.adapters.docker import Compose
    from omni_scale.services.provider_lifecycle import (
        not_connected_error,
        omnictl_for,
        select_providers,
    )

    entries = select_providers(app.project, provider_id)
    services = [e.service for e in entries] if provider_id else []
    compose = Compose(app.project)
    app.note(f"docker compose {action} {' '.join(services)}".rstrip())
    output = compose.up(services) if action == "up" else compose.restart(services)
    results: list[WaitResult] = []
    if not no_wait:
        try:
            omnictl = omnictl_for(app.project)
        except EnvironmentProblem as exc:
            raise EnvironmentProblem(
                f"the provider was started, but Omni cannot be asked: {exc.message}",
                hint=(exc.hint or "") + "; or pass --no-wait",
            ) from None
        import time

        deadline = time.monotonic() + timeout  # one deadline for all providers
        for entry in entries:
            left = max(1.0, deadline - time.monotonic())
            results.append(_wait(app, omnictl, compose, entry, left))
    data: dict[str, Any] = {
        "action": action,
        "services": [e.service for e in entries],
        "compose_output": [line.strip() for line in output.splitlines() if line.strip()],
        "waited": not no_wait,
        "providers": [r.to_json() for r in results],
    }

    def render(console: Console) -> None:
        for line in data["compose_output"]:
            console.print(line, markup=False)
        for result in results:
            if result.connected:
                version = f", version {result.version}" if result.version else ""
                console.print(
                    f"provider '{result.provider_id}': connected to Omni "
                    f"after {result.waited_s:.0f}s{version}"
                )
            else:
                console.print(f"provider '{result.provider_id}': NOT connected: {result.problem}")
                for diagnosis in result.diagnoses:
                    console.print(f"  cause: {diagnosis['cause']}", markup=False)
                    console.print(f"  fix:   {diagnosis['fix']}", markup=False)
        if no_wait:
            console.print("started; check with: omni-scale provider status")

    app.emit(data, render)
    if any(not r.connected for r in results):
        if not app.json:
            error = not_connected_error(results)
            app.warn(error.one_line())
        return EXIT_PROBLEMS
    return EXIT_OK


def _wait(app: AppContext, omnictl: Any, compose: Any, entry: Any, timeout: float) -> WaitResult:
    from omni_scale.services.provider_lifecycle import WaitResult, wait_connected

    label = f"waiting for Omni to report '{entry.provider_id}' connected"
    try:
        if app.json:
            return wait_connected(omnictl, compose, entry, timeout=timeout)
        with app.err_console.status(label) as status:
            return wait_connected(
                omnictl, compose, entry, timeout=timeout, tick=lambda m: status.update(m)
            )
    except OmniScaleError as exc:
        if exc.exit_code == 3:
            raise
        return WaitResult(entry.provider_id, False, 0.0, None, exc.message)


@click.command("up")
@wait_options
@pass_app
def command(app: AppContext, provider_id: str | None, timeout: float, no_wait: bool) -> int:
    """Start the provider (docker compose up -d), then wait until Omni reports it connected.

    Exit 0 connected; 1 not connected in time (the container's errors are diagnosed);
    3 docker or omnictl unavailable.
    """
    return run_and_wait(app, "up", provider_id, timeout, no_wait)
