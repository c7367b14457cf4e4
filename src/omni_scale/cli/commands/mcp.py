"""`omni-scale mcp`: serve the read-only commands as MCP tools over stdio."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from omni_scale.cli.context import AppContext, pass_app

if TYPE_CHECKING:
    from rich.console import Console


@click.command("mcp")
@pass_app
def command(app: AppContext) -> int:
    """Serve the read-only tools over stdio (Model Context Protocol).

    Tools: check, lint, selector_check, machineclass_plan, cluster_plan (when available),
    provider_status, provider_logs, cluster_status, proxmox_check, doctor, state_show. Each
    returns the JSON document of the matching --json command; errors keep their exit code.
    The Claude Code plugin starts it from .mcp.json; it runs until the client disconnects.
    With --json it serves nothing and prints the tools instead (stdout belongs to the protocol).
    """
    # The MCP SDK loads only here, so no other command pays for it.
    from omni_scale.mcp.server import describe_tools, serve

    if app.json:
        tools = describe_tools(app.project.root)
        data = {"server": "omni-scale", "transport": "stdio", "tools": tools}

        def render(console: Console) -> None:  # pragma: no cover - --json only
            console.print_json(data=data)

        app.emit(data, render)
        return 0
    if app.interactive:  # a person at a terminal; a client does not need the line
        app.note(f"omni-scale MCP server for {app.project.root} on stdio (Ctrl-C to stop)")
    serve(app.project.root)
    return 0
