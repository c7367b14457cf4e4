"""`omni-scale provider setup | up | down | restart | status | logs | remove`"""

from __future__ import annotations

import click

from omni_scale.cli.lazy import LazyGroup

SUBCOMMANDS = (
    ("setup", "omni_scale.cli.commands.provider_setup", "Write compose, config and .env."),
    ("up", "omni_scale.cli.commands.provider_up", "Start the provider, wait until connected."),
    ("down", "omni_scale.cli.commands.provider_down", "Stop and remove the provider containers."),
    ("restart", "omni_scale.cli.commands.provider_restart", "Restart, wait until connected."),
    ("status", "omni_scale.cli.commands.provider_status", "Container, Omni, Proxmox, logs, ids."),
    ("logs", "omni_scale.cli.commands.provider_logs", "Readable provider logs, with diagnosis."),
    ("remove", "omni_scale.cli.commands.provider_remove", "Remove a provider's files (.bak kept)."),
)


@click.group("provider", cls=LazyGroup, lazy=SUBCOMMANDS)
def command() -> None:
    """Set up, run and watch the Omni Proxmox infrastructure provider (docker compose)."""
