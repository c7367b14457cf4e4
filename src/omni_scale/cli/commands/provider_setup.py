"""`omni-scale provider setup`: collect the settings, check them, write the provider files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.cli.secrets import first_line, from_env, prompt_secret, read_secret_file
from omni_scale.core.provider.setup import Answers, extract_key, setup_inputs
from omni_scale.services.provider_setup import (
    Current,
    KeyChoice,
    SetupOptions,
    choose_provider_id,
    current_settings,
    run_setup,
)

if TYPE_CHECKING:
    from rich.console import Console


def _value(app: AppContext, given: Any, env_name: str, existing: Any, label: str) -> str | None:
    """The option, else the environment variable, else the project's value, else a prompt."""
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
    """The file (`-` = stdin), else the environment variable, else the project's value, else a
    hidden prompt. Never an option value (argv is visible to every user)."""
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


def _answers(app: AppContext, current: Current, opts: dict[str, Any]) -> Answers:
    """Each setting from its option, environment variable, the project's files or a prompt."""
    config, state = current.config, current.state
    known_url = config.get("url") or (
        state.get("proxmox_endpoint") if state.get("provider_id") == opts["provider_id"] else None
    )
    endpoint_default = current.env.get("OMNI_ENDPOINT") or state.get("omni_endpoint")
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


def _key_chooser(app: AppContext, key_file: Path | None) -> Callable[..., KeyChoice]:
    def choose(key_variable: str, env: dict[str, str]) -> KeyChoice:
        """--key-file, else the environment, else .env, else a prompt (empty skips)."""
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

    return choose


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
    Exit 0 when complete, 1 when the provider key is still missing.
    """
    provider_id = choose_provider_id(app.project, opts["provider_id"])
    opts["provider_id"] = provider_id
    current = current_settings(app.project, provider_id)
    if current.state_error is not None:
        app.warn(f"state file ignored: {current.state_error.one_line()}")
    inputs, notes = setup_inputs(
        provider_id, _answers(app, current, opts), current.config, current.entry
    )
    options = SetupOptions(
        create_key=opts["create_key"],
        offline=opts["offline"],
        dry_run=bool(opts["dry_run"]),
        force=opts["force"],
    )
    result, code = run_setup(
        app.project,
        inputs,
        _key_chooser(app, opts["key_file"]),
        options,
        notes=notes,
        note=app.note,
    )

    def render(console: Console) -> None:
        _render(console, result)

    app.emit(result, render)
    return code


def _render(console: Console, result: dict[str, Any]) -> None:
    title = "would change" if result["dry_run"] else "provider setup"
    table = Table(title=f"{title}: {result['provider_id']}", show_header=True, box=None)
    table.add_column("file")
    table.add_column("status")
    table.add_column("changes")
    for change in result["files"]:
        table.add_row(change["path"], change["status"], "; ".join(change["changes"]) or "-")
    console.print(table)
    for note in result["notes"]:
        console.print(f"note: {note}")
    for warning in result["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    proxmox = result["proxmox"]
    if proxmox.get("checked"):
        nodes = ", ".join(proxmox.get("nodes") or []) or "none visible"
        console.print(f"Proxmox: ok, version {proxmox.get('version')}, nodes: {nodes}")
    else:
        console.print("Proxmox: not checked (--offline)")
    key = result["key"]
    if key["present"]:
        console.print(f"key: {result['key_variable']} is set in .env ({key['source']})")
        if not result["dry_run"]:
            console.print("next: omni-scale provider up")
    else:
        console.print(f"[bold]The provider key is missing[/bold] ({result['key_variable']}):")
        for line in key["how_to"]:
            console.print(f"  {line}", markup=False, soft_wrap=True)
