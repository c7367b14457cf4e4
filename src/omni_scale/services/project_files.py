"""Reading the user's project files: machine classes, provider configs, snapshots, .env, compose.

The I/O half of what used to sit in core: these functions find and read the files, then hand
their text to the pure parsers in `core` (and to `lint.document` for machine classes).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omni_scale.core.machineclass.model import MachineClass, from_document
from omni_scale.core.provider.compose import ProviderEntry, read_providers
from omni_scale.core.provider.config import (
    DEFAULT_PROVIDER_ID,
    ProxmoxConfig,
    parse_provider_config,
)
from omni_scale.core.provider.env_file import check_env, parse_env
from omni_scale.core.provider.setup import CONFIG_HINT
from omni_scale.errors import InputError
from omni_scale.fs.safe_write import unstamp
from omni_scale.lint.context import providers_from_compose
from omni_scale.lint.document import Kind, read_source
from omni_scale.project import PROVIDER_CONFIG, SNAPSHOT_FILE, Project
from omni_scale.state import read_state
from omni_scale.textio import read_text_file
from omni_scale.yamlio import line_of, load_all, yaml_files


def _yaml_files(path: Path) -> list[Path]:
    return yaml_files(path) if path.is_dir() else [path]


def load_machine_classes(paths: Iterable[Path]) -> list[MachineClass]:
    """Every MachineClass document in `paths` (files or folders, recursively).

    Documents that are not MachineClasses are skipped; an unreadable or unparsable file raises
    InputError (one line, with the file and line)."""

    found: list[MachineClass] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"{path} does not exist", path=path, hint="check the path")
        for file in _yaml_files(path):
            source = read_source(file)
            if source.error is not None:
                raise source.error
            for doc in source.documents:
                if doc.kind is Kind.MACHINE_CLASS:
                    found.append(from_document(doc.data, file, source.text, doc.start_line))
    return found


def loadable_machine_classes(
    project: Project, warn: Callable[[str], None] | None = None
) -> list[MachineClass]:
    """Every class of the project's machine-classes/ that loads; a broken file is skipped (it
    is the linter's to report), where `load_machine_classes` refuses it.

    Only InputError (what an unreadable or unparsable file raises) skips a file: anything else
    is not a broken class file and goes to the caller. `warn` hears each skipped file, one line
    with its path and line."""
    folder = project.machine_classes_dir
    if not folder.is_dir():
        return []
    found: list[MachineClass] = []
    for path in yaml_files(folder):
        try:
            found += load_machine_classes([path])
        except InputError as exc:
            if warn is not None:
                if exc.path == str(path):  # the project's own name for it, as lint shows it
                    exc.path = project.relative(path)
                warn(f"machine class file skipped: {exc.one_line()}")
    return found


def find_machine_class(project: Project, name: str) -> MachineClass:
    """The class with metadata.id `name` in the project's machine-classes/ folder."""
    folder = project.machine_classes_dir
    classes = load_machine_classes([folder]) if folder.is_dir() else []
    for machine_class in classes:
        if machine_class.id == name:
            return machine_class
    named_file = unreadable_class_file(project, name)
    if named_file is not None:
        raise named_file
    ids = sorted({c.id for c in classes if c.id})
    close = difflib.get_close_matches(name, ids, n=1)
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif ids:
        hint = f"known classes: {', '.join(ids)}"
    else:
        hint = f"create one with: omni-scale machineclass create {name}"
    raise InputError(f"no machine class '{name}' in {project.relative(folder)}/", hint=hint)


def unreadable_class_file(project: Project, name: str) -> InputError | None:
    """Why machine-classes/NAME.yaml (or .yml), when it exists, holds no usable class.

    Without this, a class file that is binary, broken or not a MachineClass at all would be
    reported as "no machine class NAME", sending the user looking for a file that is there.
    """

    if not name or "/" in name or name.startswith("."):
        return None
    for suffix in (".yaml", ".yml"):
        path = project.machine_classes_dir / f"{name}{suffix}"
        if not path.is_file():
            continue
        source = read_source(path)
        if source.error is not None:
            return source.error
        if not any(
            doc.kind in (Kind.MACHINE_CLASS, Kind.LEGACY_MACHINE_CLASS) for doc in source.documents
        ):
            return InputError(
                "no MachineClass in this file (empty, or not a MachineClass)",
                path=project.relative(path),
                hint=f"omni-scale lint {project.relative(path)} shows what is wrong",
            )
    return None


