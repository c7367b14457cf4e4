"""`omni-scale machineclass list`: the project's machine classes as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK

if TYPE_CHECKING:
    from rich.console import Console


def _cpu(row: dict[str, Any]) -> str:
    if row["cores"] is None:
        return "-"
    sockets = row["sockets"] if row["sockets"] is not None else "0 (unset)"
    return f"{row['cores']} x {sockets}"


@click.command("list")
@pass_app
def command(app: AppContext) -> int:
    """List the MachineClasses in machine-classes/ (id, provider, CPU, memory, disk, selector).

    Exit 1 when a class's providerdata cannot be read (run `omni-scale lint` for details).
    """
    from omni_scale.services.machineclass_list import list_classes

    folder = app.project.machine_classes_dir
    rows = list_classes(app.project)

    def render(console: Console) -> None:
        from rich.table import Table
        from rich.text import Text

        if not rows:
            console.print(
                f"no machine classes in {app.project.relative(folder)}/ "
                "(create one: omni-scale machineclass create NAME)"
            )
            return
        table = Table(box=None, pad_edge=False, padding=(0, 2, 0, 0))
        table.add_column("ID", overflow="fold")
        table.add_column("PROVIDER", overflow="fold")
        for title in ("CPU", "MEMORY", "DISK"):
            table.add_column(title, no_wrap=True)
        table.add_column("SELECTOR", overflow="fold", min_width=12)
        table.add_column("NODE", overflow="fold", min_width=4)
        for row in rows:
            if not row["proxmox"]:
                table.add_row(
                    Text(row["id"] or "?"),
                    Text(row["providerid"] or "-"),
                    Text("another infra provider's class (not a Proxmox one)", style="dim"),
                )
                continue
            if row["error"]:
                table.add_row(
                    Text(row["id"] or "?"),
                    Text(row["providerid"] or "-"),
                    Text(row["error"], style="red"),
                )
                continue
            extra = f" +{row['additional_disks']}" if row["additional_disks"] else ""
            table.add_row(
                Text(row["id"] or "?"),
                Text(row["providerid"] or "-"),
                _cpu(row),
                f"{row['memory']} MiB",
                f"{row['disk_size']} GiB{extra}",
                Text(row["storage_selector"]),
                Text(row["node"] or "auto"),
            )
        console.print(table)

    app.emit({"classes": rows}, render)
    return 1 if any(row["error"] for row in rows) else EXIT_OK
