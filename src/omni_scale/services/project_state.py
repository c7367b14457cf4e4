"""`state show | get | set`: the project state file (.claude/omni-scale.local.md).

Reading gives every known key (defaults where the file has none); setting parses each VALUE as
a YAML scalar, creates the file when missing and then gitignores it in a git repository.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omni_scale.errors import InputError
from omni_scale.fs.gitignore import ensure_gitignore
from omni_scale.project import Project
from omni_scale.state import KNOWN_KEYS, parse_value, read_state, update_state

__all__ = ["KNOWN_KEYS", "Changed", "get_value", "set_values", "show_state"]


def show_state(project: Project) -> tuple[Path, bool, dict[str, Any]]:
    """The state file's path, whether it exists, and every value."""
    path = project.state_file
    return path, path.exists(), read_state(path)


def get_value(project: Project, key: str) -> Any:
    """One value (the default when unset); an unknown key is an input error."""
    values = read_state(project.state_file)
    if key not in values:
        raise InputError(f"unknown state key '{key}'", hint=f"known keys: {', '.join(KNOWN_KEYS)}")
    return values[key]


@dataclass(frozen=True)
class Changed:
    path: Path
    created: bool
    updated: dict[str, Any]


def set_values(
    project: Project,
    assignments: tuple[str, ...],
    *,
    force: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> Changed:
    """Apply KEY=VALUE assignments (`force` allows unknown keys)."""
    updates: dict[str, Any] = {}
    for item in assignments:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise InputError(
                f"expected KEY=VALUE, got {item!r}", hint="e.g. state set default_cores=4"
            )
        updates[key.strip()] = parse_value(key.strip(), raw)
    path = project.state_file
    created = not path.exists()
    values = update_state(path, updates, allow_unknown=force, on_wait=on_wait)
    if created and (project.root / ".git").exists():
        ensure_gitignore(project.root, (".claude/*.local.md", ".claude/*.lock"))
    return Changed(path, created, {key: values[key] for key in updates})
