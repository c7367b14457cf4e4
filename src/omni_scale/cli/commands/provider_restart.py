"""`omni-scale provider restart [--provider ID] [--timeout S] [--no-wait]`"""

from __future__ import annotations

import click

from omni_scale.cli.commands.provider_up import run_and_wait, wait_options
from omni_scale.cli.context import AppContext, pass_app


@click.command("restart")
@wait_options
@pass_app
def command(app: AppContext, provider_id: str | None, timeout: float, no_wait: bool) -> int:
    """Restart the provider (docker compose restart), then wait until Omni reports it connected.

    Exit 0 connected; 1 not connected in time; 3 docker or omnictl unavailable.
    """
    return run_and_wait(app, "restart", provider_id, timeout, no_wait)
