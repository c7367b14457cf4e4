"""`provider setup`: plan every file's new content from the project's current files, then write.

`plan_setup` reads docker/compose.yaml, docker/config*.yaml and .env and computes each file's
new content and a change summary with the pure helpers of `core.provider.setup` (secret values
are never part of a summary: only "set" / "changed"). `apply_plan` writes the plan through the
file layer: atomic, secrets 0600, generated files stamped, and nothing a user changed by hand is
replaced without `force`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import certifi

from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.adapters.proxmox.client import ProxmoxApiError, ProxmoxUnreachable, publicly_trusted
from omni_scale.adapters.proxmox.live import check_proxmox
from omni_scale.core.placement.release import resolve_release
from omni_scale.core.provider.compose import (
    CONTAINER_CA,
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
from omni_scale.core.provider.env_file import merge_env
from omni_scale.core.provider.setup import (
    AUTH_KEYS,
    SECRET_CONFIG_KEYS,
    FileChange,
    SetupInputs,
    SetupPlan,
    _entry_change,
    _entry_summary,
    auth_warnings,
    ca_name_for,
    check_ca_bundle,
    config_values,
    render_config,
)
from omni_scale.errors import FileConflict, InputError
from omni_scale.fs.atomic import SECRET_MODE
from omni_scale.fs.gitignore import ensure_gitignore
from omni_scale.fs.guard import checked_target, make_dirs, safe_chmod
from omni_scale.fs.lock import project_lock
from omni_scale.fs.read import read_capped_or_none
from omni_scale.fs.safe_write import is_pristine, write_managed
from omni_scale.project import Project
from omni_scale.services.project_files import (
    compose_providers,
    loadable_machine_classes,
    read_config_values,
    read_env_values,
    read_unstamped,
    read_unstamped_lines,
)
from omni_scale.services.proxmox_check import check_sync, grant_commands
from omni_scale.state import read_state, update_state
from omni_scale.textio import read_text_file


def _pristine(path: Path) -> bool:
    raw = read_capped_or_none(path, what=path.name)
    return True if raw is None else is_pristine(raw.decode("utf-8", errors="surrogateescape"))


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
    ca_name = ca_name_for(inputs.provider_id, config_name) if inputs.proxmox_ca else None
    spec = ProviderSpec(
        inputs.provider_id,
        image=inputs.image,
        key_variable=key_variable,
        config_name=config_name,
        service=service,
        omni_insecure_skip_verify=inputs.omni_insecure_skip_verify,
        ca_name=ca_name,
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
        else [_entry_change(k, before.get(k), v) for k, v in after.items() if before.get(k) != v]
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

    # docker/proxmox-ca[-id].pem: the CA the Proxmox certificate needs, mounted beside the
    # image's public bundle (public data, no secret)
    if ca_name and inputs.proxmox_ca:
        ca_path = project.compose_file.parent / ca_name
        old_ca = read_unstamped(ca_path)
        ca_changed = (old_ca or "").strip() != inputs.proxmox_ca.strip()
        files.append(
            FileChange(
                ca_path,
                project.relative(ca_path),
                _status(ca_path, ca_changed, False, force),
                [f"CA bundle mounted at {CONTAINER_CA}"] if ca_changed else [],
                inputs.proxmox_ca.strip() + "\n",
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
    for change in plan.files:  # refuse a bad target before writing anything (no half setup)
        checked_target(change.path, secret=change.secret)
    for change in plan.files:  # folders holding a secret: 0700, before any file lands there
        if change.secret and change.status != "unchanged":
            make_dirs(change.path.parent, private=True)
    written: list[FileChange] = []
    for change in plan.files:
        mode = SECRET_MODE if change.secret else None
        if change.status == "unchanged":
            if mode is not None and (change.path.stat().st_mode & 0o777) != mode:
                safe_chmod(change.path, mode)
            continue
        write_managed(
            change.path,
            change.content,
            force=force or change.additive or change.status == "update",
            mode=mode,
            secret=change.secret,
        )
        written.append(change)
    return written


def write_setup(
    project: Project,
    inputs: SetupInputs,
    *,
    key_given: bool,
    force: bool,
    note: Callable[[str], None],
) -> SetupPlan:
    """Plan again and write, all under the project lock: another setup may have changed the
    files since they were first read (several `--id` at once), and its work must be kept.

    .gitignore is updated first (a secret is only ever written to an ignored file), then the
    files, then the state file: the endpoints, the image and, for the first provider or one
    not configured yet, its id; `provider_configured` once a key is there (`key_given`: the
    run brought one; otherwise the .env already holds it)."""

    with project_lock(project.root, on_wait=note):
        plan = plan_setup(project, inputs, force=force)
        added = ensure_gitignore(project.root)
        if added:
            note(f".gitignore: added {', '.join(added)}")
        apply_plan(plan, force=force)
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
    return plan


def choose_provider_id(project: Project, given: str | None) -> str:
    """The provider setup configures: `given` (checked), else the project's only provider,
    else the state file's, else the default; several providers and none given is bad input."""
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


def existing_settings(
    project: Project, provider_id: str
) -> tuple[dict[str, Any], dict[str, str], ProviderEntry | None]:
    """(config values, .env values, compose entry) already in the project for this id."""
    _first, _var, config_name, _service = provider_layout(project, provider_id)
    config = read_config_values(project.compose_file.parent / config_name)
    env = read_env_values(project.env_file)
    entry = next((e for e in compose_providers(project) if e.provider_id == provider_id), None)
    return config, env, entry


