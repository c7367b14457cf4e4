"""The omni-scale CLI's (sub)commands, walked from the real click tree, and what each may change.

The plugin's permission rules (commands, skill, agent) are checked against these sets: a command
Claude may start on its own may allow only READ_ONLY subcommands.
"""

from __future__ import annotations

import click

# Reads files, Docker, Omni or Proxmox; at most records the result in the project's state file.
READ_ONLY = frozenset(
    {
        "check",
        "lint",
        "selector check",
        "machineclass list",
        "machineclass show",
        "machineclass plan",
        "cluster plan",
        "cluster list",
        "cluster status",
        "cluster template validate",
        "cluster template diff",
        "provider status",
        "provider logs",
        "proxmox check",
        "omnictl which",
        "doctor",
        "state show",
        "state get",
    }
)
# Changes what runs in Omni, Docker or Proxmox (the list; some may not exist yet).
STATE_CHANGING = frozenset(
    {
        "provider up",
        "provider down",
        "provider restart",
        "provider setup",
        "provider remove",
        "machineclass apply",
        "machineclass delete",
        "cluster template sync",
        "cluster delete",
    }
)
# Writes files of the project (or downloads a program) without touching the infrastructure.
WRITES_PROJECT_FILES = frozenset(
    {
        "machineclass create",
        "cluster create",
        "proxmox snapshot",
        "omnictl install",
        "state set",
    }
)
NOT_FOR_PLUGIN = frozenset({"completion", "mcp"})


def _walk() -> tuple[frozenset[str], frozenset[str]]:
    from omni_scale.cli.main import _build_cli

    root = _build_cli()
    paths: set[str] = set()
    groups: set[str] = set()

    def visit(command: click.Command, words: list[str], parent: click.Context) -> None:
        if words:
            paths.add(" ".join(words))
        if isinstance(command, click.Group):
            if words:
                groups.add(" ".join(words))
            ctx = click.Context(
                command, info_name=words[-1] if words else "omni-scale", parent=parent
            )
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None, name
                visit(sub, [*words, name], ctx)

    visit(root, [], click.Context(root, info_name="omni-scale"))
    return frozenset(paths), frozenset(groups)


CLI_PATHS, CLI_GROUPS = _walk()
