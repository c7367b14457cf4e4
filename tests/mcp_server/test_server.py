"""`omni-scale mcp`: typed read-only tools that answer with the CLI's own JSON documents.

In-process through the MCP SDK's client (a memory transport to the real server object), once
over stdio as Claude Code runs it, and with the secret canary of tests/test_secret_canary.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.memory import create_connected_server_and_client_session
from mcp.types import CallToolResult

from conftest import EXAMPLE, REPO
from omni_scale.mcp.server import build_server
from test_secret_canary import assert_clean, commands, world  # noqa: F401 (a fixture)

READ_ONLY_TOOLS = {
    "check",
    "lint",
    "selector_check",
    "machineclass_plan",
    "provider_status",
    "provider_logs",
    "cluster_status",
    "proxmox_check",
    "doctor",
    "state_show",
}


def with_client(project: Path, body: Callable[[ClientSession], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        async with create_connected_server_and_client_session(build_server(project)) as client:
            return await body(client)

    return anyio.run(main)


def call(project: Path, tool: str, arguments: dict[str, Any] | None = None) -> CallToolResult:
    async def body(client: ClientSession) -> CallToolResult:
        return await client.call_tool(tool, arguments or {})

    result: CallToolResult = with_client(project, body)
    return result


@pytest.fixture
def homelab(tmp_path: Path) -> Path:
    root = tmp_path / "homelab"
    shutil.copytree(EXAMPLE, root)
    (root / ".git").mkdir()
    return root


def test_tools_are_the_read_only_commands_and_typed(homelab: Path) -> None:
    async def body(client: ClientSession) -> Any:
        return (await client.list_tools()).tools

    tools = {t.name: t for t in with_client(homelab, body)}
    assert set(tools) >= READ_ONLY_TOOLS
    assert set(tools) - READ_ONLY_TOOLS <= {"cluster_plan"}  # when `cluster plan` exists
    for tool in tools.values():
        assert tool.annotations is not None
        assert tool.annotations.readOnlyHint is True
        assert tool.annotations.destructiveHint is False
        assert tool.description
    selector = tools["selector_check"].inputSchema
    assert selector["properties"]["expression"]["type"] == "string"
    assert selector["required"] == ["expression"]
    assert tools["provider_status"].inputSchema["properties"]["checks"]["items"]["enum"] == [
        "container",
        "omni",
        "proxmox",
        "logs",
        "ids",
    ]


@pytest.mark.parametrize(
    ("tool", "arguments", "argv"),
    [
        ("lint", {}, ["lint"]),
        (
            "selector_check",
            {
                "expression": 'storageType == "lvmthin"',
                "snapshot": "proxmox-snapshot.json",
                "node": "pve1",
            },
            [
                "selector",
                "check",
                'storageType == "lvmthin"',
                "--snapshot",
                "proxmox-snapshot.json",
                "--node",
                "pve1",
            ],
        ),
        ("machineclass_plan", {}, ["machineclass", "plan"]),
        ("check", {}, ["check"]),
        ("state_show", {}, ["state", "show"]),
    ],
)
def test_a_tool_returns_the_commands_json_document(
    homelab: Path, cli: Any, tool: str, arguments: dict[str, Any], argv: list[str]
) -> None:
    result = call(homelab, tool, arguments)
    # The tool reads project files relative to the project; the CLI, relative to the cwd.
    argv = [str(homelab / a) if a.endswith(".json") else a for a in argv]
    expected = cli("--project-dir", homelab, "--json", *argv)
    document = expected.json()
    assert result.isError is False, result.content
    assert result.structuredContent == document
    assert json.loads(result.content[0].text) == document  # type: ignore[union-attr]
    assert result.meta == {"exit_code": expected.code, "command": result.meta["command"]}
    assert f"exit code {expected.code}:" in result.content[1].text  # type: ignore[union-attr]


def test_problems_found_is_a_result_with_exit_code_1(homelab: Path, cli: Any) -> None:
    (homelab / "machine-classes" / "bad.yaml").write_text(
        "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n  id: bad\n"
        "spec:\n  autoprovision:\n    providerid: proxmox\n    providerdata: |\n      cores: 2\n",
        encoding="utf-8",
    )
    result = call(homelab, "lint")
    assert result.isError is False
    assert result.meta is not None and result.meta["exit_code"] == 1
    assert result.structuredContent == cli("--project-dir", homelab, "lint", "--json").json()
    assert result.structuredContent["summary"]["errors"] >= 1  # type: ignore[index]


def test_a_cli_error_becomes_a_tool_error_with_its_exit_code(homelab: Path, cli: Any) -> None:
    (homelab / "broken.json").write_text("{not json", encoding="utf-8")
    arguments = {"expression": "true", "storages": "broken.json"}
    result = call(homelab, "selector_check", arguments)
    expected = cli(
        "--project-dir", homelab, "--json", "selector", "check", "true", "--storages",
        homelab / "broken.json",
    )  # fmt: skip
    assert expected.code == 2
    assert result.isError is True
    assert result.structuredContent == {"ok": False, "error": expected.json()["error"]}
    text = result.content[0].text  # type: ignore[union-attr]
    assert text.startswith("omni-scale: error: ") and text.endswith("[exit 2]")
    assert expected.json()["error"]["message"].split()[0] in text


def test_environment_errors_keep_exit_3(provider_project: Any, cli: Any) -> None:
    """Proxmox unreachable (a closed loopback port): the CLI's exit-3 error document becomes a
    tool error with exit 3 and the same message."""
    root = provider_project(proxmox_url="https://127.0.0.1:9/api2/json")
    expected = cli("--project-dir", root, "--json", "proxmox", "check")
    assert expected.code == 3
    result = call(root, "proxmox_check")
    assert result.isError is True
    assert result.structuredContent == {"ok": False, "error": expected.json()["error"]}
    assert result.content[0].text.endswith("[exit 3]")  # type: ignore[union-attr]


def test_a_missing_project_file_is_exit_2(project: Path, cli: Any) -> None:
    expected = cli("--project-dir", project, "--json", "proxmox", "check")
    result = call(project, "proxmox_check")
    assert expected.code == 2
    assert result.isError is True
    assert result.structuredContent == {"ok": False, "error": expected.json()["error"]}


@pytest.mark.parametrize(
    "expression", ["-", "--project-dir=/", "-v", "--json", "--help", "; rm -rf /", "$(id)"]
)
def test_a_selector_is_a_typed_string_never_an_option_or_shell(
    homelab: Path, expression: str
) -> None:
    result = call(homelab, "selector_check", {"expression": expression})
    if expression == "-":
        assert result.isError and "not a selector" in result.content[0].text  # type: ignore[union-attr]
        return
    # The CLI compiled exactly this text as CEL (and refused it), nothing else happened.
    assert result.isError is False, result.content
    document = result.structuredContent
    assert document is not None
    assert document["selector"] == expression
    assert document["valid"] is False
    assert result.meta is not None and result.meta["command"][-2:] == ["--", expression]


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("machineclass_plan", {"snapshot": "/etc/passwd"}),
        ("machineclass_plan", {"snapshot": "../outside.json"}),
        ("lint", {"paths": ["/etc"]}),
        ("selector_check", {"expression": "true", "storages": "/etc/hostname"}),
        ("check", {"snapshot": "proxmox-snapshot.json", "live": True}),
    ],
)
def test_refused_before_anything_runs(homelab: Path, tool: str, arguments: dict[str, Any]) -> None:
    result = call(homelab, tool, arguments)
    assert result.isError is True
    assert result.structuredContent is not None
    assert result.structuredContent["error"]["exit_code"] == 2
    assert "hint" in result.structuredContent["error"]


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("provider_status", {"provider": "--json"}),
        ("provider_status", {"checks": ["container", "reboot"]}),
        ("cluster_status", {"name": "-w"}),
        ("provider_logs", {"tail": 0}),
        ("selector_check", {"expression": ""}),
    ],
)
def test_parameters_are_validated_by_type(
    homelab: Path, tool: str, arguments: dict[str, Any]
) -> None:
    result = call(homelab, tool, arguments)
    assert result.isError is True
    assert "validation error" in result.content[0].text.lower()  # type: ignore[union-attr]


def test_tools_run_one_at_a_time_and_answer_each_call(homelab: Path) -> None:
    """The standard streams are process-wide: concurrent calls must not mix their documents."""

    async def body(client: ClientSession) -> list[CallToolResult]:
        results: list[CallToolResult] = []

        async def one(expression: str) -> None:
            results.append(await client.call_tool("selector_check", {"expression": expression}))

        async with anyio.create_task_group() as group:
            for index in range(6):
                group.start_soon(one, f'name == "s{index}"')
        return results

    results = with_client(homelab, body)
    selectors = sorted(r.structuredContent["selector"] for r in results)  # type: ignore[index]
    assert selectors == [f'name == "s{i}"' for i in range(6)]


def test_over_stdio_as_claude_code_starts_it(homelab: Path) -> None:
    """`omni-scale --project-dir DIR mcp` as a process: the protocol survives commands that
    print, and a tool's answer equals the CLI's."""

    async def main() -> tuple[list[str], CallToolResult, CallToolResult]:
        params = StdioServerParameters(
            command=sys.executable,
            args=["-m", "omni_scale", "--project-dir", str(homelab), "mcp"],
            cwd=str(homelab),
        )
        async with stdio_client(params) as (read, write), ClientSession(read, write) as client:
            await client.initialize()
            names = [t.name for t in (await client.list_tools()).tools]
            lint = await client.call_tool("lint", {})
            plan = await client.call_tool("machineclass_plan", {"names": ["proxmox-worker"]})
            return names, lint, plan

    names, lint, plan = anyio.run(main)
    assert set(names) >= READ_ONLY_TOOLS
    assert lint.isError is False and lint.structuredContent["summary"]["errors"] == 0  # type: ignore[index]
    expected = subprocess.run(
        [
            *(sys.executable, "-m", "omni_scale", "--project-dir", str(homelab), "--json"),
            *("machineclass", "plan", "proxmox-worker"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert plan.structuredContent == json.loads(expected.stdout)


def test_the_cli_start_does_not_load_the_mcp_sdk() -> None:
    code = (
        "import sys\n"
        "from omni_scale.cli.main import main\n"
        "main(['--help']); main(['lint', '--help']); main(['mcp', '--help'])\n"
        "print(sorted(m for m in ('mcp', 'pydantic', 'anyio', 'starlette') if m in sys.modules))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_the_plugin_declares_the_server() -> None:
    config = json.loads((REPO / ".mcp.json").read_text(encoding="utf-8"))
    server = config["mcpServers"]["omni-scale"]
    assert server["command"] == "${CLAUDE_PLUGIN_ROOT}/scripts/omni-scale"
    assert server["args"] == ["--project-dir", "${CLAUDE_PROJECT_DIR}", "mcp"]
    assert server["env"] == {"CLAUDE_PLUGIN_DATA": "${CLAUDE_PLUGIN_DATA}"}


def test_no_secret_in_any_tool_result(world: dict[str, Any], cli: Any) -> None:  # noqa: F811
    """The secret canary of tests/test_secret_canary.py: with the canary key, token secret and
    password in the project's files, no tool result (success or error) carries any of them."""
    root: Path = world["root"]
    setup = commands(world)
    for args in (setup[0], setup[3]):  # provider setup with the canaries; a second provider
        assert cli("--project-dir", root, *args).code == 0
    (root / "proxmox-snapshot.json").write_text(
        (EXAMPLE / "proxmox-snapshot.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    calls: list[tuple[str, dict[str, Any]]] = [
        ("check", {}),
        ("check", {"live": True}),
        ("lint", {}),
        ("lint", {"paths": ["docker", ".env"]}),
        ("selector_check", {"expression": "true", "snapshot": "proxmox-snapshot.json"}),
        ("selector_check", {"expression": "true", "storages": ".env"}),
        ("machineclass_plan", {"live": True}),
        ("provider_status", {"timeout": 10}),
        ("provider_status", {"provider": "lab-2", "timeout": 10}),
        ("provider_logs", {}),
        ("provider_logs", {"provider": "nope"}),
        ("cluster_status", {}),
        ("proxmox_check", {}),
        ("proxmox_check", {"provider": "lab-2"}),
        ("doctor", {}),
        ("state_show", {}),
    ]

    async def body(client: ClientSession) -> list[tuple[str, CallToolResult]]:
        return [(name, await client.call_tool(name, args)) for name, args in calls]

    results = with_client(root, body)
    errors = 0
    for name, result in results:
        errors += bool(result.isError)
        text = json.dumps(result.model_dump(mode="json", by_alias=True))
        assert_clean(f"the result of the MCP tool {name}", text)
    assert errors and errors < len(results)  # both successes and failures were checked


def test_mcp_json_lists_the_tools_instead_of_serving(homelab: Path, cli: Any) -> None:
    result = cli("--project-dir", homelab, "mcp", "--json")
    assert result.code == 0
    document = result.json()
    assert document["transport"] == "stdio"
    assert {t["name"] for t in document["tools"]} >= READ_ONLY_TOOLS
    assert all(t["read_only"] for t in document["tools"])


def test_cluster_plan_tool_when_the_cli_has_it(homelab: Path, cli: Any) -> None:
    from omni_scale.cli.lazy import module_exists

    if not module_exists("omni_scale.cli.commands.cluster_plan"):
        pytest.skip("this CLI has no `cluster plan` yet: the tool is not offered")
    result = call(homelab, "cluster_plan")
    expected = cli("--project-dir", homelab, "--json", "cluster", "plan")
    assert result.isError is False, result.content
    assert result.structuredContent == expected.json()
    assert result.meta is not None and result.meta["exit_code"] == expected.code


def test_replicas_follow_the_cli_option(homelab: Path, cli: Any) -> None:
    from omni_scale.mcp.server import cli_option

    async def body(client: ClientSession) -> Any:
        return {t.name: t for t in (await client.list_tools()).tools}

    schema = with_client(homelab, body)["machineclass_plan"].inputSchema
    if not cli_option("omni_scale.cli.commands.machineclass_plan", "replicas"):
        assert "replicas" not in schema["properties"]  # never offer what the CLI lacks
        pytest.skip("this CLI's machineclass plan has no --replicas yet")
    result = call(homelab, "machineclass_plan", {"replicas": 3})
    expected = cli("--project-dir", homelab, "--json", "machineclass", "plan", "--replicas", "3")
    assert result.structuredContent == expected.json()
