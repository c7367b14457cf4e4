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
    from omni_scale.services.provider_lifecycle import stop

    result = stop(app.project, provider_id)
    data = result.to_json()

    def render(console: Console) -> None:
        for line in data["compose_output"]:
            console.print(line, markup=False)
        console.print(f"stopped: {', '.join(data['services'])}")

    app.emit(data, render)
    return EXIT_OK
