"""`omni-scale provider down [--provider ID]`"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from omni_scale.cli.commands.completion import complete_provider
from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK

if TYPE_CHECKING:
    from rich.console import Console


@click.command("down")
@click.option(
    "--provider",
    "provider_id",
    metavar="ID",
    shell_complete=complete_provider,
    help="Only this provider (default: all).",
)
@pass_app
def command(app: AppContext, provider_id: str | None) -> int:
    """Stop and remove the provider containers (docker compose down; one service: stop + rm).

    Machines already created stay; new machine requests wait until the provider is back.
    """
    from omni_scale.adapters.docker import Compose
    from omni_scale.services.provider_lifecycle import select_providers

    entries = select_providers(app.project, provider_id)
    compose = Compose(app.project)
    if provider_id:
        services = [e.service for e in entries]
        output = compose.stop(services) + compose.rm(services)
    else:
        output = compose.down()
    data = {
        "action": "down",
        "services": [e.service for e in entries],
        "compose_output": [line.strip() for line in output.splitlines() if line.strip()],
    }

    def render(console: Console) -> None:
        for line in data["compose_output"]:
            console.print(line, markup=False)
        console.print(f"stopped: {', '.join(data['services'])}")

    app.emit(data, render)
    return EXIT_OK
