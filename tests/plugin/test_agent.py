"""agents/troubleshooter.md: a read-only agent whose tools are omni-scale's MCP tools."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .conftest import REPO

AGENT = REPO / "agents" / "troubleshooter.md"


def frontmatter_and_body(path: Path) -> tuple[dict[str, Any], str]:
    from ruamel.yaml import YAML

    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return YAML(typ="safe", pure=True).load(front), body


def mcp_prefix() -> str:
    """How Claude Code names the plugin's MCP tools: mcp__plugin_<plugin>_<server>__<tool>."""
    plugin = json.loads((REPO / ".claude-plugin" / "plugin.json").read_text(encoding="utf-8"))
    (server,) = json.loads((REPO / ".mcp.json").read_text(encoding="utf-8"))["mcpServers"]
    normalise = lambda name: re.sub(r"[^A-Za-z0-9_-]", "_", name)  # noqa: E731
    return f"mcp__plugin_{normalise(plugin['name'])}_{normalise(server)}__"


def server_tools() -> dict[str, Any]:
    import anyio

    from omni_scale.mcp.server import build_server

    return {t.name: t for t in anyio.run(build_server(REPO / "examples" / "homelab").list_tools)}


def test_frontmatter() -> None:
    front, _ = frontmatter_and_body(AGENT)
    assert front["name"] == AGENT.stem
    assert isinstance(front["description"], str)
    assert front["description"].startswith("Use this agent when")
    assert len(front["description"]) < 400  # always in context
    for phrase in ("SCALING_UP", "failed to pick the disk", "not authorized to access endpoint"):
        assert phrase in front["description"]


def test_tools_are_read_only_mcp_tools_and_readers() -> None:
    front, _ = frontmatter_and_body(AGENT)
    tools = [t.strip() for t in front["tools"].split(",")]
    prefix = mcp_prefix()
    offered = server_tools()
    mcp = [t.removeprefix(prefix) for t in tools if t.startswith(prefix)]
    assert set(tools) - {prefix + m for m in mcp} <= {"Read", "Grep", "Glob"}  # no Bash, no Edit
    # cluster_plan joins when the CLI has `cluster plan`; every other name is served now.
    assert set(mcp) - {"cluster_plan"} <= set(offered), set(mcp) - set(offered)
    for name in set(mcp) & set(offered):
        assert offered[name].annotations.readOnlyHint is True
    assert {"provider_status", "provider_logs", "cluster_status", "machineclass_plan"} <= set(mcp)


def test_body_runs_status_logs_plan_and_answers_cause_then_fix() -> None:
    _, body = frontmatter_and_body(AGENT)
    order = [
        body.index(f"`{name}`")
        for name in ("provider_status", "provider_logs", "cluster_status", "machineclass_plan")
    ]
    assert order == sorted(order)
    assert "**Cause**" in body and body.index("**Cause**") < body.index("**Fix**")
    assert re.search(r"Never print, read or ask for secrets", body)
    mentioned = set(re.findall(r"/omni-scale:([a-z-]+)", body))
    assert mentioned <= {p.stem for p in (REPO / "commands").glob("*.md")}
