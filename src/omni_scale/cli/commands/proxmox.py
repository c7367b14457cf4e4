"""`omni-scale proxmox check | snapshot`: the provider's Proxmox credentials and inventory."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import click

from omni_scale.cli.commands.completion import complete_provider
from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS, FileConflict, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.core.provider.config import ProxmoxConfig
    from omni_scale.services.project_files import ProviderTarget
    from omni_scale.services.proxmox_check import CheckReport

PROVIDER_OPTION = click.option(
    "--provider",
    "provider_id",
    metavar="ID",
    shell_complete=complete_provider,
    help="Which provider (its --id) when the project runs several.",
)


@click.group("proxmox")
def command() -> None:
    """Check the provider's Proxmox credentials and take inventory snapshots."""


def _config(app: AppContext, provider_id: str | None) -> tuple[ProviderTarget, ProxmoxConfig]:
    from omni_scale.services.project_files import find_target, load_provider_config

    target = find_target(app.project, provider_id)
    if not target.config_path.is_file():
        raise InputError(
            f"no Proxmox config at {app.project.relative(target.config_path)} "
            f"(provider {target.provider_id})",
            hint="run `omni-scale provider setup`, or write it (proxmox: url, tokenID, "
            "tokenSecret)",
        )
    return target, load_provider_config(target.config_path)


@command.command("check")
@PROVIDER_OPTION
@pass_app
def check(app: AppContext, provider_id: str | None) -> int:
    """Reachability, PVE version, auth mode and an audit of the provider's privileges.

    Each privilege the provider needs (for the project's nodes, storages, bridges, PCI
    mappings and, from provider v0.1.0, pools) is looked up with GET /access/permissions;
    the `pveum` commands that grant what is missing are printed. Also flags the known traps: a
    privilege-separated token without rights, password auth (the provider never renews its
    ticket), root@pam with a realm, hugepages without root@pam.
    Exit 1 when something is missing, 3 when Proxmox is unreachable or refuses the credentials.
    """
    from omni_scale.services.project_files import load_machine_classes
    from omni_scale.services.proxmox_check import host_of, run_check

    target, config = _config(app, provider_id)
    classes = []
    if app.project.machine_classes_dir.is_dir():
        try:
            classes = load_machine_classes([app.project.machine_classes_dir])
        except InputError as exc:
            app.warn(f"machine classes skipped: {exc.one_line()}")
    app.note(f"checking {host_of(config)} as {config.identity or 'nobody'} ...")
    from omni_scale.core.placement.release import resolve_release

    report = asyncio.run(
        run_check(
            config,
            target.provider_id,
            classes,
            provider_version=resolve_release(target.image),
            warn=app.warn,
        )
    )
    app.emit(report.to_json(), lambda console: _render_check(console, report))
    return EXIT_OK if report.ok else EXIT_PROBLEMS


def _render_check(console: Console, report: CheckReport) -> None:
    from rich.text import Text

    console.print(f"[bold]Proxmox[/bold] {report.url}  (provider {report.provider_id})")
    console.print(f"  reachable: yes   PVE {report.pve_version or '?'}")
    console.print(f"  auth: {report.auth_mode} as {report.identity or 'nobody'}")
    console.print(f"  TLS verified: {'yes' if report.tls_verify else 'NO'}")
    if report.release is not None:
        console.print(
            Text(f"  provider release: {report.release.label} ({report.release.why})"),
        )
    # One line a privilege and, for a missing one, what breaks on the next line: a table's
    # "what breaks" column shrank to a few characters at 80 columns.
    width = max((len(r.privilege) for r in report.rows), default=0)
    for row in report.rows:
        line = Text("granted  ", style="green") if row.granted else Text("MISSING  ", style="red")
        line.append(f"{row.privilege:<{width}}  {row.path}")
        if row.granted and row.via:
            line.append(f"  (via {row.via})", style="dim")
        console.print(line, soft_wrap=True)
        if not row.granted:
            console.print(Text(f"         breaks: {row.breaks}"), soft_wrap=True)
    for problem in report.problems:
        style = {"error": "red", "warning": "yellow"}.get(problem.severity, "dim")
        console.print(Text(f"{problem.severity}: {problem.message}", style=style))
        if problem.hint:
            console.print(Text(f"    hint: {problem.hint}", style="dim"))
    missing = len(report.missing)
    verdict = "all privileges granted" if not missing else f"{missing} privilege(s) missing"
    console.print(f"[bold]{verdict}[/bold]")
    commands = report.grant_commands
    if commands:
        console.print("grant them (on a Proxmox node, as root):")
        for command_line in commands:
            console.print(Text(f"  {command_line}"), soft_wrap=True)


@command.command("snapshot")
@PROVIDER_OPTION
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write it ('-' for stdout; default: proxmox-snapshot.json in the project).",
)
@click.option("--force", is_flag=True, help="Replace a file that is not a snapshot.")
@pass_app
def snapshot(app: AppContext, provider_id: str | None, output: Path | None, force: bool) -> int:
    """Write the Proxmox inventory (nodes, storages, bridges, PCI mappings) as versioned JSON.

    The file holds no secrets and is meant to be committed, so `check` and
    `machineclass plan` work offline and in CI.
    """
    from omni_scale.core.proxmox.snapshot import dump_snapshot
    from omni_scale.fs.atomic import atomic_write
    from omni_scale.services.plan import live_snapshot

    target, config = _config(app, provider_id)
    app.note(f"reading the inventory of {config.url.split('/api2')[0]} ...")
    snap = asyncio.run(live_snapshot(config, target.provider_id, with_vms=True, warn=app.warn))
    text = dump_snapshot(snap)
    if output is not None and str(output) == "-":
        click.echo(text, nl=False)
        return EXIT_OK
    path = output if output is not None else target.snapshot_path
    if path.exists() and not force and '"omni-scale/proxmox-snapshot"' not in _head(path):
        raise FileConflict(
            f"{app.project.relative(path)} exists and is not a Proxmox snapshot",
            hint="pass --force to replace it, or -o another file",
        )
    atomic_write(path, text, mode=0o644)
    storages = sum(len(n.storages or ()) for n in snap.nodes)
    summary = {
        "path": str(path),
        "provider_id": snap.provider_id,
        "pve_version": snap.pve_version,
        "taken_at": snap.taken_at,
        "nodes": len(snap.nodes),
        "storages": storages,
        "pci_mappings": None if snap.pci_mappings is None else len(snap.pci_mappings),
    }

    def render(console: Console) -> None:
        console.print(
            f"wrote {app.project.relative(path)}: {len(snap.nodes)} node(s), {storages} "
            f"storage entries, PVE {snap.pve_version or '?'}"
        )
        for node in snap.nodes:
            names = ", ".join(s.storage for s in node.storages or ()) or "—"
            console.print(f"  {node.node} ({node.status}): {names}")

    app.emit(summary, render)
    return EXIT_OK


def _head(path: Path) -> str:
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            return handle.read(4096)
    except OSError:
        return ""