def load_provider_config(path: Path) -> ProxmoxConfig:
    return parse_provider_config(read_text_file(path, what="Proxmox config"), path=path)


@dataclass(frozen=True)
class ProviderTarget:
    """One provider the project runs: its id, its Proxmox config file and its snapshot file."""

    provider_id: str
    config_path: Path
    snapshot_path: Path
    version: str | None = None
    service: str | None = None
    image: str | None = None  # the compose `image:` (None: no compose service found)


def _volume_source(base: Path, service: Any, target: str) -> Path | None:
    """The host path a compose service mounts at `target` (short or long volume syntax)."""
    volumes = service.get("volumes") if isinstance(service, Mapping) else None
    for volume in volumes if isinstance(volumes, list) else []:
        source = dest = None
        if isinstance(volume, str):
            parts = volume.split(":")
            if len(parts) >= 2:
                source, dest = parts[0], parts[1]
        elif isinstance(volume, Mapping):
            source, dest = volume.get("source"), volume.get("target")
        if source and dest and str(dest) == target and str(source).startswith((".", "/")):
            return (base / str(source)).resolve()
    return None


def snapshot_name(provider_id: str, several: bool) -> Path:
    """`proxmox-snapshot.json`, or `proxmox-snapshot-<id>.json` for non-default ids of several."""
    if several and provider_id != DEFAULT_PROVIDER_ID:
        return Path(f"proxmox-snapshot-{provider_id}.json")
    return SNAPSHOT_FILE


def provider_targets(project: Project, *, strict: bool = False) -> list[ProviderTarget]:
    """Every provider of the project (from docker/compose.yaml), else the single default one.

    With `strict`, a compose file that cannot be read or parsed raises its one-line error
    instead of being taken for "no providers" (which would silently pick the default id).
    """

    found: list[tuple[Any, Any]] = []  # (ComposeProvider, its service mapping)
    if project.compose_file.is_file():
        source = read_source(project.compose_file)
        if strict and source.error is not None:
            raise source.error
        env = compose_variables(project, os.environ)
        for doc in source.documents:
            services = doc.data.get("services") if isinstance(doc.data, Mapping) else None
            for provider in providers_from_compose(doc.data, env):
                service = services.get(provider.service) if isinstance(services, Mapping) else None
                found.append((provider, service))
    if not found:
        provider_id = _state_provider_id(project) or DEFAULT_PROVIDER_ID
        snapshot = project.root / snapshot_name(provider_id, False)
        return [ProviderTarget(provider_id, project.provider_config, snapshot)]
    several = len(found) > 1
    base = project.compose_file.parent
    targets: list[ProviderTarget] = []
    for provider, _service in found:
        _check_path_safe_id(project, provider.provider_id)
    for provider, service in found:
        config: Path | None = None
        if provider.config_file:
            config = _volume_source(base, service, provider.config_file)
        if config is None:
            if not several or provider.provider_id == DEFAULT_PROVIDER_ID:
                config = project.root / PROVIDER_CONFIG
            else:
                config = project.root / "docker" / f"config-{provider.provider_id}.yaml"
        targets.append(
            ProviderTarget(
                provider.provider_id,
                config,
                project.root / snapshot_name(provider.provider_id, several),
                provider.version,
                provider.service,
                provider.image,
            )
        )
    return targets


def _check_path_safe_id(project: Project, provider_id: str) -> None:
    """A provider id names files (docker/config-ID.yaml, proxmox-snapshot-ID.json): one that
    could leave its folder (`a/b`, `../x`, `..`, an absolute path) is refused, whatever the
    compose file says."""
    if provider_id in ("", ".", "..") or any(c in provider_id for c in "/\\\0"):
        raise InputError(
            f"provider id {provider_id!r} is not a valid id (it would be used in file names)",
            path=project.relative(project.compose_file),
            hint="use a DNS-1123 label in --id=..., e.g. --id=proxmox",
        )


