"""`omni-scale cluster create NAME --control-planes N --workers N --cp-class C --worker-class W`"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.commands.completion import complete_class
from omni_scale.cli.context import AppContext, pass_app, yes_option
from omni_scale.errors import EXIT_OK, EXIT_USAGE

if TYPE_CHECKING:
    from rich.console import Console


def _dry_run(
    app: AppContext, target: Path, text: str, *, exists: bool, force: bool, sync_: bool
) -> int:
    """The template that would be written (already linted), and what would happen to the file."""
    status = (
        ("would replace (.bak kept)" if force else "exists: would refuse without --force")
        if (exists)
        else "would create"
    )
    data = {
        "file": str(target),
        "status": status,
        "dry_run": True,
        "template": text,
        "sync": None,
    }

    def render(console: Console) -> None:
        console.print(text.rstrip("\n"), markup=False, highlight=False, soft_wrap=True)
        console.print(f"{status}: {app.project.relative(target)}", markup=False)
        if sync_:
            console.print("not synced (--dry-run)", markup=False)

    app.emit(data, render)
    return EXIT_USAGE if exists and not force else EXIT_OK  # as the write would refuse


@click.command("create")
@click.argument("name")
@click.option("--control-planes", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--workers", type=click.IntRange(min=0), default=1, show_default=True)
@click.option(
    "--cp-class",
    metavar="CLASS",
    shell_complete=complete_class,
    help="Machine class of the control planes.",
)
@click.option(
    "--worker-class",
    metavar="CLASS",
    shell_complete=complete_class,
    help="Machine class of the workers.",
)
@click.option("--talos", metavar="vX.Y.Z", help="Talos version (default: newest Omni offers).")
@click.option("--kubernetes", metavar="vX.Y.Z", help="Kubernetes version (default: newest).")
@click.option(
    "--cni",
    type=click.Choice(["default", "none"]),
    default="default",
    show_default=True,
    help="`none` disables Talos' flannel (install e.g. Cilium yourself).",
)
@click.option("--sync", "sync_", is_flag=True, help="Sync the template to Omni after writing.")
@click.option("--force", is_flag=True, help="Replace an existing clusters/NAME.yaml (.bak kept).")
@click.option("--dry-run", is_flag=True, help="Print the linted template; write and sync nothing.")
@yes_option
@pass_app
def command(
    app: AppContext,
    name: str,
    control_planes: int,
    workers: int,
    cp_class: str | None,
    worker_class: str | None,
    talos: str | None,
    kubernetes: str | None,
    cni: str,
    sync_: bool,
    force: bool,
    dry_run: bool,
) -> int:
    """Write a cluster template to clusters/NAME.yaml from the project's machine classes.

    Classes must exist in machine-classes/. Without --talos/--kubernetes, the newest
    non-deprecated Talos that Omni offers and its newest Kubernetes are used (needs omnictl and
    Omni). The template is linted before it is written; an existing file is kept unless --force.
    """
    from omni_scale.services.cluster_create import ClusterRequest, create_cluster

    request = ClusterRequest(
        name=name,
        control_planes=control_planes,
        workers=workers,
        cp_class=cp_class,
        worker_class=worker_class,
        talos=talos,
        kubernetes=kubernetes,
        cni=cni,
        force=force,
        dry_run=dry_run,
        sync=sync_,
    )
    created = create_cluster(
        app.project,
        request,
        note=app.note,
        warn=app.warn,
        interactive=app.interactive,
        assume_yes=app.assume_yes,
        confirm=app.confirm,
    )
    target, text = created.target, created.text
    if created.outcome is None:
        return _dry_run(app, target, text, exists=created.exists, force=force, sync_=sync_)
    outcome = created.outcome
    sync_data: dict[str, Any] | None = (
        {"output": created.sync_output} if created.sync_output is not None else None
    )
    data = {
        "file": str(target),
        "status": str(outcome.status),
        "backup": str(outcome.backup) if outcome.backup else None,
        "template": text,
        "sync": sync_data,
    }

    def render(console: Console) -> None:
        console.print(f"{outcome.status} {app.project.relative(target)}", markup=False)
        if outcome.backup:
            console.print(f"previous file kept as {outcome.backup.name}", markup=False)
        if sync_data is not None:
            console.print(sync_data["output"].rstrip() or "nothing to change", markup=False)
            console.print(f"follow it with: omni-scale cluster status {name} --watch")
        else:
            console.print(
                f"next: omni-scale cluster template sync {app.project.relative(target)}",
                markup=False,
            )

    app.emit(data, render)
    return EXIT_OK
