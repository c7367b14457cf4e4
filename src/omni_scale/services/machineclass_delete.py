"""`machineclass delete`: a class's file in machine-classes/ (kept as FILE.bak) and, when
asked, the MachineClass in Omni."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.core.template.model import machine_set_id
from omni_scale.errors import InputError
from omni_scale.fs.atomic import atomic_write
from omni_scale.lint.document import read_source
from omni_scale.project import Project
from omni_scale.services.cluster_catalog import templates_using
from omni_scale.services.project_files import load_machine_classes

MACHINE_CLASSES = "MachineClasses.omni.sidero.dev"


@dataclass
class ClassDeletion:
    """What `delete_class` did (or, with dry_run, would do)."""

    name: str
    dry_run: bool
    files: list[Path]
    in_omni: bool
    omni_deleted: bool = False
    omni_output: list[str] = field(default_factory=list)

    def to_json(self, project: Project) -> dict[str, Any]:
        return {
            "name": self.name,
            "dry_run": self.dry_run,
            "files": [
                {"path": project.relative(p), "backup": project.relative(p) + ".bak"}
                for p in self.files
            ],
            "omni": {
                "asked": self.in_omni,
                "deleted": self.omni_deleted,
                "output": self.omni_output,
            },
        }


def delete_class(
    project: Project,
    name: str,
    *,
    dry_run: bool,
    in_omni: bool,
    omnictl: Callable[[], Omnictl],
    confirm: Callable[[], None],
    warn: Callable[[str], None],
) -> ClassDeletion:
    """Delete class `name`: its file (a `.bak` copy kept) and, with `in_omni`, the resource.

    Refused (InputError, nothing touched) while a cluster template uses the class, as Omni
    refuses to delete a class its machine sets use; when its file holds other documents too;
    and when no file holds it and Omni is not asked. `confirm` is called before anything is
    deleted in Omni (not for a dry run) and raises to stop; `omnictl` is called only then."""

    files = _class_files(project, name, in_omni=in_omni)
    deletion = ClassDeletion(name, dry_run, files, in_omni)
    if in_omni:
        if not dry_run:
            confirm()
        client = omnictl()
        exists = bool(client.get(MACHINE_CLASSES, name, namespace="default"))
        if exists and not dry_run:
            result = client.delete(MACHINE_CLASSES, name, namespace="default")
            deletion.omni_output = [line for line in result.stderr.splitlines() if line.strip()]
            deletion.omni_deleted = True
        if not exists:
            warn(f"Omni has no machine class '{name}'")
    if not dry_run:
        for path in files:
            backup = path.with_name(path.name + ".bak")
            atomic_write(backup, path.read_bytes(), mode=path.stat().st_mode & 0o777)
            path.unlink()
    return deletion


def _class_files(project: Project, name: str, *, in_omni: bool) -> list[Path]:
    """The files that hold class `name` and nothing else; InputError when it may not go."""
    users = templates_using(project, name)
    if users:
        sets = ", ".join(
            machine_set_id(
                info.name or info.path.stem,
                "ControlPlane" if label == "ControlPlane" else "Workers",
                label,
            )
            for info, label in users
        )
        where = ", ".join(sorted({project.relative(info.path) for info, _ in users}))
        raise InputError(
            f"can not delete the machine class as it is still in use by machine sets: {sets} "
            f"({where})",
            hint=f"give those sets another machineClass, or delete the cluster first "
            f"(omni-scale cluster delete NAME), then delete {name}",
        )
    folder = project.machine_classes_dir
    classes = [c for c in load_machine_classes([folder]) if c.id == name] if folder.is_dir() else []
    files = sorted({c.path for c in classes})
    for path in files:
        if len(read_source(path).documents) > 1:
            raise InputError(
                f"{project.relative(path)} holds more documents than class {name}",
                path=project.relative(path),
                hint=f"remove the {name} document from it by hand (or split the file)",
            )
    if not files and not in_omni:
        raise InputError(
            f"no machine class '{name}' in {project.relative(folder)}/",
            hint="see the classes: omni-scale machineclass list (or pass --omni to delete it "
            "in Omni only)",
        )
    return files