def _state_provider_id(project: Project) -> str | None:
    try:
        value = read_state(project.state_file).get("provider_id")
    except InputError:
        return None
    return str(value) if value else None


def find_target(project: Project, provider_id: str | None) -> ProviderTarget:
    targets = provider_targets(project, strict=True)
    if provider_id is None:
        if len(targets) > 1:
            ids = ", ".join(t.provider_id for t in targets)
            raise InputError(
                f"the project runs several providers ({ids})",
                hint="choose one with --provider ID",
            )
        return targets[0]
    for target in targets:
        if target.provider_id == provider_id:
            return target
    ids = ", ".join(t.provider_id for t in targets)
    raise InputError(
        f"no provider with id {provider_id!r} in this project (known: {ids})",
        path=project.relative(project.compose_file),
        hint="pass an id from docker/compose.yaml (--id of a provider service)",
    )


def proxmox_target(
    project: Project, provider_id: str | None
) -> tuple[ProviderTarget, ProxmoxConfig]:
    """The provider `provider_id` (None: the only one) and its Proxmox config, read.

    A missing config is bad input that says how to get one."""
    target = find_target(project, provider_id)
    if not target.config_path.is_file():
        raise InputError(
            f"no Proxmox config at {project.relative(target.config_path)} "
            f"(provider {target.provider_id})",
            hint="run `omni-scale provider setup`, or write it (proxmox: url, tokenID, "
            "tokenSecret)",
        )
    return target, load_provider_config(target.config_path)


def read_env_values(path: Path) -> dict[str, str]:
    """The KEY=VALUE pairs of a .env file ({} when missing); InputError when it is not one."""
    body, offset = read_unstamped_lines(path)
    if body is None:
        return {}
    check_env(body, path=path, line_offset=offset)
    return parse_env(body)


def compose_variables(project: Project, environ: Mapping[str, str]) -> dict[str, str]:
    """What compose interpolates `${VAR}` in docker/compose.yaml with: the project's .env
    (unreadable: nothing), under the shell's variables `environ` (they win, as in Compose)."""
    try:
        values = read_env_values(project.env_file)
    except (InputError, OSError):
        values = {}
    return {**values, **environ}


def read_config_values(path: Path) -> dict[str, Any]:
    """The `proxmox:` block of a provider config ({} when missing or empty).

    Unlike `existing_config_values` this refuses a file it cannot read or that has the wrong
    shape (InputError with the file and line): setup must not take it for a missing one.
    """

    body, offset = read_unstamped_lines(path)
    if body is None or not body.strip():
        return {}
    docs = load_all(body, path=path, line_offset=offset)
    data = docs[0] if docs else None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise InputError(
            "the provider config is not a mapping", path=path, line=1 + offset, hint=CONFIG_HINT
        )
    block = data.get("proxmox")
    if block is None:
        return {}
    if not isinstance(block, Mapping):
        where = line_of(data, "proxmox")
        raise InputError(
            "'proxmox' is not a mapping",
            path=path,
            line=where[0] + offset if where else None,
            hint=CONFIG_HINT,
        )
    return {str(k): v for k, v in block.items()}


def read_unstamped(path: Path) -> str | None:
    """A file's text without omni-scale's stamp line; None when it does not exist.

    Unreadable, binary or non-UTF-8 files raise InputError naming the file (and line)."""

    if not path.exists() and not path.is_symlink():
        return None
    return unstamp(read_text_file(path, what=path.name))[1]


def read_unstamped_lines(path: Path) -> tuple[str | None, int]:
    """(`read_unstamped(path)`, lines the stamp took), to report the file's own line numbers."""

    if not path.exists() and not path.is_symlink():
        return None, 0
    raw = read_text_file(path, what=path.name)
    body = unstamp(raw)[1]
    return body, raw[: len(raw) - len(body)].count("\n")


def compose_providers(project: Project) -> list[ProviderEntry]:
    text, offset = read_unstamped_lines(project.compose_file)
    if not text:
        return []
    return read_providers(
        text,
        path=project.compose_file,
        line_offset=offset,
        env=compose_variables(project, os.environ),
    )
