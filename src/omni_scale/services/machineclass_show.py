"""`machineclass show`: one class, its providerdata with the provider's defaults, its problems."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from omni_scale.core.machineclass.model import MachineClass
from omni_scale.core.machineclass.providerdata import load_providerdata_yaml
from omni_scale.errors import InputError
from omni_scale.lint.context import build_context
from omni_scale.lint.engine import lint_files
from omni_scale.project import Project
from omni_scale.services.project_files import find_machine_class

FIRST = ("cores", "sockets", "memory", "disk_size", "storage_selector")


def explicit_keys(text: str | None) -> set[str]:
    """The providerdata keys the class sets itself (the others are the provider's defaults)."""
    if text is None:
        return set()
    try:
        node = load_providerdata_yaml(text, path=None)
    except InputError:
        return set()
    return {str(k) for k in node} if isinstance(node, dict) else set()


def show_class(project: Project, name: str) -> tuple[MachineClass, dict[str, Any], int]:
    """(the class, the command's JSON result, its lint error count)."""
    machine_class = find_machine_class(project, name)
    providerdata: dict[str, Any] | None = None
    error: str | None = None
    try:
        data = machine_class.providerdata()
        fields = asdict(data)
        providerdata = {key: fields[key] for key in FIRST}
        providerdata.update((k, v) for k, v in fields.items() if k not in FIRST)
        providerdata["extra"] = dict(data.extra)
    except InputError as exc:
        error = exc.one_line()
    report = lint_files([machine_class.path], build_context(project))
    result = {
        "id": machine_class.id,
        "path": project.relative(machine_class.path),
        "line": machine_class.line,
        "providerid": machine_class.providerid,
        "providerdata": providerdata,
        "explicit": sorted(explicit_keys(machine_class.providerdata_text)),
        "error": error,
        "problems": [p.to_json() for p in report.problems],
    }
    return machine_class, result, report.errors
