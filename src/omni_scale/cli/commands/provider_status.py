"""`omni-scale provider status [--provider ID] [--timeout S]`"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.commands.completion import complete_provider
from omni_scale.cli.context import AppContext, pass_app

if TYPE_CHECKING:
    from rich.console import Console

STYLE = {"ok": "green", "warn": "yellow", "fail": "red", "unknown": "magenta", "skipped": "dim"}


@click.command("status")
@click.option(
    "--provider",
    "provider_id",
    metavar="ID",
    shell_complete=complete_provider,
    help="Only this provider (default: all).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.5),
    default=15.0,
    show_default=True,
    help="Seconds each check may take; a check without answer is reported unknown.",
)
@click.option(
    "--check",
    "checks",
    multiple=True,
    type=click.Choice(["container", "omni", "proxmox", "logs", "ids"]),
    help="Run only these checks (repeatable; default: all).",
)
@pass_app
def command(
    app: AppContext, provider_id: str | None, timeout: float, checks: tuple[str, ...]
) -> int:
    """The provider's health: container, Omni's view, Proxmox API, log errors, id agreement.

    The checks run concurrently, each with its own timeout. Exit 0 healthy; 1 degraded
    (a check failed or did not answer); 3 nothing could be checked (no docker, no omnictl).
    The summary is kept in the state file (last_status) for the plugin.
    """
    started = time.monotonic()  # --timeout counts from here, module loading included
    from omni_scale.services.provider_status import check_status

    report = check_status(
        app.project,
        provider_id,
        timeout=timeout,
        checks=checks,
        started=started,
        note=app.note,
        warn=app.warn,
    )
    probes, code, kept = report.probes, report.code, report.kept
    data: dict[str, Any] = {
        "health": kept["health"],
        "exit_code": code,
        "checked_at": kept["checked_at"],
        "providers": report.providers,
        "checks": [p.to_json() for p in probes],
    }

    def render(console: Console) -> None:
        from rich.table import Table

        table = Table(box=None, show_header=True, pad_edge=False)
        for column in ("provider", "check", "status", "detail"):
            table.add_column(column, overflow="fold")
        for probe in probes:
            style = STYLE.get(probe.status, "")
            table.add_row(
                probe.provider_id or "*",
                probe.check,
                f"[{style}]{probe.status}[/{style}]",
                probe.summary,
            )
        console.print(table)
        for probe in probes:
            if probe.status in ("fail", "warn", "unknown") and probe.fix:
                console.print(
                    f"fix ({probe.provider_id or '*'} {probe.check}): {probe.fix}", markup=False
                )
            for diagnosis in probe.diagnoses:
                console.print(
                    f"known error [{diagnosis['id']}]: {diagnosis['cause']} -> {diagnosis['fix']}",
                    markup=False,
                )
        console.print(f"health: {kept['health']}")

    app.emit(data, render)
    return code
