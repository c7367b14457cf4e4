"""`omni-scale machineclass plan [NAME...] [--all] [--snapshot FILE] [--live]`"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table
from rich.text import Text

from omni_scale.cli.commands.completion import complete_class
from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.core.placement.replay import ClassPlan, PlanProblem
    from omni_scale.services.plan import PlanSource

MARK = {"error": "✗", "warning": "!", "info": "·"}
STYLE = {"error": "red", "warning": "yellow", "info": "dim"}


def describe_source(source: PlanSource) -> str:
    if source.mode == "snapshot":
        taken = source.snapshot.taken_at if source.snapshot else "?"
        return f"{source.provider_id}: from snapshot {source.where} (taken {taken})"
    if source.mode == "live":
        return f"{source.provider_id}: live from {source.where} ({source.reason})"
    return f"{source.provider_id}: not planned ({source.reason})"


def describe_release(source: PlanSource) -> str:
    """`provider proxmox replays v0.2.0 (tag v0.2.0)` — the header line every plan prints."""
    release = source.release
    return f"provider {source.provider_id} replays {release.label} ({release.why})"


def render_sources(console: Console, sources: Sequence[PlanSource]) -> None:

    for source in sources:
        console.print(Text(describe_release(source), style="bold"))
        console.print(Text(f"Proxmox inventory {describe_source(source)}"))
        for note in source.notes:
            console.print(Text(f"  note: {note}", style="dim"))


def render_plans(
    console: Console, plans: Sequence[ClassPlan], sources: Sequence[PlanSource]
) -> None:
    """The inventory used, a table of classes (node(s), disks, result), then the problems: each
    under its class, and a problem several classes share once under all their names."""
    render_sources(console, sources)
    if not plans:
        console.print("no machine classes to plan")
        return
    console.print(_table(plans))
    owners: dict[PlanProblem, list[str]] = {}
    for plan in plans:
        for problem in plan.problems:
            owners.setdefault(problem, []).append(plan.id)
    for plan in plans:
        own = [p for p in plan.problems if len(owners[p]) == 1]
        if own:
            console.print(f"[bold]{plan.id}[/bold] [dim]{plan.path or ''}[/dim]")
            several_errors = sum(1 for p in plan.problems if p.severity == "error") > 1
            print_problems(console, own, plan.provider_error if several_errors else None)
    for problem, ids in owners.items():
        if len(ids) > 1:
            console.print(f"[bold]{', '.join(ids)}[/bold]")
            print_problems(console, [problem])


def _table(plans: Sequence[ClassPlan]) -> Table:
    table = Table(show_header=True, header_style="bold", expand=False)
    for column in ("class", "node", "disks", "result"):
        table.add_column(column)
    several = any(len(p.machines) > 1 for p in plans)
    for plan in plans:
        disks = "\n".join(f"{d.slot} {d.storage or '—'} {d.size_gb} GiB" for d in plan.disks)
        node = plan.node or "—"
        if several and len(plan.machines) > 1:
            node = "\n".join(
                f"{m.request.rsplit('-', 1)[-1]}: {m.node or '—'}" for m in plan.machines
            )
        table.add_row(plan.id, node, disks or "—", _result(plan))
    return table


def _result(plan: ClassPlan) -> Text:
    errors = sum(1 for p in plan.problems if p.severity == "error")
    warnings = sum(1 for p in plan.problems if p.severity == "warning")
    if plan.source == "none":
        return Text("not planned", style="dim")
    if errors:
        return Text(f"fails ({errors} error(s))", style="red")
    if warnings:
        return Text(f"ok, {warnings} warning(s)", style="yellow")
    return Text("ok", style="green")


def print_problems(
    console: Console, problems: Sequence[PlanProblem], shown: PlanProblem | None = None
) -> None:

    for problem in problems:
        line = Text(f"  {MARK.get(problem.severity, '-')} {problem.severity}: ")
        line.stylize(STYLE.get(problem.severity, ""))
        line.append(problem.message)
        if shown is not None and problem == shown:
            line.append("  [the provider stops here]", style="bold red")
        console.print(line)
        if problem.hint:
            console.print(Text(f"      hint: {problem.hint}", style="dim"))


@click.command("plan")
@click.argument("names", nargs=-1, shell_complete=complete_class)
@click.option("--all", "include_all", is_flag=True, help="Plan every class (the default).")
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Plan from this snapshot file (default: the project's proxmox-snapshot.json).",
)
@click.option("--live", is_flag=True, help="Read the inventory from the Proxmox API now.")
@click.option(
    "--replicas",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Replay N requests of one machine request set (the provider's ledger, v0.2.0+).",
)
@pass_app
def command(
    app: AppContext,
    names: tuple[str, ...],
    include_all: bool,
    snapshot_file: Path | None,
    live: bool,
    replicas: int,
) -> int:
    """Preview where each class's VMs land (node, storage per disk) and what would fail.

    Replays the provider's own node and storage choice (including its quirks) on the project's
    proxmox-snapshot.json, or on the live API (--live, or when there is no snapshot), then
    checks what the provider does not: disabled/inactive storage, no `images` content, free
    space, bridges and VLANs, PCI mappings, node size, root-only hugepages. The provider
    release is read from docker/compose.yaml's image tag (`latest`/untagged: the newest
    known release, marked assumed). --replicas N replays N requests of one set in order.
    Exit 1 when any class would fail.
    """
    from omni_scale.services.plan import plan_classes

    if names and include_all:
        raise InputError("give class NAMEs or --all, not both", hint="drop --all")
    planned = plan_classes(
        app.project,
        names,
        include_all,
        snapshot_file=snapshot_file,
        live=live,
        replicas=replicas,
        warn=app.warn,
    )
    plans, sources = planned.plans, planned.sources
    app.emit(planned.to_json(), lambda console: render_plans(console, plans, sources))
    return EXIT_OK if planned.ok else EXIT_PROBLEMS
