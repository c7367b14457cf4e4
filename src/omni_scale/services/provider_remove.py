"""`provider remove`: take one provider out of the project, keeping a `.bak` of every file.

What setup wrote for the provider is undone: its compose service, its Proxmox config file (and
mounted CA), its key in .env (and OMNI_ENDPOINT when no provider is left), and the state file's
provider settings when they name it. Nothing is written with `dry_run`; every file changed or
removed is first copied to `<file>.bak` (mode kept: secret files stay 0600).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omni_scale.core.provider.compose import ENDPOINT_VARIABLE, ProviderEntry, remove_provider
from omni_scale.errors import InputError
from omni_scale.project import Project


@dataclass
class FileStep:
    path: Path
    rel: str
    action: str  # "update" | "remove"
    changes: list[str]
    content: str | None = field(default=None, repr=False)  # new text for "update"

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.rel,
            "action": self.action,
            "changes": self.changes,
            "backup": self.rel + ".bak",
        }


@dataclass
class RemovalPlan:
    provider_id: str
    service: str
    files: list[FileStep]
    state_updates: dict[str, Any]
    remaining: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "provider_id": self.provider_id,
            "service": self.service,
            "files": [f.to_json() for f in self.files],
            "state": self.state_updates,
            "remaining_providers": self.remaining,
        }


def _env_without(text: str, names: set[str]) -> tuple[str, list[str]]:
    """The .env text without the variables in `names` (multi-line values included), and the
    names removed. Lines are kept as written otherwise."""
    from dotenv.parser import parse_stream

    kept: list[str] = []
    removed: list[str] = []
    for binding in parse_stream(io.StringIO(text)):
        if binding.key in names and not binding.error:
            removed.append(binding.key)
            continue
        kept.append(binding.original.string)
    return "".join(kept), removed


def plan_removal(project: Project, provider_id: str) -> RemovalPlan:
    from omni_scale.core.provider.setup import ca_name_for
    from omni_scale.services.project_files import (
        compose_providers,
        read_unstamped,
        read_unstamped_lines,
    )
    from omni_scale.state import read_state

    entries = compose_providers(project)
    entry: ProviderEntry | None = next((e for e in entries if e.provider_id == provider_id), None)
    if entry is None:
        known = ", ".join(e.provider_id for e in entries) or "none"
        raise InputError(
            f"no provider '{provider_id}' in {project.relative(project.compose_file)} "
            f"(providers: {known})",
            hint="pass one of the project's provider ids to --provider",
        )
    remaining = [e.provider_id for e in entries if e.provider_id != provider_id]
    files: list[FileStep] = []
    text, _offset = read_unstamped_lines(project.compose_file)
    new_compose = remove_provider(text or "", provider_id, path=project.compose_file)
    files.append(
        FileStep(
            project.compose_file,
            project.relative(project.compose_file),
            "update",
            [f"remove service {entry.service} (--id={provider_id})"],
            new_compose,
        )
    )
    docker = project.compose_file.parent
    config_name = entry.config_name or "config.yaml"
    for name in dict.fromkeys((config_name, ca_name_for(provider_id, config_name))):
        path = docker / name
        if path.is_file() and not any(
            (e.config_name or "config.yaml") == name for e in entries if e is not entry
        ):
            files.append(FileStep(path, project.relative(path), "remove", ["delete"]))
    env_text = read_unstamped(project.env_file)
    if env_text:
        names = {entry.key_variable} if entry.key_variable else set()
        if not remaining:
            names.add(ENDPOINT_VARIABLE)
        new_env, removed = _env_without(env_text, names)
        if removed:
            files.append(
                FileStep(
                    project.env_file,
                    project.relative(project.env_file),
                    "update",
                    [f"remove {name}" for name in removed],
                    new_env,
                )
            )
    state = read_state(project.state_file) if project.state_file.is_file() else {}
    updates: dict[str, Any] = {}
    if state.get("provider_id") == provider_id:
        updates["provider_id"] = remaining[0] if remaining else None
        if not remaining:
            updates["provider_configured"] = False
            updates["last_status"] = None
    return RemovalPlan(provider_id, entry.service, files, updates, remaining)


def _backup(path: Path) -> None:
    from omni_scale.fs.atomic import atomic_write

    mode = path.stat().st_mode & 0o777
    atomic_write(path.with_name(path.name + ".bak"), path.read_bytes(), mode=mode)


def apply_removal(project: Project, plan: RemovalPlan) -> None:
    """Write the plan: a .bak copy of each file first, then the change (atomic)."""
    from omni_scale.fs.atomic import atomic_write
    from omni_scale.fs.safe_write import stamp, unstamp
    from omni_scale.state import update_state

    for step in plan.files:
        _backup(step.path)
        if step.action == "remove":
            step.path.unlink()
            continue
        assert step.content is not None
        mode = step.path.stat().st_mode & 0o777
        recorded, _body = unstamp(step.path.read_text(encoding="utf-8"))
        atomic_write(step.path, stamp(step.content) if recorded else step.content, mode=mode)
    if plan.state_updates:
        _backup(project.state_file)
        update_state(project.state_file, plan.state_updates)