def setup_state(project: Project, warn: Callable[[str], None]) -> dict[str, Any]:
    """The state file's values setup falls back on; an unreadable state file is ignored with
    a warning (setup writes a fresh one)."""
    try:
        return read_state(project.state_file)
    except InputError as exc:
        warn(f"state file ignored: {exc.one_line()}")
        return {}


# The public bundles distributions ship: SSL_CERT_FILE pointing at one of these adds no CA.
SYSTEM_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
)


def _custom_ca_bundle(path: str | None) -> bool:
    """SSL_CERT_FILE names a bundle of its own (not the distribution's public one)."""
    if not path:
        return False
    return path not in SYSTEM_BUNDLES and path != certifi.where()


def proxmox_ca(
    project: Project,
    inputs: SetupInputs,
    plan: SetupPlan,
    *,
    ca_file: Path | None,
    offline: bool,
) -> tuple[str, str] | None:
    """(PEM, note) of the CA to mount into the provider container, or None.

    The image trusts public CAs only. Given --proxmox-ca-file, that file; else, after the live
    check, when the certificate does not verify against the public bundle: the CA this
    machine trusted it by (SSL_CERT_FILE), or a refusal that says what to pass. A CA mounted
    by an earlier run is kept.
    """
    if ca_file is not None:
        path = Path(ca_file)
        text = check_ca_bundle(read_text_file(path, what="CA file"), path=path)
        return text, f"the provider container trusts the CA in {path} (mounted read-only)"
    existing = project.compose_file.parent / ca_name_for(inputs.provider_id, plan.config_name)
    kept = read_unstamped(existing) if existing.is_file() else None
    if kept:
        return kept, f"keeping the Proxmox CA in {project.relative(existing)}"
    if offline or inputs.insecure_skip_verify or not inputs.proxmox_url.startswith("https://"):
        return None
    if publicly_trusted(inputs.proxmox_url) is not False:
        return None
    bundle = os.environ.get("SSL_CERT_FILE")
    if bundle and Path(bundle).is_file():
        text = check_ca_bundle(read_text_file(Path(bundle), what="CA file"), path=bundle)
        return text, (
            f"the Proxmox certificate is not publicly trusted: mounting SSL_CERT_FILE ({bundle}) "
            "into the provider container, which trusts public CAs only"
        )
    raise InputError(
        "the Proxmox certificate is trusted on this machine but not publicly: the provider "
        "container (public CAs only) would fail with 'x509: certificate signed by unknown "
        "authority'",
        hint="re-run with --proxmox-ca-file FILE, the CA that signed it (on a node: "
        "/etc/pve/pve-root-ca.pem)",
    )


def offline_ca_warning(inputs: SetupInputs) -> str | None:
    """Without the live check setup cannot tell whether the Proxmox certificate is public: when
    SSL_CERT_FILE names a bundle of its own, say the container may need it too."""
    bundle = os.environ.get("SSL_CERT_FILE")
    if not _custom_ca_bundle(bundle) or inputs.insecure_skip_verify:
        return None
    return (
        "SSL_CERT_FILE is set: if it holds the CA of the Proxmox certificate, the provider "
        "container needs it too (it trusts public CAs only); re-run with --proxmox-ca-file "
        f"{bundle}"
    )


def live_check(
    project: Project,
    inputs: SetupInputs,
    origins: Mapping[str, str],
    *,
    note: Callable[[str], None],
    warn: Callable[[str], None],
) -> dict[str, Any]:
    """Try the Proxmox credentials setup was given, then audit their privileges as
    `omni-scale proxmox check` does. `origins` says where the url, the id and the secret
    came from ({"url", "id", "secret"}): docker/config.yaml is not written yet, so a refused
    or unreachable Proxmox names those instead."""

    config = ProxmoxConfig(
        url=inputs.proxmox_url,
        token_id=inputs.token_id,
        token_secret=inputs.token_secret,
        username=inputs.username,
        password=inputs.password,
        realm=inputs.realm,
        insecure_skip_verify=inputs.insecure_skip_verify,
    )
    note(f"checking the Proxmox credentials at {inputs.proxmox_url} ...")
    try:
        result = check_proxmox(config)
    except (ProxmoxApiError, ProxmoxUnreachable) as exc:
        # The client's hints name docker/config.yaml, which setup has not written yet: name
        # where these values came from instead.
        if isinstance(exc, ProxmoxApiError) and exc.refused:
            exc.hint = f"check {origins['id']} and {origins['secret']}"
        elif isinstance(exc, ProxmoxUnreachable) and "docker/config.yaml" in (exc.hint or ""):
            exc.hint = (
                f"check {origins['url']} and that this machine can reach the host "
                "(or skip the check with --offline)"
            )
        raise
    # The privilege audit of `proxmox check`: reachable credentials without the rights the
    # provider needs are not a working setup (the provider fails at its first VM).
    note("auditing the token's privileges (as `omni-scale proxmox check`) ...")
    report = check_sync(
        config,
        inputs.provider_id,
        loadable_machine_classes(project, warn),
        provider_version=resolve_release(inputs.image),
        warn=warn,
        relative=project.relative,
    )
    missing = [r.to_json() for r in report.missing]
    errors = [p.to_json() for p in report.problems if p.severity == "error"]
    return {
        "checked": True,
        **result,
        "ok": report.ok,
        "missing": missing,
        "problems": errors,
        "grant": grant_commands(report),
    }


def create_key(project: Project, provider_id: str, note: Callable[[str], None]) -> str:
    """`omnictl infraprovider create ID` with the project's omnictl: the new provider key."""
    note(f"running: omnictl infraprovider create {provider_id}")
    return Omnictl.for_project(project.state_file).infraprovider_create(provider_id).key
