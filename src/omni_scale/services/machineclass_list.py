"""`machineclass list`: the project's machine classes as rows (id, provider, size, selector)."""

from __future__ import annotations

from typing import Any

from omni_scale.core.machineclass.model import MachineClass
from omni_scale.errors import InputError
from omni_scale.lint.context import build_context
from omni_scale.project import Project
from omni_scale.services.project_files import load_machine_classes


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


def list_classes(project: Project) -> list[dict[str, Any]]:
    """One row a class of machine-classes/ (`summary`), in file order.

    A class whose provider is not the project's Proxmox provider is read as another infra
    provider's; with no provider configured, a class with another id whose providerdata does
    not read as the Proxmox provider's is taken for another provider's too. A file that does
    not load is bad input (InputError), as for plan and apply."""
    folder = project.machine_classes_dir
    classes = load_machine_classes([folder]) if folder.is_dir() else []
    ctx = build_context(project)
    rows = []
    for c in classes:
        known = c.matchlabels is not None or ctx.is_proxmox_provider(c.providerid)
        row = summary(c, project.relative(c.path), proxmox=known or not ctx.explicit_providers)
        if not known and row["error"]:
            # no provider configured in the project and an id that is not `proxmox`: a class
            # that does not read as Proxmox providerdata is taken for another provider's
            row = summary(c, project.relative(c.path), proxmox=False)
        rows.append(row)
    return rows
