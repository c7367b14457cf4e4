"""`omni-scale proxmox check | snapshot`: the provider's Proxmox credentials and inventory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from omni_scale.cli.commands.completion import complete_provider
from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.services.proxmox_check import CheckReport
    from omni_scale.services.proxmox_snapshot import TakenSnapshot

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
    from omni_scale.services.proxmox_check import check_project

    report = check_project(app.project, provider_id, note=app.note, warn=app.warn)
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
    from omni_scale.services.proxmox_snapshot import take_snapshot

    taken = take_snapshot(
        app.project,
        provider_id,
        output=output,
        to_stdout=output is not None and str(output) == "-",
        force=force,
        note=app.note,
        warn=app.warn,
    )
    if taken.path is None:
        click.echo(taken.text, nl=False)
        return EXIT_OK
    app.emit(taken.to_json(), lambda console: _render_snapshot(console, app, taken))
    return EXIT_OK


def _render_snapshot(console: Console, app: AppContext, taken: TakenSnapshot) -> None:
    snap = taken.snapshot
    assert taken.path is not None
    console.print(
        f"wrote {app.project.relative(taken.path)}: {len(snap.nodes)} node(s), "
        f"{taken.storages} storage entries, PVE {snap.pve_version or '?'}"
    )
    for node in snap.nodes:
        names = ", ".join(s.storage for s in node.storages or ()) or "—"
        console.print(f"  {node.node} ({node.status}): {names}")
