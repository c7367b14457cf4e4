"""`omni-scale provider remove [--provider ID] [--dry-run]`"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from omni_scale.cli.commands.completion import complete_provider
from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, InputError

if TYPE_CHECKING:
    from rich.console import Console


@click.command("remove")
@click.option(
    "--provider",
    "provider_id",
    metavar="ID",
    shell_complete=complete_provider,
    help="Which provider (its --id).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@pass_app
def command(app: AppContext, provider_id: str | None, dry_run: bool) -> int:
    """Remove a provider from the project: its compose service, config file, .env entries
    and state settings. Every file changed or deleted is kept as FILE.bak.

    Stop its container first (omni-scale provider down --provider ID); the InfraProvider in
    Omni stays (an Omni admin removes it: omnictl infraprovider delete ID).
    """
    from omni_scale.services.project_files import compose_providers
    from omni_scale.services.provider_remove import apply_removal, plan_removal

    if provider_id is None:
        entries = compose_providers(app.project)
        if len(entries) != 1:
            ids = ", ".join(e.provider_id for e in entries) or "none"
            raise InputError(
                f"the project runs {len(entries)} providers ({ids}): say which to remove",
                hint="pass --provider ID"
                if entries
                else "nothing to remove (no provider service in docker/compose.yaml)",
            )
        provider_id = entries[0].provider_id
    plan = plan_removal(app.project, provider_id)
    if not dry_run:
        apply_removal(app.project, plan)
    data = {**plan.to_json(), "dry_run": dry_run, "written": not dry_run}

    def render(console: Console) -> None:
        from rich.text import Text

        verb = "would remove" if dry_run else "removed"
        console.print(Text(f"{verb} provider {plan.provider_id}", style="bold"))
        for step in plan.files:
            console.print(
                Text(f"{step.rel}: {step.action} (backup {step.rel}.bak)"), soft_wrap=True
            )
            for change in step.changes:
                console.print(Text(f"  - {change}"), soft_wrap=True)
        for key, value in plan.state_updates.items():
            shown = "unset" if value is None else json.dumps(value)  # YAML/JSON, not a repr
            console.print(Text(f"state: {key} = {shown.strip(chr(34))}"), soft_wrap=True)
        console.print(
            f"next: omni-scale provider down --provider {plan.provider_id} stops a running "
            f"container; in Omni: omnictl infraprovider delete {plan.provider_id}",
            soft_wrap=True,
            markup=False,
        )

    app.emit(data, render)
    return EXIT_OK
