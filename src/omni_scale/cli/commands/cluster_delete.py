"""`omni-scale cluster delete NAME [--yes] [--dry-run]`"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from omni_scale.cli.commands.completion import complete_cluster
from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS, InputError

if TYPE_CHECKING:
    from rich.console import Console


@click.command("delete")
@click.argument("name", shell_complete=complete_cluster)
@click.option(
    "--yes",
    "-y",
    "yes",
    is_flag=True,
    help="Delete without asking (and install omnictl if needed).",
)
@click.option("--dry-run", is_flag=True, help="Show what omnictl would tear down; delete nothing.")
@pass_app
def command(app: AppContext, name: str, yes: bool, dry_run: bool) -> int:
    """Delete cluster NAME in Omni (omnictl cluster delete): its machines are torn down and,
    for auto-provisioned classes, the provider deletes their VMs.

    Asks first on a terminal; elsewhere it needs --yes. The template in clusters/ is kept
    (a later `cluster template sync` would create the cluster again).
    """
    from omni_scale.services.cluster_delete import delete_cluster

    app.assume_yes = app.assume_yes or yes

    def confirm() -> None:
        if yes:
            return
        if not app.interactive:
            raise InputError(
                f'deleting cluster "{name}" destroys its machines: confirm with --yes',
                hint=f"omni-scale cluster delete {name} --yes (or --dry-run to see what goes)",
            )
        click.confirm(
            f'Delete cluster "{name}" in Omni and tear down its machines?', abort=True, err=True
        )

    deletion = delete_cluster(app.omnictl(), name, dry_run=dry_run, confirm=confirm)
    lines = deletion.output

    def render(console: Console) -> None:
        for line in lines:
            console.print(line, markup=False, soft_wrap=True)
        verb = "would be deleted" if dry_run else "deleted"
        console.print(f'cluster "{name}" {verb}', markup=False)

    app.emit(deletion.to_json(), render)
    return EXIT_OK if deletion.ok else EXIT_PROBLEMS
