"""`omni-scale machineclass list`: the project's machine classes as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.core.machineclass.model import MachineClass


def summary(machine_class: MachineClass, relative: str, *, proxmox: bool = True) -> dict[str, Any]:
    """One class as a JSON row; `error` is set when its providerdata does not parse.

    `proxmox` False: another infra provider's class; its providerdata is that provider's and is
    not read as the Proxmox provider's (Omni checks it against that provider's own schema).
    """
    row: dict[str, Any] = {
        "id": machine_class.id,
        "providerid": machine_class.providerid,
        "path": relative,
        "line": machine_class.line,
        "cores": None,
        "sockets": None,
        "memory": None,
        "disk_size": None,
        "storage_selector": None,
        "node": None,
        "additional_disks": 0,
        "error": None,
        "proxmox": proxmox,
    }
    if not proxmox:
        return row
    if machine_class.matchlabels is not None and machine_class.providerdata_text is None:
        row["error"] = "manual class (matchlabels): no providerdata"
        return row
    try:
        data = machine_class.providerdata()
    except InputError as exc:
        row["error"] = exc.message
        return row
    row.update(
        cores=data.cores,
        sockets=data.sockets,
        memory=data.memory,
        disk_size=data.disk_size,
        storage_selector=data.storage_selector,
        node=data.node,
        additional_disks=len(data.additional_disks),
    )
    return row


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
    from omni_scale.lint.context import build_context
    from omni_scale.services.project_files import load_machine_classes

    folder = app.project.machine_classes_dir
    classes = load_machine_classes([folder]) if folder.is_dir() else []
    ctx = build_context(app.project)
    rows = []
    for c in classes:
        known = c.matchlabels is not None or ctx.is_proxmox_provider(c.providerid)
        row = summary(c, app.project.relative(c.path), proxmox=known or not ctx.explicit_providers)
        if not known and row["error"]:
            # no provider configured in the project and an id that is not `proxmox`: a class
            # that does not read as Proxmox providerdata is taken for another provider's
            row = summary(c, app.project.relative(c.path), proxmox=False)
        rows.append(row)

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
