"""`omni-scale machineclass delete NAME [--dry-run] [--omni] [--yes]`"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from omni_scale.cli.commands.completion import complete_class
from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, InputError

if TYPE_CHECKING:
    from rich.console import Console

MACHINE_CLASSES = "MachineClasses.omni.sidero.dev"


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
    from omni_scale.core.template.model import machine_set_id
    from omni_scale.services.cluster_catalog import templates_using
    from omni_scale.services.project_files import load_machine_classes

    users = templates_using(app.project, name)
    if users:
        sets = ", ".join(
            machine_set_id(info.name or info.path.stem, "ControlPlane" if label ==
                           "ControlPlane" else "Workers", label)
            for info, label in users
        )  # fmt: skip
        where = ", ".join(sorted({app.project.relative(info.path) for info, _ in users}))
        raise InputError(
            f"can not delete the machine class as it is still in use by machine sets: {sets} "
            f"({where})",
            hint=f"give those sets another machineClass, or delete the cluster first "
            f"(omni-scale cluster delete NAME), then delete {name}",
        )
    folder = app.project.machine_classes_dir
    classes = [c for c in load_machine_classes([folder]) if c.id == name] if folder.is_dir() else []
    files: list[Path] = sorted({c.path for c in classes})
    for path in files:
        from omni_scale.lint.document import read_source

        if len(read_source(path).documents) > 1:
            raise InputError(
                f"{app.project.relative(path)} holds more documents than class {name}",
                path=app.project.relative(path),
                hint=f"remove the {name} document from it by hand (or split the file)",
            )
    if not files and not in_omni:
        raise InputError(
            f"no machine class '{name}' in {app.project.relative(folder)}/",
            hint="see the classes: omni-scale machineclass list (or pass --omni to delete it "
            "in Omni only)",
        )
    omni_deleted = False
    omni_output: list[str] = []
    if in_omni:
        if not dry_run and not yes:
            if not app.interactive:
                raise InputError(
                    f"deleting machine class '{name}' in Omni: confirm with --yes",
                    hint=f"omni-scale machineclass delete {name} --omni --yes",
                )
            click.confirm(f"Delete machine class '{name}' in Omni?", abort=True, err=True)

        omnictl = app.omnictl()
        exists = bool(omnictl.get(MACHINE_CLASSES, name, namespace="default"))
        if exists and not dry_run:
            result = omnictl.delete(MACHINE_CLASSES, name, namespace="default")
            omni_output = [line for line in result.stderr.splitlines() if line.strip()]
            omni_deleted = True
        if not exists:
            app.warn(f"Omni has no machine class '{name}'")
    if not dry_run:
        from omni_scale.fs.atomic import atomic_write

        for path in files:
            backup = path.with_name(path.name + ".bak")
            atomic_write(backup, path.read_bytes(), mode=path.stat().st_mode & 0o777)
            path.unlink()
    data = {
        "name": name,
        "dry_run": dry_run,
        "files": [
            {"path": app.project.relative(p), "backup": app.project.relative(p) + ".bak"}
            for p in files
        ],
        "omni": {"asked": in_omni, "deleted": omni_deleted, "output": omni_output},
    }

    def render(console: Console) -> None:
        verb = "would delete" if dry_run else "deleted"
        for path in files:
            rel = app.project.relative(path)
            console.print(f"{verb} {rel} (backup {rel}.bak)", markup=False, soft_wrap=True)
        for line in omni_output:
            console.print(f"omnictl: {line}", markup=False, soft_wrap=True)
        if in_omni and dry_run:
            console.print(f"would delete machine class '{name}' in Omni", markup=False)

    app.emit(data, render)
    return EXIT_OK
