"""`provider setup`: plan every file's new content from the project's current files, then write.

`plan_setup` reads docker/compose.yaml, docker/config*.yaml and .env and computes each file's
new content and a change summary with the pure helpers of `core.provider.setup` (secret values
are never part of a summary: only "set" / "changed"). `apply_plan` writes the plan through the
file layer: atomic, secrets 0600, generated files stamped, and nothing a user changed by hand is
replaced without `force`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.adapters.proxmox.live import check_proxmox
from omni_scale.core.provider.compose import (
    DEFAULT_PROVIDER_ID,
    ENDPOINT_VARIABLE,
    ProviderEntry,
    ProviderSpec,
    check_provider_id,
    config_name_for,
    key_variable_for,
    merge_provider,
    read_providers,
)
from omni_scale.core.provider.config import ProxmoxConfig
from omni_scale.core.provider.setup import (
    AUTH_KEYS,
    SECRET_CONFIG_KEYS,
    FileChange,
    SetupInputs,
    SetupPlan,
    _entry_summary,
    auth_warnings,
    check_key,
    config_values,
    how_to_get_a_key,
    merge_env,
    render_config,
)
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS, FileConflict, InputError
from omni_scale.fs.atomic import SECRET_MODE
from omni_scale.fs.gitignore import ensure_gitignore
from omni_scale.fs.safe_write import is_pristine, write_managed
from omni_scale.project import Project
from omni_scale.services.project_files import (
    compose_providers,
    read_config_values,
    read_env_values,
    read_unstamped,
    read_unstamped_lines,
)
from omni_scale.state import read_state, update_state


def _pristine(path: Path) -> bool:
    try:
        return is_pristine(path.read_text(encoding="utf-8", errors="surrogateescape"))
    except FileNotFoundError:
        return True


def _status(path: Path, changed: bool, additive: bool, force: bool) -> str:
    if not path.exists():
        return "create"
    if not changed:
        return "unchanged"
    if additive or force or _pristine(path):
        return "update"
    return "conflict"


def provider_layout(project: Project, provider_id: str) -> tuple[bool, str, str, str | None]:
    """(first, key variable, config file name, existing service) for `provider_id`."""
    entries = compose_providers(project)
    for entry in entries:
        if entry.provider_id == provider_id:
            first = entry.key_variable in (None, key_variable_for(provider_id, first=True))
            return (
                first,
                entry.key_variable or key_variable_for(provider_id, first=True),
                entry.config_name or config_name_for(provider_id, first=first),
                entry.service,
            )
    first = not entries
    return (
        first,
        key_variable_for(provider_id, first=first),
        config_name_for(provider_id, first=first),
        None,
    )


def plan_setup(project: Project, inputs: SetupInputs, *, force: bool = False) -> SetupPlan:
    first, key_variable, config_name, service = provider_layout(project, inputs.provider_id)
    spec = ProviderSpec(
        inputs.provider_id,
        image=inputs.image,
        key_variable=key_variable,
        config_name=config_name,
        service=service,
        omni_insecure_skip_verify=inputs.omni_insecure_skip_verify,
    )
    files: list[FileChange] = []

    # docker/compose.yaml
    old_compose, offset = read_unstamped_lines(project.compose_file)
    new_compose = merge_provider(old_compose, spec, path=project.compose_file, line_offset=offset)
    old_entry = next(
        (
            e
            for e in (read_providers(old_compose) if old_compose else [])
            if e.provider_id == inputs.provider_id
        ),
        None,
    )
    new_entry = next(e for e in read_providers(new_compose) if e.provider_id == inputs.provider_id)
    before, after = _entry_summary(old_entry), _entry_summary(new_entry)
    changes = (
        [f"add service {new_entry.service} (--id={inputs.provider_id})"]
        if old_entry is None
        else [f"{k}: {before.get(k)} -> {v}" for k, v in after.items() if before.get(k) != v]
    )
    files.append(
        FileChange(
            project.compose_file,
            project.relative(project.compose_file),
            _status(project.compose_file, bool(changes), old_entry is None, force),
            changes,
            new_compose,
            additive=old_entry is None,
        )
    )

    # docker/config[-id].yaml
    config_path = project.compose_file.parent / config_name
    old_values = read_config_values(config_path)  # refuses a file it cannot read
    old_config = read_unstamped(config_path)
    new_values = config_values(inputs)
    changes = []
    for key in sorted(set(old_values) | set(new_values), key=_config_order):
        if key not in AUTH_KEYS and key not in new_values:
            continue  # keys we do not manage are kept as they are
        old, new = old_values.get(key), new_values.get(key)
        if old == new:
            continue
        if key in SECRET_CONFIG_KEYS:
            changes.append(f"{key}: {'set' if old is None else 'changed' if new else 'removed'}")
        elif old is None:
            changes.append(f"{key}: {_show(new)}")
        else:
            changes.append(f"{key}: {_show(old)} -> {_show(new)}")
    files.append(
        FileChange(
            config_path,
            project.relative(config_path),
            _status(config_path, bool(changes), False, force),
            changes,
            render_config(old_config, inputs),
            secret=True,
        )
    )

    # .env
    old_env = read_env_values(project.env_file)  # refuses a file that is not KEY=VALUE lines
    old_env_text = read_unstamped(project.env_file)
    updates = {ENDPOINT_VARIABLE: inputs.omni_endpoint}
    if inputs.key:
        updates[key_variable] = inputs.key
    changes = []
    replaced = False
    for key, value in updates.items():
        old = old_env.get(key)
        if old == value:
            continue
        replaced = replaced or old is not None
        if key == key_variable:
            changes.append(f"{key}: {'set' if old is None else 'changed'}")
        else:
            changes.append(f"{key}: {old} -> {value}" if old is not None else f"{key}: {value}")
    files.append(
        FileChange(
            project.env_file,
            project.relative(project.env_file),
            _status(project.env_file, bool(changes), not replaced, force),
            changes,
            merge_env(old_env_text, updates),
            secret=True,
            additive=not replaced,
        )
    )
    key_present = bool(inputs.key or old_env.get(key_variable))
    return SetupPlan(
        provider_id=inputs.provider_id,
        service=new_entry.service,
        key_variable=key_variable,
        config_name=config_name,
        first=first,
        files=files,
        key_present=key_present,
        warnings=auth_warnings(inputs),
    )


def _show(value: Any) -> str:
    return json.dumps(value) if isinstance(value, bool) or value is None else str(value)


def _config_order(key: str) -> int:
    order = ("url", *AUTH_KEYS, "insecureSkipVerify")
    return order.index(key) if key in order else len(order)


def apply_plan(plan: SetupPlan, *, force: bool = False) -> list[FileChange]:
    """Write every created/updated file; refuse (FileConflict) on any conflict."""

    if plan.conflicts and not force:
        first = plan.conflicts[0]
        raise FileConflict(
            f"{first.rel} was changed by hand; setup would change: {'; '.join(first.changes)}",
            path=first.rel,
            hint="review with --dry-run, then re-run with --force (a .bak copy is kept)",
        )
    written: list[FileChange] = []
    for change in plan.files:
        mode = SECRET_MODE if change.secret else None
        if change.status == "unchanged":
            if mode is not None and (change.path.stat().st_mode & 0o777) != mode:
                change.path.chmod(mode)
            continue
        write_managed(
            change.path,
            change.content,
            force=force or change.additive or change.status == "update",
            mode=mode,
        )
        written.append(change)
    return written


# -- the use case ----------------------------------------------------------------------


@dataclass
class Current:
    """What the project already holds for a provider id (the defaults of every answer)."""

    config: dict[str, Any]  # the proxmox: block of its config file
    env: dict[str, str]  # .env
    entry: ProviderEntry | None  # its compose service
    state: dict[str, Any]  # the state file ({} when unreadable: see state_error)
    state_error: InputError | None = None


def current_settings(project: Project, provider_id: str) -> Current:
    _first, _var, config_name, _service = provider_layout(project, provider_id)
    config = read_config_values(project.compose_file.parent / config_name)
    env = read_env_values(project.env_file)
    entry = next((e for e in compose_providers(project) if e.provider_id == provider_id), None)
    try:
        return Current(config, env, entry, read_state(project.state_file))
    except InputError as exc:
        return Current(config, env, entry, {}, exc)


def choose_provider_id(project: Project, given: str | None) -> str:
    """--id, else the compose file's only provider, else the state's, else `proxmox`."""
    if given:
        return check_provider_id(given)
    entries = compose_providers(project)
    if len(entries) == 1:
        return entries[0].provider_id
    if len(entries) > 1:
        ids = ", ".join(e.provider_id for e in entries)
        raise InputError(
            f"the project runs several providers ({ids})", hint="choose one with --id ID"
        )
    state_id = read_state(project.state_file).get("provider_id")
    return check_provider_id(str(state_id or DEFAULT_PROVIDER_ID))


@dataclass
class KeyChoice:
    key: str | None = field(default=None, repr=False)
    source: str = "none"  # "file", "env", "existing", "created", "prompt", "none"


@dataclass
class SetupOptions:
    create_key: bool = False
    offline: bool = False
    dry_run: bool = False
    force: bool = False


def run_setup(
    project: Project,
    inputs: SetupInputs,
    choose_key: Callable[[str, dict[str, str]], KeyChoice],
    options: SetupOptions,
    *,
    notes: list[str],
    note: Callable[[str], None],
) -> tuple[dict[str, Any], int]:
    """Plan, settle the key (`choose_key(key variable, .env values)`, or `omnictl infraprovider
    create` with `create_key`), check the credentials live, write, record the state:
    (the command's JSON result, exit code)."""
    plan = plan_setup(project, inputs, force=options.force)
    env = read_env_values(project.env_file)
    choice = choose_key(plan.key_variable, env)
    if options.create_key and choice.key and not options.force:
        notes.append(f"{plan.key_variable} is already set; not creating a key (--force to)")
    elif options.create_key and not options.dry_run:
        if plan.conflicts and not options.force:
            apply_plan(plan, force=False)  # raises FileConflict naming the file and changes
        note(f"running: omnictl infraprovider create {inputs.provider_id}")
        omnictl = Omnictl.for_project(project.state_file)
        choice = KeyChoice(omnictl.infraprovider_create(inputs.provider_id).key, "created")
    warnings = list(plan.warnings)
    if choice.key:
        warnings += check_key(choice.key, inputs.provider_id)
        inputs.key = choice.key
        plan = plan_setup(project, inputs, force=options.force)
    proxmox: dict[str, Any] = {"checked": False}
    if not options.offline:
        note(f"checking the Proxmox credentials at {inputs.proxmox_url} ...")
        proxmox = {"checked": True, **check_proxmox(_proxmox_config(inputs))}
    if not options.dry_run:
        _write(project, plan, inputs, bool(choice.key), options.force, note)
    key_present = bool(choice.key) or plan.key_present
    result = {
        "provider_id": inputs.provider_id,
        "service": plan.service,
        "key_variable": plan.key_variable,
        "config_file": f"docker/{plan.config_name}",
        "image": inputs.image,
        "auth": inputs.auth_mode,
        "files": [f.to_json() for f in plan.files],
        "key": {
            "present": key_present,
            "source": choice.source,
            "how_to": []
            if key_present
            else how_to_get_a_key(inputs.provider_id, plan.key_variable),
        },
        "proxmox": proxmox,
        "notes": notes,
        "warnings": warnings,
        "dry_run": options.dry_run,
        "written": not options.dry_run,
    }
    if options.dry_run:
        code = EXIT_PROBLEMS if plan.conflicts and not options.force else EXIT_OK
    else:
        code = EXIT_OK if key_present else EXIT_PROBLEMS
    return result, code


def _proxmox_config(inputs: SetupInputs) -> ProxmoxConfig:
    return ProxmoxConfig(
        url=inputs.proxmox_url,
        token_id=inputs.token_id,
        token_secret=inputs.token_secret,
        username=inputs.username,
        password=inputs.password,
        realm=inputs.realm,
        insecure_skip_verify=inputs.insecure_skip_verify,
    )


def _write(
    project: Project,
    plan: SetupPlan,
    inputs: SetupInputs,
    key_given: bool,
    force: bool,
    note: Callable[[str], None],
) -> None:
    apply_plan(plan, force=force)
    added = ensure_gitignore(project.root)
    if added:
        note(f".gitignore: added {', '.join(added)}")
    state = read_state(project.state_file)
    updates: dict[str, Any] = {
        "omni_endpoint": inputs.omni_endpoint,
        "proxmox_endpoint": inputs.proxmox_url,
        "provider_image": inputs.image,
    }
    if plan.first or not state.get("provider_configured"):
        updates["provider_id"] = inputs.provider_id
    key_ok = key_given or plan.key_present
    if plan.first or key_ok:
        updates["provider_configured"] = key_ok or bool(state.get("provider_configured"))
    update_state(project.state_file, updates)
