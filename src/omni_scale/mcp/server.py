"""The MCP server: typed, read-only tools over the omni-scale commands (stdio transport).

Each tool builds the argv of one read-only command from typed parameters and returns that
command's JSON document (the shapes its docs/ page shows) as structured content, plus its text
and the exit code. An error document of the CLI (exit 2 bad input, 3 environment, ...) becomes
a tool error carrying the same message, hint and exit code. Nothing here can change files
beyond what the read-only commands record in the state file, start or stop a container, or talk
to Omni or Proxmox other than to read.

The tools run the CLI's command functions (which call the services) rather than the services
directly: for every command but `check`, the JSON document is still assembled in the CLI, and a
second assembly here would drift from it.

Imported only by `omni-scale mcp`, so the CLI's start-up never loads the MCP SDK.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio
from mcp.server.fastmcp import FastMCP
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from omni_scale.errors import EXIT_USAGE
from omni_scale.mcp.runner import Outcome, run_json

# Names as the CLI accepts them; a pattern also keeps a value from looking like an option.
DNS_LABEL = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"
NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$"
NODE = r"^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$"

ProviderId = Annotated[
    str | None,
    Field(
        description="Only this provider (its --id); default: every provider of the project.",
        pattern=DNS_LABEL,
    ),
]
ProjectFile = Annotated[
    str | None,
    Field(description="A file inside the project (relative to it, or absolute).", max_length=4096),
]
ClassNames = Annotated[
    list[Annotated[str, Field(pattern=NAME)]],
    Field(description="MachineClass ids or file names in machine-classes/; empty = all."),
]

INSTRUCTIONS = """\
Read-only tools of omni-scale for Talos clusters that Sidero Omni creates on Proxmox VE through
the Omni infrastructure provider for Proxmox. Each returns the JSON document of the matching
`omni-scale --json` command of the project the server was started for, and its exit code
(0 ok, 1 problems found or unhealthy, 2 bad input, 3 environment). Nothing here changes
infrastructure: starting the provider, applying machine classes or syncing templates is the
user's, through the plugin's slash commands."""


class ToolInputError(Exception):
    """A parameter the tool refuses before running anything (maps to exit 2)."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def inside_project(project: Path, value: str, what: str) -> str:
    """`value` as an absolute path that must lie inside the project (read-only tools do not
    read files elsewhere)."""
    candidate = Path(value).expanduser()
    path = (candidate if candidate.is_absolute() else project / candidate).resolve()
    if not path.is_relative_to(project.resolve()):
        raise ToolInputError(
            f"{what} {value!r} is outside the project {project}",
            f"name a file inside {project}, e.g. proxmox-snapshot.json",
        )
    return str(path)


def error_result(error: dict[str, Any], exit_code: int) -> CallToolResult:
    message = " ".join(str(error.get("message") or "failed").split())
    where = error.get("path")
    if where:
        line = error.get("line")
        where = f"{where}:{line}" if line else where
        message = f"{where}: {message}"
    hint = error.get("hint")
    text = f"omni-scale: error: {message}" + (f" (hint: {hint})" if hint else "")
    text += f" [exit {exit_code}]"
    document = {"ok": False, "error": {**error, "exit_code": exit_code}}
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structuredContent=document,
        isError=True,
    )


def to_result(outcome: Outcome) -> CallToolResult:
    """The command's JSON document as the tool's result; its error document as a tool error."""
    error = outcome.error
    if error is not None:
        return error_result(error, outcome.exit_code)
    if outcome.document is None:
        last = [line for line in outcome.stderr.splitlines() if line.strip()][-1:]
        return error_result(
            {
                "message": "the command printed no JSON document"
                + (f": {last[0]}" if last else ""),
                "hint": "run the same command in a terminal with -v",
            },
            outcome.exit_code,
        )
    document = outcome.document
    structured = document if isinstance(document, dict) else {"result": document}
    return CallToolResult(
        content=[
            TextContent(type="text", text=json.dumps(document, indent=1, ensure_ascii=False)),
            TextContent(type="text", text=f"exit code {outcome.exit_code}: {outcome.meaning}"),
        ],
        structuredContent=structured,
        isError=False,
        _meta={"exit_code": outcome.exit_code, "command": ["omni-scale", *outcome.args]},
    )


