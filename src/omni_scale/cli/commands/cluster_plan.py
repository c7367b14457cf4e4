"""`omni-scale cluster plan [TEMPLATE...] [--snapshot FILE | --live]`"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.core.placement.model import PlanProblem
    from omni_scale.services.cluster_plan import ClusterPlan
    from omni_scale.services.plan import PlanSource

GIB = 1024**3


def _gib(value: int | None) -> str:
    return "?" if value is None else f"{value / GIB:.1f}"


def _spread(nodes: Sequence[str | None]) -> str:
    counts = Counter(n or "—" for n in nodes)
    return ", ".join(f"{n}×{c}" if c > 1 else n for n, c in counts.items()) or "—"


def render_clusters(
    console: Console, clusters: Sequence[ClusterPlan], sources: Sequence[PlanSource]
) -> None:
    from rich.table import Table
    from rich.text import Text

    from omni_scale.cli.commands.machineclass_plan import print_problems, render_sources

    render_sources(console, sources)
    if not clusters:
        console.print("no cluster templates to plan (clusters/*.yaml)")
        return
    for cluster in clusters:
        verdict = Text("ok", style="green") if cluster.ok else Text("fails", style="red")
        title = Text(f"cluster {cluster.name or '?'} ", style="bold")
        title.append(f"{cluster.path} ", style="dim")
        title.append(verdict)
        console.print(title)
        sets = Table(show_header=True, header_style="bold", expand=False)
        for column in ("set", "class", "size", "nodes"):
            sets.add_column(column)
        for s in cluster.sets:
            nodes = _spread([m.node for m in s.plan.machines]) if s.plan else "—"
            sets.add_row(s.spec.id, s.spec.machine_class or "—", str(s.spec.size), nodes)
        console.print(sets)
        if cluster.capacity.nodes:
            table = Table(show_header=True, header_style="bold", expand=False)
            for column in ("node", "VMs", "memory planned", "free (GiB)", ""):
                table.add_column(column)
            for load in cluster.capacity.nodes:
                mark = Text("ok", style="green") if load.ok else Text("over", style="red")
                table.add_row(
                    load.node,
                    str(load.vms_planned),
                    _gib(load.memory_planned),
                    _gib(load.memory_free),
                    mark,
                )
            console.print(table)
        over = [s for s in cluster.capacity.storages if not s.ok]
        for slot in over:
            where = f"{slot.storage}@{slot.node}" if slot.node else f"{slot.storage} (shared)"
            kind = "thin" if slot.thin else "thick"
            console.print(
                Text(
                    f"  storage {where} {kind}: {_gib(slot.planned)} GiB planned, "
                    f"{_gib(slot.avail)} GiB free",
                    style="yellow" if slot.thin else "red",
                )
            )
        owners: dict[PlanProblem, list[str]] = {}
        for s in cluster.sets:
            for problem in s.all_problems:
                owners.setdefault(problem, []).append(s.spec.id)
        for s in cluster.sets:
            own = [p for p in s.all_problems if owners[p] == [s.spec.id]]
            if own:
                console.print(Text(s.spec.id, style="bold"))
                shown = s.plan.provider_error if s.plan else None
                print_problems(console, own, shown)
        for problem, ids in owners.items():
            if len(ids) > 1:
                console.print(Text(", ".join(ids), style="bold"))
                print_problems(console, [problem])
        if cluster.problems:
            console.print(Text(f"{cluster.name or cluster.path} (capacity)", style="bold"))
            print_problems(console, cluster.problems)


def summary_line(clusters: Sequence[ClusterPlan]) -> str:
    failing = [c.name or c.path for c in clusters if not c.ok]
    text = f"{len(clusters)} cluster(s) planned"
    return text + (f", failing: {', '.join(failing)}" if failing else "")


def problems_of(cluster: ClusterPlan) -> list[PlanProblem]:
    return cluster.every_problem


@click.command("plan")
@click.argument("templates", nargs=-1)
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Plan from this snapshot file (default: the project's proxmox-snapshot.json).",
)
@click.option("--live", is_flag=True, help="Read the inventory from the Proxmox API now.")
@pass_app
def command(
    app: AppContext, templates: tuple[str, ...], snapshot_file: Path | None, live: bool
) -> int:
    """Where every machine of each cluster template lands, and whether the cluster fits.

    Each machine set (`<cluster>-control-planes`, `<cluster>-workers`, `<cluster>-<name>`) is
    replayed request by request through its class's provider and release (the ledger of
    v0.2.0+ included); then memory planned per node is checked against free memory, disk per
    storage against free space (thin pools warn, thick storage fails), and control planes
    sharing a node are flagged. TEMPLATE is a file or a name in clusters/ (default: all).
    Exit 1 when a cluster would fail.
    """
    from omni_scale.services.cluster_plan import cluster_plan

    clusters, sources = cluster_plan(
        app.project, templates, snapshot_file=snapshot_file, live=live, warn=app.warn
    )
    data = {
        "clusters": [c.to_json() for c in clusters],
        "providers": [s.provider_json() for s in sources],
        "sources": [s.to_json() for s in sources],
    }

    def render(console: Console) -> None:
        render_clusters(console, clusters, sources)
        verdict = "ok" if all(c.ok for c in clusters) else "problems found"
        console.print(f"[bold]{verdict}[/bold]: {summary_line(clusters)}")

    app.emit(data, render)
    return EXIT_OK if all(c.ok for c in clusters) else EXIT_PROBLEMS
