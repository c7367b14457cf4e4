"""`omni-scale cluster status [NAME] [--watch] [--timeout S]`"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.commands.completion import complete_cluster
from omni_scale.cli.context import AppContext, pass_app, yes_option
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from rich.console import RenderableType

    from omni_scale.adapters.omnictl.run import Omnictl
    from omni_scale.core.omni.cluster_health import ClusterHealth


@click.command("status")
@click.argument("name", required=False, shell_complete=complete_cluster)
@click.option("--watch", "-w", is_flag=True, help="Redraw until healthy, Ctrl-C or --timeout.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=900,
    show_default=True,
    help="With --watch: give up after this many seconds (exit 1).",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.2),
    default=5,
    show_default=True,
    help="With --watch: seconds between polls.",
)
@yes_option
@pass_app
def command(app: AppContext, name: str | None, watch: bool, timeout: float, interval: float) -> int:
    """Cluster health from Omni: phase, readiness, machines and provisioning errors.

    Reads ClusterStatuses, MachineSetStatuses, ClusterMachineStatuses,
    ClusterMachineRequestStatuses and (namespace infra-provider) MachineRequestStatuses through
    omnictl; when machine requests wait, also the health of the provider they are for.
    Provisioning errors are matched against the known-error table to name the likely cause
    (a failed provision is retried by the provider every minute). Without NAME, every cluster.
    Exit 0 healthy, 1 not healthy (or no such cluster), 3 Omni unreachable or credentials refused.
    """

    omnictl = app.omnictl()
    if watch:
        healths = _watch(app, omnictl, name, timeout, interval)
    else:
        healths = _read(omnictl, name)
        app.emit(_payload(healths), lambda console: console.print(render(healths)))
    return EXIT_OK if healths and all(h.healthy for h in healths) else EXIT_PROBLEMS


def _read(omnictl: Omnictl, name: str | None) -> list[ClusterHealth]:
    from omni_scale.services.cluster_status import cluster_health

    return cluster_health(omnictl, name)


def _payload(healths: list[ClusterHealth]) -> dict[str, Any]:
    return {
        "healthy": bool(healths) and all(h.healthy for h in healths),
        "clusters": [h.to_json() for h in healths],
    }


def _watch(
    app: AppContext, omnictl: Omnictl, name: str | None, timeout: float, interval: float
) -> list[ClusterHealth]:
    deadline = time.monotonic() + timeout
    healths = _read(omnictl, name)
    timed_out = False
    if app.json:
        try:
            while not _done(healths) and time.monotonic() < deadline:
                time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
                healths = _read(omnictl, name)
        except KeyboardInterrupt:
            pass
        app.emit(_payload(healths))
        return healths
    if not app.console.is_terminal:
        return _watch_piped(app, omnictl, name, timeout, interval, healths, deadline)
    from rich.live import Live

    try:
        with Live(render(healths), console=app.console, auto_refresh=False) as live:
            while not _done(healths):
                if time.monotonic() >= deadline:
                    timed_out = True
                    break
                time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
                healths = _read(omnictl, name)
                live.update(render(healths), refresh=True)
    except KeyboardInterrupt:
        app.note("stopped (Ctrl-C)")
        return healths
    if timed_out:
        app.note(f"not healthy after {timeout:g}s")
    return healths


def _watch_piped(
    app: AppContext,
    omnictl: Omnictl,
    name: str | None,
    timeout: float,
    interval: float,
    healths: list[ClusterHealth],
    deadline: float,
) -> list[ClusterHealth]:
    """Piped (no terminal to redraw): print the state, then each change, as whole lines.

    rich's Live left its last line without a newline here."""
    shown = _payload(healths)
    app.console.print(render(healths))
    try:
        while not _done(healths):
            if time.monotonic() >= deadline:
                app.note(f"not healthy after {timeout:g}s")
                break
            time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
            healths = _read(omnictl, name)
            if _payload(healths) != shown:
                shown = _payload(healths)
                app.console.print(render(healths))
    except KeyboardInterrupt:
        app.note("stopped (Ctrl-C)")
    return healths


