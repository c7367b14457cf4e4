"""`omni-scale cluster create NAME --control-planes N --workers N --cp-class C --worker-class W`"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.context import AppContext, pass_app, yes_option
from omni_scale.errors import EXIT_OK

if TYPE_CHECKING:
    from rich.console import Console


@click.command("create")
@click.argument("name")
@click.option("--control-planes", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--workers", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--cp-class", metavar="CLASS", help="Machine class of the control planes.")
@click.option("--worker-class", metavar="CLASS", help="Machine class of the workers.")
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
    )
    created = create_cluster(app.project, request, note=app.note, warn=app.warn)
    target, outcome, text = created.target, created.outcome, created.text
    sync_data: dict[str, Any] | None = None
    if sync_:
        sync_data = _sync(app, target)
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


def _sync(app: AppContext, target: Path) -> dict[str, Any]:
    from omni_scale.services.omnictl_ensure import ensure_client

    client = ensure_client(
        app.project,
        interactive=app.interactive,
        note=app.note,
        assume_yes=app.assume_yes,
        confirm=app.confirm,
        timeout=300,
    )
    result = client.template_sync(target)
    for warning in result.warnings:
        app.warn(f"omnictl: {warning}")
    return {"output": result.stdout}
