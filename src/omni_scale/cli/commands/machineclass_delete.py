"""`omni-scale machineclass delete NAME [--dry-run] [--omni] [--yes]`"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from omni_scale.cli.commands.completion import complete_class
from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, InputError

if TYPE_CHECKING:
    from rich.console import Console


@click.command("delete")
@click.argument("name", shell_complete=complete_class)
@click.option("--dry-run", is_flag=True, help="Show what would be deleted; delete nothing.")
@click.option("--omni", "in_omni", is_flag=True, help="Also delete the class in Omni (omnictl).")
@click.option("--yes", "-y", "yes", is_flag=True, help="With --omni: delete without asking.")
@pass_app
def command(app: AppContext, name: str, dry_run: bool, in_omni: bool, yes: bool) -> int:
    """Delete machine class NAME: its file in machine-classes/ (kept as FILE.bak) and, with
    --omni, the MachineClass in Omni.

    Refused while a cluster template uses the class, as Omni refuses to delete a class its
    machine sets use. With --omni it asks first on a terminal; elsewhere it needs --yes.
    """
    from omni_scale.services.machineclass_delete import delete_class

    def confirm() -> None:
        if yes:
            return
        if not app.interactive:
            raise InputError(
                f"deleting machine class '{name}' in Omni: confirm with --yes",
                hint=f"omni-scale machineclass delete {name} --omni --yes",
            )
        click.confirm(f"Delete machine class '{name}' in Omni?", abort=True, err=True)

    deletion = delete_class(
        app.project,
        name,
        dry_run=dry_run,
        in_omni=in_omni,
        omnictl=app.omnictl,
        confirm=confirm,
        warn=app.warn,
    )
    files, omni_output = deletion.files, deletion.omni_output

    def render(console: Console) -> None:
        verb = "would delete" if dry_run else "deleted"
        for path in files:
            rel = app.project.relative(path)
            console.print(f"{verb} {rel} (backup {rel}.bak)", markup=False, soft_wrap=True)
        for line in omni_output:
            console.print(f"omnictl: {line}", markup=False, soft_wrap=True)
        if in_omni and dry_run:
            console.print(f"would delete machine class '{name}' in Omni", markup=False)

    app.emit(deletion.to_json(app.project), render)
    return EXIT_OK
