"""`omni-scale provider setup`: collect the settings, check them, write the provider files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.core.provider.setup import Answers, SetupInputs, SetupPlan


@dataclass
class KeyChoice:
    key: str | None
    source: str  # "file", "env", "existing", "created", "prompt", "none"


def _existing(project: Any, provider_id: str) -> tuple[dict[str, Any], dict[str, str], Any]:
    """(config values, .env values, compose entry) already in the project for this id."""
    from omni_scale.services.project_files import (
        compose_providers,
        read_config_values,
        read_env_values,
    )
    from omni_scale.services.provider_setup import provider_layout

    _first, _var, config_name, _service = provider_layout(project, provider_id)
    config = read_config_values(project.compose_file.parent / config_name)
    env = read_env_values(project.env_file)
    entry = next((e for e in compose_providers(project) if e.provider_id == provider_id), None)
    return config, env, entry


def _state(app: AppContext) -> dict[str, Any]:
    from omni_scale.state import read_state

    try:
        return read_state(app.project.state_file)
    except InputError as exc:
        app.warn(f"state file ignored: {exc.one_line()}")
        return {}


def _choose_id(app: AppContext, given: str | None) -> str:
    from omni_scale.core.provider.compose import DEFAULT_PROVIDER_ID, check_provider_id
    from omni_scale.services.project_files import compose_providers
    from omni_scale.state import read_state

    if given:
        return check_provider_id(given)
    entries = compose_providers(app.project)
    if len(entries) == 1:
        return entries[0].provider_id
    if len(entries) > 1:
        ids = ", ".join(e.provider_id for e in entries)
        raise InputError(
            f"the project runs several providers ({ids})", hint="choose one with --id ID"
        )
    state_id = read_state(app.project.state_file).get("provider_id")
    return check_provider_id(str(state_id or DEFAULT_PROVIDER_ID))


def _value(
    app: AppContext, given: str | None, env_name: str, existing: Any, label: str
) -> str | None:
    from omni_scale.cli.secrets import from_env

    for candidate in (given, from_env(env_name), existing):
        if candidate not in (None, ""):
            return str(candidate)
    if app.interactive:
        answer: str = click.prompt(label, err=True)
        return answer.strip() or None
    return None


def _secret(
    app: AppContext, file: Path | None, env_name: str, existing: Any, label: str
) -> str | None:
    from omni_scale.cli.secrets import first_line, from_env, prompt_secret, read_secret_file

    if file is not None:
        return first_line(read_secret_file(file, label), label, file)
    value = from_env(env_name)
    if value:
        return value
    if existing not in (None, ""):
        return str(existing)
    if app.interactive:
        return prompt_secret(label)
    return None


def _collect(
    app: AppContext, provider_id: str, opts: dict[str, Any]
) -> tuple[SetupInputs, list[str]]:
    """Each setting from its option, environment variable, the project's files or a prompt,
    then checked and completed (core.provider.setup.setup_inputs)."""
    from omni_scale.core.provider.setup import setup_inputs

    config, env, entry = _existing(app.project, provider_id)
    answers = _answers(app, provider_id, config, env, _state(app), opts)
    return setup_inputs(provider_id, answers, config, entry)


def _answers(
    app: AppContext,
    provider_id: str,
    config: dict[str, Any],
    env: dict[str, str],
    state: dict[str, Any],
    opts: dict[str, Any],
) -> Answers:
    from omni_scale.core.provider.setup import Answers

    known_url = config.get("url") or (
        state.get("proxmox_endpoint") if state.get("provider_id") == provider_id else None
    )
    endpoint_default = env.get("OMNI_ENDPOINT") or state.get("omni_endpoint")
    answers = Answers(
        omni_endpoint=_value(
            app, opts["omni_endpoint"], "OMNI_ENDPOINT", endpoint_default, "Omni endpoint URL"
        ),
        proxmox_url=_value(app, opts["proxmox_url"], "PROXMOX_URL", known_url, "Proxmox API URL"),
        realm=opts["realm"],
        insecure_skip_verify=opts["insecure_skip_verify"],
        omni_insecure_skip_verify=opts["omni_insecure_skip_verify"],
        image=opts["image"],
    )
    username = opts["username"] or (None if opts["token_id"] else config.get("username"))
    answers.password_mode = bool(username) or bool(opts["password_file"])
    if answers.password_mode:
        answers.username = _value(app, username, "PROXMOX_USERNAME", None, "Proxmox user")
        answers.password = _secret(
            app, opts["password_file"], "PROXMOX_PASSWORD", config.get("password"), "password"
        )
        return answers
    answers.token_id = _value(
        app, opts["token_id"], "PROXMOX_TOKEN_ID", config.get("tokenID"), "Proxmox token id"
    )
    same_token = answers.token_id == config.get("tokenID")
    answers.token_secret = _secret(
        app,
        opts["token_secret_file"],
        "PROXMOX_TOKEN_SECRET",
        config.get("tokenSecret") if same_token else None,
        "Proxmox token secret",
    )
    return answers


def _key(
    app: AppContext, key_file: Path | None, key_variable: str, env: dict[str, str]
) -> KeyChoice:
    from omni_scale.cli.secrets import from_env, prompt_secret, read_secret_file
    from omni_scale.core.provider.setup import extract_key

    if key_file is not None:
        return KeyChoice(extract_key(read_secret_file(key_file, "key")), "file")
    value = from_env(key_variable)
    if value:
        return KeyChoice(value, "env")
    if env.get(key_variable):
        return KeyChoice(env[key_variable], "existing")
    if app.interactive:
        typed = prompt_secret(
            "Infra provider key (from `omnictl infraprovider create`; empty to skip)",
            required=False,
        )
        if typed:
            return KeyChoice(extract_key(typed), "prompt")
    return KeyChoice(None, "none")


def _create_key(app: AppContext, provider_id: str) -> str:
    from omni_scale.adapters.omnictl.run import Omnictl

    app.note(f"running: omnictl infraprovider create {provider_id}")
    omnictl = Omnictl.for_project(app.project.state_file)
    return omnictl.infraprovider_create(provider_id).key


def _origins(opts: dict[str, Any], inputs: SetupInputs, config_file: str) -> dict[str, str]:
    """Where each Proxmox value came from, for hints that point at the right place."""
    from omni_scale.cli.secrets import from_env

    password = inputs.auth_mode == "password"
    file_opt = opts["password_file"] if password else opts["token_secret_file"]
    env_name = "PROXMOX_PASSWORD" if password else "PROXMOX_TOKEN_SECRET"
    what = "the password" if password else "the token secret"
    if file_opt is not None:
        secret = f"{what} in {'stdin' if str(file_opt) == '-' else file_opt}"
    elif from_env(env_name):
        secret = f"{what} in ${env_name}"
    else:
        secret = f"{what} ({'password' if password else 'tokenSecret'} in {config_file}, or typed)"
    given = opts["username"] if password else opts["token_id"]
    id_name = "the user" if password else "the token id"
    id_where = (
        f"--{'username' if password else 'token-id'} {given}"
        if given
        else (f"{id_name} ({'username' if password else 'tokenID'} in {config_file})")
    )
    url = (
        f"--proxmox-url {opts['proxmox_url']}"
        if opts["proxmox_url"]
        else (f"the url ({config_file}, or $PROXMOX_URL)")
    )
    return {"secret": secret, "id": id_where, "url": url}


# The public bundles distributions ship: SSL_CERT_FILE pointing at one of these adds no CA.
SYSTEM_BUNDLES = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/ssl/cert.pem",
)


def _custom_ca_bundle(path: str | None) -> bool:
    """SSL_CERT_FILE names a bundle of its own (not the distribution's public one)."""
    import certifi

    if not path:
        return False
    return path not in SYSTEM_BUNDLES and path != certifi.where()


def _proxmox_ca(
    app: AppContext, opts: dict[str, Any], inputs: SetupInputs, plan: SetupPlan
) -> tuple[str, str] | None:
    """(PEM, note) of the CA to mount into the provider container, or None.

    The image trusts public CAs only. Given --proxmox-ca-file, that file; else, after the live
    check, when the certificate does not verify against the public bundle: the CA this
    machine trusted it by (SSL_CERT_FILE), or a refusal that says what to pass. A CA mounted
    by an earlier run is kept.
    """
    from omni_scale.adapters.proxmox.client import publicly_trusted
    from omni_scale.core.provider.setup import ca_name_for, check_ca_bundle
    from omni_scale.services.project_files import read_unstamped
    from omni_scale.textio import read_text_file

    if opts["proxmox_ca_file"] is not None:
        path = Path(opts["proxmox_ca_file"])
        text = check_ca_bundle(read_text_file(path, what="CA file"), path=path)
        return text, f"the provider container trusts the CA in {path} (mounted read-only)"
    existing = app.project.compose_file.parent / ca_name_for(inputs.provider_id, plan.config_name)
    kept = read_unstamped(existing) if existing.is_file() else None
    if kept:
        return kept, f"keeping the Proxmox CA in {app.project.relative(existing)}"
    if (
        opts["offline"]
        or inputs.insecure_skip_verify
        or not inputs.proxmox_url.startswith("https://")
    ):
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


def _live_check(app: AppContext, inputs: SetupInputs, origins: dict[str, str]) -> dict[str, Any]:
    from omni_scale.adapters.proxmox.client import ProxmoxApiError, ProxmoxUnreachable
    from omni_scale.adapters.proxmox.live import check_proxmox
    from omni_scale.core.provider.config import ProxmoxConfig
    from omni_scale.lint.context import image_version
    from omni_scale.services.proxmox_check import check_sync, grant_commands, project_classes

    config = ProxmoxConfig(
        url=inputs.proxmox_url,
        token_id=inputs.token_id,
        token_secret=inputs.token_secret,
        username=inputs.username,
        password=inputs.password,
        realm=inputs.realm,
        insecure_skip_verify=inputs.insecure_skip_verify,
    )
    app.note(f"checking the Proxmox credentials at {inputs.proxmox_url} ...")
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
    app.note("auditing the token's privileges (as `omni-scale proxmox check`) ...")
    report = check_sync(
        config,
        inputs.provider_id,
        project_classes(app.project.machine_classes_dir, app.warn),
        provider_version=image_version(inputs.image),
        warn=app.warn,
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


@click.command("setup")
@click.option("--id", "provider_id", metavar="ID", help="Provider id (DNS-1123; default proxmox).")
@click.option("--omni-endpoint", metavar="URL", help="Omni API URL (env OMNI_ENDPOINT).")
@click.option("--proxmox-url", metavar="URL", help="https://HOST:8006/api2/json (env PROXMOX_URL).")
@click.option("--token-id", metavar="ID", help="Proxmox API token id user@realm!name.")
@click.option(
    "--token-secret-file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="File with the token secret ('-' = stdin; or env PROXMOX_TOKEN_SECRET).",
)
@click.option("--username", metavar="USER", help="Password mode (not recommended): user.")
@click.option("--realm", metavar="REALM", help="Password mode: realm (pam, pve, ...).")
@click.option(
    "--password-file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Password mode: file with the password (or env PROXMOX_PASSWORD).",
)
@click.option(
    "--insecure-skip-verify/--verify-tls",
    default=None,
    help="Proxmox TLS verification (config.yaml insecureSkipVerify; default: verify).",
)
@click.option(
    "--omni-insecure-skip-verify/--omni-verify-tls",
    default=None,
    help="Provider flag --insecure-skip-verify (self-signed Omni certificate; default: as now).",
)
@click.option(
    "--proxmox-ca-file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="CA of a self-signed Proxmox certificate, mounted into the provider container "
    "(found from SSL_CERT_FILE when the live check needs it).",
)
@click.option(
    "--image", metavar="TAG|IMAGE", help="Provider release tag or image (default v0.3.0)."
)
@click.option(
    "--key-file",
    type=click.Path(path_type=Path),
    metavar="FILE",
    help="Infra provider key, or the saved output of `omnictl infraprovider create` "
    "('-' = stdin; or env OMNI_INFRA_PROVIDER_KEY).",
)
@click.option("--create-key", is_flag=True, help="Run `omnictl infraprovider create ID` now.")
@click.option("--offline", is_flag=True, help="Skip the live Proxmox credential check.")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--force", is_flag=True, help="Replace hand-edited files (a .bak copy is kept).")
@pass_app
def command(app: AppContext, /, **opts: Any) -> int:
    """Write docker/compose.yaml, docker/config.yaml (0600) and .env (0600) for the provider.

    Secrets come from files, environment variables or hidden prompts, never from options.
    Re-running shows what would change and keeps hand edits unless --force. With --id ID
    for a new id, a further provider is added beside the existing ones.
    Unless --offline, the credentials are tried and their privileges audited as
    `omni-scale proxmox check` does. Exit 0 when complete, 1 when the provider key is still
    missing or the token lacks privileges the provider needs.
    """
    from omni_scale.core.provider.setup import check_key, how_to_get_a_key
    from omni_scale.services.provider_setup import plan_setup

    provider_id = _choose_id(app, opts["provider_id"])
    inputs, notes = _collect(app, provider_id, opts)
    from omni_scale.redact import register_secret

    register_secret(inputs.token_secret, inputs.password)  # never printed, whatever the path
    plan = plan_setup(app.project, inputs, force=opts["force"])
    _config, env, _entry = _existing(app.project, provider_id)
    choice = _key(app, opts["key_file"], plan.key_variable, env)
    if opts["create_key"] and choice.key and not opts["force"]:
        notes.append(f"{plan.key_variable} is already set; not creating a key (--force to)")
    elif opts["create_key"] and not opts["dry_run"]:
        if plan.conflicts and not opts["force"]:
            _fail_on_conflict(plan)
        choice = KeyChoice(_create_key(app, provider_id), "created")
    warnings = list(plan.warnings)
    if choice.key:
        register_secret(choice.key)
        warnings += check_key(choice.key, provider_id)
        inputs.key = choice.key
        plan = plan_setup(app.project, inputs, force=opts["force"])
    proxmox: dict[str, Any] = {"checked": False}
    if not opts["offline"]:
        origins = _origins(opts, inputs, f"docker/{plan.config_name}")
        proxmox = _live_check(app, inputs, origins)
    ca = _proxmox_ca(app, opts, inputs, plan)
    if ca is not None:
        inputs.proxmox_ca, ca_note = ca
        notes.append(ca_note)
        plan = plan_setup(app.project, inputs, force=opts["force"])
    elif (
        opts["offline"]
        and _custom_ca_bundle(os.environ.get("SSL_CERT_FILE"))
        and not inputs.insecure_skip_verify
    ):
        warnings.append(
            "SSL_CERT_FILE is set: if it holds the CA of the Proxmox certificate, the provider "
            "container needs it too (it trusts public CAs only); re-run with --proxmox-ca-file "
            f"{os.environ['SSL_CERT_FILE']}"
        )
    written = False
    if not opts["dry_run"]:
        plan = _write(app, inputs, choice, opts["force"])
        written = True
    key_present = bool(choice.key) or plan.key_present
    result = {
        "provider_id": provider_id,
        "service": plan.service,
        "key_variable": plan.key_variable,
        "config_file": f"docker/{plan.config_name}",
        "image": inputs.image,
        "auth": inputs.auth_mode,
        "files": [f.to_json() for f in plan.files],
        "key": {
            "present": key_present,
            "source": choice.source,
            "how_to": [] if key_present else how_to_get_a_key(provider_id, plan.key_variable),
        },
        "proxmox": proxmox,
        "notes": notes,
        "warnings": warnings,
        "dry_run": bool(opts["dry_run"]),
        "written": written,
    }

    def render(console: Console) -> None:
        _render(console, result)

    app.emit(result, render)
    if opts["dry_run"]:
        return EXIT_PROBLEMS if plan.conflicts and not opts["force"] else EXIT_OK
    return EXIT_OK if key_present and proxmox.get("ok", True) else EXIT_PROBLEMS


def _fail_on_conflict(plan: SetupPlan) -> None:
    from omni_scale.services.provider_setup import apply_plan

    apply_plan(plan, force=False)  # raises FileConflict naming the file and the changes


def _write(app: AppContext, inputs: SetupInputs, choice: KeyChoice, force: bool) -> SetupPlan:
    """Plan again and write, all under the project lock: another setup may have changed the
    files since they were first read (several `--id` at once), and its work must be kept."""
    from omni_scale.fs.gitignore import ensure_gitignore
    from omni_scale.fs.lock import project_lock
    from omni_scale.services.provider_setup import apply_plan, plan_setup
    from omni_scale.state import read_state, update_state

    with project_lock(app.project.root, on_wait=app.note):
        plan = plan_setup(app.project, inputs, force=force)
        # .gitignore first: a secret is only ever written to an ignored file (fs.guard)
        added = ensure_gitignore(app.project.root)
        if added:
            app.note(f".gitignore: added {', '.join(added)}")
        apply_plan(plan, force=force)
        state = read_state(app.project.state_file)
        updates: dict[str, Any] = {
            "omni_endpoint": inputs.omni_endpoint,
            "proxmox_endpoint": inputs.proxmox_url,
            "provider_image": inputs.image,
        }
        if plan.first or not state.get("provider_configured"):
            updates["provider_id"] = inputs.provider_id
        key_ok = bool(choice.key) or plan.key_present
        if plan.first or key_ok:
            updates["provider_configured"] = key_ok or bool(state.get("provider_configured"))
        update_state(app.project.state_file, updates)
    return plan


def _render(console: Console, result: dict[str, Any]) -> None:
    from rich.text import Text

    # A list, not a table: at 80 columns a table column cut the changes (an image's version
    # hid behind an ellipsis). Each change has its own line; long ones run on, never cut.
    title = "would change" if result["dry_run"] else "provider setup"
    console.print(Text(f"{title}: {result['provider_id']}", style="bold"))
    for change in result["files"]:
        console.print(Text(f"{change['path']}: {change['status']}"), soft_wrap=True)
        for item in change["changes"]:
            console.print(Text(f"  - {item}"), soft_wrap=True)
    for note in result["notes"]:
        console.print(f"note: {note}")
    for warning in result["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    proxmox = result["proxmox"]
    if proxmox.get("checked"):
        nodes = ", ".join(proxmox.get("nodes") or []) or "none visible"
        verdict = "ok" if proxmox.get("ok", True) else "NOT ok"
        console.print(
            f"Proxmox: {verdict}, version {proxmox.get('version')}, nodes: {nodes}",
            markup=False,
        )
        for row in proxmox.get("missing") or []:
            console.print(
                f"  MISSING {row['privilege']} on {row['path']}: {row['breaks']}",
                markup=False,
                soft_wrap=True,
            )
        for problem in proxmox.get("problems") or []:
            console.print(f"  error: {problem['message']}", markup=False, soft_wrap=True)
        if proxmox.get("grant"):
            console.print("Grant the missing privileges (on a Proxmox node):")
            for line in proxmox["grant"]:
                console.print(f"  {line}", markup=False, soft_wrap=True)
            console.print("  then check again: omni-scale proxmox check")
    else:
        console.print("Proxmox: not checked (--offline)")
    key = result["key"]
    if key["present"]:
        console.print(f"key: {result['key_variable']} is set in .env ({key['source']})")
        if result["dry_run"]:
            pass
        elif proxmox.get("grant"):
            console.print("next: grant the privileges above, then omni-scale provider up")
        elif not proxmox.get("ok", True):
            console.print("next: fix the errors above (omni-scale proxmox check), then provider up")
        else:
            console.print("next: omni-scale provider up")
    else:
        console.print(f"[bold]The provider key is missing[/bold] ({result['key_variable']}):")
        for line in key["how_to"]:
            console.print(f"  {line}", markup=False, soft_wrap=True)
