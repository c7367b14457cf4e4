"""`omni-scale doctor [--offline]`"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS

if TYPE_CHECKING:
    from rich.console import Console

STYLE = {"ok": "green", "warn": "yellow", "fail": "red"}


@click.command("doctor")
@click.option(
    "--offline",
    is_flag=True,
    help="Contact neither Omni (omnictl auth) nor Proxmox (credentials, privileges).",
)
@pass_app
def command(app: AppContext, offline: bool) -> int:
    """Check Python, docker + compose, omnictl (path, version, auth), the project's files,
    the state file, .gitignore and modes of the secret files, provider id agreement, and
    (unless --offline) each provider's Proxmox credentials and privileges.

    Each line is ok, warn or fail with the fix. Exit 1 when any check fails.
    """
    from omni_scale.services.doctor import run_all

    checks = run_all(app.project, offline=offline)
    counts = {s: sum(1 for c in checks if c.status == s) for s in ("ok", "warn", "fail")}
    data = {
        "project": str(app.project.root),
        "checks": [c.to_json() for c in checks],
        "summary": counts,
    }

    def render(console: Console) -> None:
        width = max(len(c.name) for c in checks)
        for check in checks:
            style = STYLE[check.status]
            console.print(f"[{style}]{check.status:<4}[/{style}] {check.name:<{width}}  ", end="")
            console.print(check.message, markup=False, highlight=False, soft_wrap=True)
            if check.fix and check.status != "ok":
                console.print(f"     {'':<{width}}  fix: {check.fix}", markup=False, soft_wrap=True)
        console.print(f"{counts['ok']} ok, {counts['warn']} warn, {counts['fail']} fail")

    app.emit(data, render)
    return EXIT_PROBLEMS if counts["fail"] else EXIT_OK