def _done(healths: list[ClusterHealth]) -> bool:
    return bool(healths) and all(h.healthy for h in healths)


def _mark(value: bool) -> str:
    return "[green]yes[/]" if value else "[red]no[/]"


def render(healths: list[ClusterHealth]) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    if not healths:
        return Text("no clusters in Omni")
    parts: list[RenderableType] = []
    for health in healths:
        if not health.exists:
            parts.append(
                Text.from_markup(
                    f"[bold]{health.name}[/]: [red]does not exist in Omni[/] "
                    f"(sync its template: omni-scale cluster template sync clusters/"
                    f"{health.name}.yaml)"
                )
            )
            continue
        counts = health.machine_counts
        state = "[green]healthy[/]" if health.healthy else f"[yellow]{health.summary}[/]"
        parts.append(
            Text.from_markup(
                f"[bold]{health.name}[/]  {health.phase}  {state}\n"
                f"  ready {_mark(health.ready)}   control plane ready "
                f"{_mark(health.controlplane_ready)}   Kubernetes API ready "
                f"{_mark(health.kubernetes_api_ready)}   machines {counts.get('healthy', 0)}/"
                f"{counts.get('total', 0)} healthy ({counts.get('requested', 0)} requested)"
            )
        )
        table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        for column in ("MACHINE SET", "PHASE", "READY", "MACHINES"):
            table.add_column(column)
        for mset in health.machine_sets:
            m = mset.machines
            table.add_row(
                mset.id,
                mset.phase,
                _mark(mset.ready),
                f"{m.get('healthy', 0)}/{m.get('requested', 0) or m.get('total', 0)}",
            )
        parts.append(table)
        if health.machines:
            machines = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
            machines.add_column("MACHINE", no_wrap=True, min_width=36)
            for column in ("NODE", "SET", "STAGE", "READY", "PROVISIONING"):
                machines.add_column(column)
            for machine in health.machines:
                machines.add_row(
                    machine.id,
                    machine.node or "-",
                    machine.machine_set,
                    machine.stage,
                    _mark(machine.ready),
                    machine.request_status or machine.request_stage or "-",
                )
            parts.append(machines)
        pending = [r for r in health.requests if not r.in_use]
        if pending:
            requests = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
            for column in ("REQUEST", "SET", "PROVIDER", "STAGE", "STATUS"):
                requests.add_column(column, overflow="fold")
            for request in pending:
                stage = (
                    "[red]FAILED[/] (retried every minute)" if request.retrying else request.stage
                )
                requests.add_row(
                    Text(request.id),
                    Text(request.machine_set),
                    Text(request.provider_id or "-"),
                    Text.from_markup(stage),
                    Text(request.status or "-"),
                )
            parts.append(requests)
        for provider in health.down_providers:
            state = (
                "has never connected to Omni (no InfraProviderStatus)"
                if not provider.registered
                else "is not connected"
                + (f", last heartbeat {provider.last_heartbeat}" if provider.last_heartbeat else "")
            )
            text = Text()
            text.append(f"provider {provider.id}: ", style="bold")
            text.append(state, style="red")
            text.append("\n  fix: run `omni-scale provider status` (then `omni-scale provider up`)")
            parts.append(text)
        failing = [(s.id, s.problem) for s in health.machine_sets if s.problem]
        failing += [(m.id, m.problem) for m in health.machines if m.problem]
        shown = {cause.error for _, cause in failing}
        failing += [
            (r.id, r.problem) for r in health.requests if r.problem and r.problem.error not in shown
        ]
        for owner, cause in failing:
            text = Text()
            text.append(f"{owner}: ", style="bold")
            text.append("error: ", style="red")
            text.append(cause.error)
            if cause.diagnosis:
                text.append("\n  likely cause: ", style="bold")
                text.append(cause.diagnosis)
                text.append("\n  fix: ", style="bold")
                text.append(cause.fix or "")
            parts.append(text)
        parts.append(Text(""))
    return Group(*parts)
