"""`omni-scale machineclass create | list | show | plan | apply | delete` (a module each)."""

from __future__ import annotations

import click

from omni_scale.cli.lazy import LazyGroup

SUBCOMMANDS = (
    ("create", "omni_scale.cli.commands.machineclass_create", "Write a new MachineClass file."),
    ("list", "omni_scale.cli.commands.machineclass_list", "List the project's machine classes."),
    ("show", "omni_scale.cli.commands.machineclass_show", "Show one machine class."),
    ("plan", "omni_scale.cli.commands.machineclass_plan", "Preview node and storage placement."),
    ("apply", "omni_scale.cli.commands.machineclass_apply", "Lint, then omnictl apply."),
    ("delete", "omni_scale.cli.commands.machineclass_delete", "Delete a class (not while used)."),
)


@click.group("machineclass", cls=LazyGroup, lazy=SUBCOMMANDS)
def command() -> None:
    """Create, list, show, plan, apply and delete MachineClasses (machine-classes/*.yaml)."""