ArgsBuilder = Callable[[Path], Sequence[str]]


class Tools:
    """The tools of one project; `call` runs a command off the event loop."""

    def __init__(self, project: Path) -> None:
        self.project = project

    async def call(self, build: ArgsBuilder) -> CallToolResult:
        try:
            args = list(build(self.project))
        except ToolInputError as exc:
            return error_result({"message": exc.message, "hint": exc.hint}, EXIT_USAGE)
        outcome = await anyio.to_thread.run_sync(partial(run_json, self.project, args))
        return to_result(outcome)


def _flag(name: str, on: bool) -> list[str]:
    return [name] if on else []


def _opt(name: str, value: object | None) -> list[str]:
    return [] if value is None else [f"{name}={value}"]


def cli_option(module: str, name: str) -> bool:
    """Whether the CLI command in `module` has the option `name` (tools follow the CLI)."""
    import importlib

    import click

    command = importlib.import_module(module).command
    return isinstance(command, click.Command) and any(p.name == name for p in command.params)


def build_server(project: Path) -> FastMCP:
    """A FastMCP server whose tools run the read-only commands on `project`."""
    from omni_scale.cli.lazy import module_exists

    tools = Tools(project)
    server = FastMCP("omni-scale", instructions=INSTRUCTIONS, log_level="ERROR")
    local = ToolAnnotations(readOnlyHint=True, destructiveHint=False, openWorldHint=False)
    remote = ToolAnnotations(readOnlyHint=True, destructiveHint=False, openWorldHint=True)

    def snapshot_args(root: Path, snapshot: str | None, live: bool) -> list[str]:
        if snapshot is not None and live:
            raise ToolInputError("snapshot and live exclude each other", "give one of them")
        path = None if snapshot is None else inside_project(root, snapshot, "snapshot")
        return [*_opt("--snapshot", path), *_flag("--live", live)]

    @server.tool(
        name="check",
        description="Lint every machine class, cluster template and provider file, then plan "
        "every machine class (project snapshot, or the live Proxmox API with live=true). "
        "Returns {ok, mode, lint, plan, sources}.",
        annotations=remote,
    )
    async def check(
        snapshot: ProjectFile = None,
        live: Annotated[bool, Field(description="Plan on the live Proxmox API.")] = False,
    ) -> CallToolResult:
        return await tools.call(lambda root: ["check", *snapshot_args(root, snapshot, live)])

    @server.tool(
        name="lint",
        description="Lint machine classes, cluster templates and provider files (default: the "
        "whole project). Returns {problems: [{rule, severity, path, line, column, message, "
        "hint}], summary}.",
        annotations=local,
    )
    async def lint(
        paths: Annotated[
            list[str], Field(description="Files or folders inside the project; empty = all.")
        ] = [],  # noqa: B006 (pydantic copies defaults)
        select: Annotated[list[str], Field(description="Only these rule ids.")] = [],  # noqa: B006
        ignore: Annotated[list[str], Field(description="Skip these rule ids.")] = [],  # noqa: B006
    ) -> CallToolResult:
        def args(root: Path) -> list[str]:
            files = [inside_project(root, p, "path") for p in paths]
            rules = [f"--select={r}" for r in select] + [f"--ignore={r}" for r in ignore]
            return ["lint", *rules, "--", *files]

        return await tools.call(args)

    @server.tool(
        name="selector_check",
        description="Check a CEL storage selector (variables name, node, storageType, "
        "availableSpace as uint) and, given storages (a snapshot and node, or a storage list "
        "file), show what the provider would pick. Returns {valid, error, results, "
        "first_match}.",
        annotations=local,
    )
    async def selector_check(
        expression: Annotated[
            str,
            Field(
                description='The selector, e.g. storageType == "lvmthin" && availableSpace > '
                "107374182400u",
                min_length=1,
                max_length=4096,
            ),
        ],
        snapshot: ProjectFile = None,
        node: Annotated[
            str | None, Field(description="The node (default pve1).", pattern=NODE)
        ] = None,
        storages: ProjectFile = None,
    ) -> CallToolResult:
        def args(root: Path) -> list[str]:
            if expression.strip() == "-":
                raise ToolInputError("'-' is not a selector", "pass the CEL expression itself")
            extra = [
                *_opt("--snapshot", snapshot and inside_project(root, snapshot, "snapshot")),
                *_opt("--storages", storages and inside_project(root, storages, "storages")),
                *_opt("--node", node),
            ]
            return ["selector", "check", *extra, "--", expression]

        return await tools.call(args)

    plan_description = (
        "Replay the provider's placement for machine classes (node, storage per disk) without "
        "creating anything, for the provider release the project runs. Returns {provider: {id, "
        "release, assumed}, classes: [{id, providerid, node, disks, ok, problems}]}; a problem's "
        "message is the provider's exact error."
    )

    def plan_args(
        root: Path, names: list[str], snapshot: str | None, live: bool, *extra: str
    ) -> list[str]:
        source = snapshot_args(root, snapshot, live)
        return ["machineclass", "plan", *source, *extra, "--", *names]

    if cli_option("omni_scale.cli.commands.machineclass_plan", "replicas"):

        @server.tool(
            name="machineclass_plan",
            description=plan_description + " replicas=N replays N requests of one machine set "
            "in order (spread from v0.2.0, all on one node before).",
            annotations=remote,
        )
        async def machineclass_plan_replicas(
            names: ClassNames = [],  # noqa: B006
            snapshot: ProjectFile = None,
            live: Annotated[bool, Field(description="Read the Proxmox API now.")] = False,
            replicas: Annotated[
                int, Field(description="Requests of one set to replay.", ge=1, le=1000)
            ] = 1,
        ) -> CallToolResult:
            return await tools.call(
                lambda root: plan_args(root, names, snapshot, live, f"--replicas={replicas}")
            )

    else:

        @server.tool(name="machineclass_plan", description=plan_description, annotations=remote)
        async def machineclass_plan(
            names: ClassNames = [],  # noqa: B006
            snapshot: ProjectFile = None,
            live: Annotated[bool, Field(description="Read the Proxmox API now.")] = False,
        ) -> CallToolResult:
            return await tools.call(lambda root: plan_args(root, names, snapshot, live))

    if module_exists("omni_scale.cli.commands.cluster_plan"):

        @server.tool(
            name="cluster_plan",
            description="Replay placement for every machine of cluster templates (sets, "
            "machines, node and storage capacity). Returns {clusters: [...]}.",
            annotations=remote,
        )
        async def cluster_plan(
            templates: Annotated[
                list[str], Field(description="Template files inside the project; empty = all.")
            ] = [],  # noqa: B006
            snapshot: ProjectFile = None,
            live: Annotated[bool, Field(description="Read the Proxmox API now.")] = False,
        ) -> CallToolResult:
            def args(root: Path) -> list[str]:
                files = [inside_project(root, t, "template") for t in templates]
                return ["cluster", "plan", *snapshot_args(root, snapshot, live), "--", *files]

            return await tools.call(args)

    @server.tool(
        name="provider_status",
        description="The provider's health: container, Omni registration and heartbeat, "
        "Proxmox API, recent log errors with diagnosis, id agreement. Exit 0 healthy, 1 "
        "degraded, 3 nothing could be checked. Returns {health, exit_code, checked_at, "
        "providers, checks}.",
        annotations=remote,
    )
    async def provider_status(
        provider: ProviderId = None,
        checks: Annotated[
            list[Literal["container", "omni", "proxmox", "logs", "ids"]],
            Field(description="Only these checks; empty = all."),
        ] = [],  # noqa: B006
        timeout: Annotated[
            float | None, Field(description="Seconds per check.", gt=0, le=120)
        ] = None,
    ) -> CallToolResult:
        return await tools.call(
            lambda _: [
                "provider",
                "status",
                *_opt("--provider", provider),
                *[f"--check={c}" for c in checks],
                *_opt("--timeout", timeout),
            ]
        )

    @server.tool(
        name="provider_logs",
        description="The provider's recent log lines, readable, with every known error "
        "matched to its cause and fix (diagnose). Returns the lines and the diagnoses.",
        annotations=local,
    )
    async def provider_logs(
        provider: ProviderId = None,
        tail: Annotated[int, Field(description="Lines from the end.", ge=1, le=5000)] = 200,
        since: Annotated[
            str | None,
            Field(description="Only since, e.g. 10m, 2h.", pattern=r"^[0-9A-Za-z:.+-]{1,40}$"),
        ] = None,
        errors_only: Annotated[bool, Field(description="Only error lines.")] = False,
        diagnose: Annotated[bool, Field(description="Match known errors.")] = True,
    ) -> CallToolResult:
        return await tools.call(
            lambda _: [
                "provider",
                "logs",
                *_opt("--provider", provider),
                f"--tail={tail}",
                *_opt("--since", since),
                *_flag("--errors", errors_only),
                *_flag("--diagnose", diagnose),
            ]
        )

    @server.tool(
        name="cluster_status",
        description="A cluster's health from Omni: phase (SCALING_UP, RUNNING, ...), readiness, "
        "per-machine stages and provisioning errors with their likely cause. Without name, "
        "every cluster. Exit 0 healthy, 1 not healthy, 3 Omni unreachable.",
        annotations=remote,
    )
    async def cluster_status(
        name: Annotated[str | None, Field(description="The cluster name.", pattern=NAME)] = None,
    ) -> CallToolResult:
        return await tools.call(lambda _: ["cluster", "status", "--", *([name] if name else [])])

    @server.tool(
        name="proxmox_check",
        description="Proxmox reachability, version, auth mode and an audit of the provider "
        "credentials' effective privileges on every path the provider uses.",
        annotations=remote,
    )
    async def proxmox_check(provider: ProviderId = None) -> CallToolResult:
        return await tools.call(lambda _: ["proxmox", "check", *_opt("--provider", provider)])

    @server.tool(
        name="doctor",
        description="Local tools (docker compose, omnictl and its auth), project files, state "
        "file, .gitignore and secret file modes, provider id agreement: ok/warn/fail with fixes.",
        annotations=remote,
    )
    async def doctor(
        offline: Annotated[bool, Field(description="Do not contact Omni.")] = False,
    ) -> CallToolResult:
        return await tools.call(lambda _: ["doctor", *_flag("--offline", offline)])

    @server.tool(
        name="state_show",
        description="The project's omni-scale settings and last recorded statuses (no secrets).",
        annotations=local,
    )
    async def state_show() -> CallToolResult:
        return await tools.call(lambda _: ["state", "show"])

    return server


def describe_tools(project: Path) -> list[dict[str, Any]]:
    """Name, description and input schema of every tool (what a client's tools/list shows)."""
    tools = anyio.run(build_server(project).list_tools)
    return [
        {
            "name": tool.name,
            "description": tool.description,
            "read_only": bool(tool.annotations and tool.annotations.readOnlyHint),
            "input_schema": tool.inputSchema,
        }
        for tool in tools
    ]


def serve(project: Path) -> None:
    """Serve the tools over stdio until the client closes the connection.

    The protocol owns the process's stdin and stdout: they move to private descriptors first,
    and descriptors 0 and 1 become /dev/null and stderr, so neither a command nor a program it
    starts (docker, omnictl) can read the client's messages or write into the protocol stream.
    """
    protocol_in = os.fdopen(os.dup(0), "rb")
    protocol_out = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    # FastMCP's stdio transport wraps sys.stdin.buffer / sys.stdout.buffer when it starts.
    sys.stdin = io.TextIOWrapper(protocol_in, encoding="utf-8")
    sys.stdout = io.TextIOWrapper(protocol_out, encoding="utf-8")
    build_server(project).run("stdio")
