"""Replay of the provider's `pickNode` (provider.md §6) on a snapshot.

At 0d9fd58: a pinned `node:` must exist and be online; otherwise every node gets
`MemoryFree = (maxmem - mem) / maxmem` (Go float64: missing `mem` counts as 0, 0/0 is NaN), the
list is sorted stably by (same-set VM count, MemoryFree descending) and the first node wins. The
same-set count is always 0 (go-proxmox v0.3.2 reads tags from a nil config), so placement is the
free-memory ratio alone. From v0.1.0 on, offline nodes are skipped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from omni_scale.core.placement.model import PlanProblem, at_least
from omni_scale.core.proxmox.snapshot import NodeInfo, Snapshot


@dataclass(frozen=True)
class NodeChoice:
    node: str | None
    ratio: float | None = None
    problems: list[PlanProblem] = field(default_factory=list)
    ranking: list[tuple[str, float]] = field(default_factory=list)


def memory_free(node: NodeInfo) -> float:
    """The provider's MemoryFree, with Go's float semantics (NaN for 0/0)."""
    maxmem = node.maxmem or 0
    mem = node.mem or 0
    if maxmem == 0:
        return math.nan if mem == 0 else -math.inf
    return (maxmem - mem) / maxmem


def rank(nodes: list[NodeInfo]) -> list[tuple[NodeInfo, float]]:
    """Stable sort by MemoryFree descending; NaN (no stats) last, in API order."""
    scored = [(n, memory_free(n)) for n in nodes]
    known = [s for s in scored if not math.isnan(s[1])]
    unknown = [s for s in scored if math.isnan(s[1])]
    known.sort(key=lambda s: -s[1])
    return known + unknown


def pick_node(
    snapshot: Snapshot,
    pinned: str | None,
    provider_version: str | None = None,
    strategy: str | None = None,
) -> NodeChoice:
    nodes = list(snapshot.nodes)
    if not nodes:
        return NodeChoice(
            None,
            problems=[
                PlanProblem(
                    "error",
                    "no nodes available",
                    "GET /nodes returned nothing: check the url and that the token can see "
                    "the nodes (Sys.Audit on /nodes)",
                )
            ],
        )
    if pinned:
        node = snapshot.node(pinned)
        if node is None:
            known = ", ".join(n.node for n in nodes)
            return NodeChoice(
                None,
                problems=[
                    PlanProblem(
                        "error",
                        f'specified node "{pinned}" not found in cluster',
                        f"use one of: {known} (node names are case-sensitive)",
                    )
                ],
            )
        if not node.online:
            return NodeChoice(
                None,
                problems=[
                    PlanProblem(
                        "error",
                        f'specified node "{pinned}" is not online (status: {node.status})',
                        "bring the node back, or pin another node / drop `node:`",
                    )
                ],
            )
        return NodeChoice(node.node, memory_free(node))

    skips_offline = at_least(provider_version, (0, 1, 0))
    candidates = [n for n in nodes if n.online] if skips_offline else nodes
    problems: list[PlanProblem] = []
    if not candidates:
        return NodeChoice(
            None,
            problems=[
                PlanProblem(
                    "error",
                    "no online node to place the VM on",
                    "bring a node back online",
                )
            ],
        )
    ranking = rank(candidates)
    winner, ratio = ranking[0]
    if strategy and strategy != "spread":
        problems.append(
            PlanProblem(
                "info",
                f"placement_strategy {strategy!r}: the node shown is the free-memory choice; "
                "the provider's own strategy may choose another",
                None,
            )
        )
    if math.isnan(ratio):
        problems.append(
            PlanProblem(
                "warning",
                f"no node reports memory stats: the provider takes the first node of GET /nodes "
                f"({winner.node}), whose order PVE does not keep stable",
                "grant Sys.Audit on /nodes to the provider's token, or pin `node:`",
            )
        )
    elif not winner.online:
        problems.append(
            PlanProblem(
                "error",
                f"node {winner.node} is {winner.status} but still reports maxmem and no mem: "
                f"its free-memory ratio is 1.0, so the provider picks it and VM creation fails",
                "pin `node:` to an online node, wait ~5 min until PVE drops the offline node's "
                "stats, or run provider >= v0.1.0 (skips offline nodes)",
            )
        )
    elif len(ranking) > 1 and math.isclose(ranking[1][1], ratio, abs_tol=1e-9):
        problems.append(
            PlanProblem(
                "warning",
                f"nodes {winner.node} and {ranking[1][0].node} tie on free memory: the choice "
                "follows GET /nodes order, which PVE does not keep stable",
                None,
            )
        )
    return NodeChoice(
        winner.node,
        None if math.isnan(ratio) else ratio,
        problems,
        [(n.node, r) for n, r in ranking],
    )
