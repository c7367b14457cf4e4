"""Replay of the provider's `pickNode` step per release (placement.md §3) on a snapshot.

All releases: no nodes ⇒ `no nodes available`; a pinned `node:` must exist and be online and is
used as is (no strategy, no reservation). Then, per release:

- 0d9fd58: offline nodes stay in the list. In a machine request set (every cluster machine) the
  provider reads `GET /nodes/{n}/status` of every node, and an offline node's 595 fails the step
  (`failed to get node "<n>", unexpected end of JSON input`, PR #61). MemoryFree is
  `float64(maxmem-mem)/float64(maxmem)` with Go's uint64 and float rules (0/0 = NaN, last).
- v0.1.0: offline nodes skipped (`no online nodes available for provisioning` when none is left);
  same MemoryFree; sort (same-set count, MemoryFree desc). No ledger: the N requests of one set
  all land on the same node (provider issue #51).
- v0.2.0: `parseStrategy` right after the pinned branch; `FreeMem = maxmem-mem` (0 if negative),
  `MemoryFree = FreeMem/maxmem` or 0.0 without stats; in a set, the scheduler with its ledger
  (core.placement.scheduler); VM counts are not read when `ha:` is set.

The same-set VM count from the API is always 0 (go-proxmox's `HasTag` reads a nil config).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from omni_scale.core.placement.model import MIB, PlanProblem
from omni_scale.core.placement.release import Release, release_from_version
from omni_scale.core.placement.scheduler import (
    STABLE_MAX,
    Candidate,
    Ledger,
    UnknownStrategy,
    order,
    parse_strategy,
    schedule,
    tie_at_top,
)
from omni_scale.core.proxmox.snapshot import NodeInfo, Snapshot

UINT64 = 2**64
NODE = "node"  # the provider step these problems belong to


@dataclass(frozen=True)
class NodeChoice:
    node: str | None
    ratio: float | None = None
    problems: list[PlanProblem] = field(default_factory=list)
    ranking: list[tuple[str, float]] = field(default_factory=list)
    strategy: str | None = None  # the strategy replayed (v0.2.0 in a set), None otherwise


def memory_free(node: NodeInfo) -> float:
    """MemoryFree before v0.2.0, with Go's semantics: uint64 subtraction, float division."""
    maxmem = node.maxmem or 0
    diff = (maxmem - (node.mem or 0)) % UINT64
    if maxmem == 0:
        return math.nan if diff == 0 else math.inf
    return diff / maxmem


def free_mem(node: NodeInfo) -> int:
    """v0.2.0's FreeMem: maxmem - mem when positive, else 0 (bytes)."""
    maxmem, mem = node.maxmem or 0, node.mem or 0
    return maxmem - mem if maxmem > mem else 0


def memory_free_v020(node: NodeInfo) -> float:
    maxmem = node.maxmem or 0
    return free_mem(node) / maxmem if maxmem > 0 else 0.0


def rank(nodes: list[NodeInfo]) -> list[tuple[NodeInfo, float]]:
    """Stable sort by MemoryFree descending (before v0.2.0); NaN (no stats) last, in API order."""
    scored = [(n, memory_free(n)) for n in nodes]
    known = [s for s in scored if not math.isnan(s[1])]
    unknown = [s for s in scored if math.isnan(s[1])]
    known.sort(key=lambda s: -s[1])
    return known + unknown


def _error(message: str, hint: str | None) -> NodeChoice:
    return NodeChoice(None, problems=[PlanProblem("error", message, hint, NODE)])


def pick_node(
    snapshot: Snapshot,
    pinned: str | None,
    release: Release | str | None = None,
    strategy: str | None = None,
    *,
    in_set: bool = True,
    ha: bool = False,
    set_id: str | None = None,
    request: str | None = None,
    memory_mib: int = 0,
    ledger: Ledger | None = None,
) -> NodeChoice:
    """The node the provider picks for one request (`in_set`: the request is in a set, as every
    cluster machine is; `ledger`: the provider process's scheduler state, v0.2.0)."""
    rel = release_from_version(release)
    nodes = list(snapshot.nodes)
    if not nodes:
        return _error(
            "no nodes available",
            "GET /nodes returned nothing (it lists every node to any authenticated caller): "
            "check that the url is https://HOST:8006/api2/json of a PVE node",
        )
    if pinned:
        return _pinned(snapshot, pinned)
    strategy_name = "spread"
    if rel.at_least("v0.2.0"):
        try:
            strategy_name = parse_strategy(strategy)
        except UnknownStrategy as exc:
            return _error(
                str(exc), "use one of spread, fewer-vms, round-robin, binpack (or leave it out)"
            )
    problems: list[PlanProblem] = []
    if strategy and not rel.at_least("v0.2.0"):
        problems.append(
            PlanProblem(
                "info",
                f"placement_strategy {strategy!r} is not read by provider {rel.name} (added in "
                "v0.2.0): placement is by free memory",
                None,
            )
        )
    if not rel.at_least("v0.1.0"):
        return _pick_0d9fd58(nodes, in_set, problems)
    online = [n for n in nodes if n.online]
    if not online:
        return _error(
            "no online nodes available for provisioning",
            "bring a node back online (every node of GET /nodes is "
            + ", ".join(sorted({n.status for n in nodes}))
            + ")",
        )
    if not rel.at_least("v0.2.0"):
        return _finish(_candidates_v010(online), "spread", problems, memory_mib, None)
    count_vms = in_set and not ha
    candidates = [
        Candidate(
            n.node, memory_free_v020(n), free_mem(n), 0, (n.vm_count or 0) if count_vms else 0
        )
        for n in online
    ]
    blind = [n.node for n in online if not n.maxmem]
    if blind:
        problems.append(
            PlanProblem(
                "warning",
                f"no memory stats for {', '.join(blind)}: provider {rel.name} counts "
                "MemoryFree as 0.0 there (as full)",
                "grant Sys.Audit on /nodes to the provider's token, or pin `node:`",
                NODE,
            )
        )
    if count_vms and strategy_name == "fewer-vms":
        unknown = [n.node for n in online if n.vm_count is None]
        if unknown:
            problems.append(
                PlanProblem(
                    "warning",
                    f"fewer-vms: VM counts of {', '.join(unknown)} are unknown (not in the "
                    "snapshot): counted as 0",
                    "take a new snapshot with `omni-scale proxmox snapshot`",
                    NODE,
                )
            )
    if not in_set:
        return _finish(candidates, "spread", problems, memory_mib, None)
    memory = memory_mib * MIB
    sid = set_id or "set"
    winner, ranked = schedule(
        ledger if ledger is not None else Ledger(),
        candidates,
        sid,
        request or f"{sid}-1",
        memory,
        strategy_name,
    )
    problems += _tie_problems(strategy_name, ranked, memory)
    return NodeChoice(
        winner.name,
        winner.memory_free,
        problems,
        [(c.name, c.memory_free) for c in ranked],
        strategy_name,
    )


def _pinned(snapshot: Snapshot, pinned: str) -> NodeChoice:
    node = snapshot.node(pinned)
    if node is None:
        known = ", ".join(n.node for n in snapshot.nodes)
        return _error(
            f'specified node "{pinned}" not found in cluster',
            f"use one of: {known} (node names are case-sensitive)",
        )
    if not node.online:
        return _error(
            f'specified node "{pinned}" is not online (status: {node.status})',
            "bring the node back, or pin another node / drop `node:`",
        )
    return NodeChoice(node.node, memory_free(node))


def _candidates_v010(nodes: list[NodeInfo]) -> list[Candidate]:
    return [Candidate(n.node, memory_free(n), free_mem(n)) for n in nodes]


def _tie_problems(strategy: str, ranked: list[Candidate], memory: int) -> list[PlanProblem]:
    tied = tie_at_top(strategy, ranked, memory)
    if not tied:
        return []
    what = {
        "fewer-vms": "VM count and free memory",
        "binpack": "free memory (bytes)",
        "round-robin": "set count and name",
    }.get(strategy, "free memory")
    if len(ranked) > STABLE_MAX:
        return [
            PlanProblem(
                "warning",
                f"nodes {', '.join(tied)} tie on {what} among {len(ranked)} candidates: with "
                f"more than {STABLE_MAX} nodes Go's sort is not stable, so which one the "
                "provider takes is not predictable",
                "pin `node:` if the node matters",
                NODE,
            )
        ]
    return [
        PlanProblem(
            "warning",
            f"nodes {tied[0]} and {tied[1]} tie on {what}: the choice follows GET /nodes order, "
            "which PVE does not keep stable",
            None,
            NODE,
        )
    ]


def _finish(
    candidates: list[Candidate],
    strategy: str,
    problems: list[PlanProblem],
    memory_mib: int,
    chosen_strategy: str | None,
) -> NodeChoice:
    ranked = order(strategy, candidates, memory_mib * MIB)
    winner = ranked[0]
    out = list(problems)
    if math.isnan(winner.memory_free):
        out.append(
            PlanProblem(
                "warning",
                f"no node reports memory stats: the provider takes the first node of GET /nodes "
                f"({winner.name}), whose order PVE does not keep stable",
                "grant Sys.Audit on /nodes to the provider's token, or pin `node:`",
                NODE,
            )
        )
    else:
        out += _tie_problems(strategy, ranked, memory_mib * MIB)
    return NodeChoice(
        winner.name,
        None if math.isnan(winner.memory_free) else winner.memory_free,
        out,
        [(c.name, c.memory_free) for c in ranked],
        chosen_strategy,
    )


def _pick_0d9fd58(nodes: list[NodeInfo], in_set: bool, problems: list[PlanProblem]) -> NodeChoice:
    if in_set:
        offline = next((n for n in nodes if not n.online), None)
        if offline is not None:
            return _error(
                f'failed to get node "{offline.node}", unexpected end of JSON input',
                f"{offline.node} is {offline.status}: in a machine request set this build reads "
                "every node's status and the offline node's HTTP 595 fails the pick; bring it "
                "back, remove it from the cluster (pvecm delnode), or run provider >= v0.1.0",
            )
    choice = _finish(_candidates_v010(nodes), "spread", problems, 0, None)
    winner = next(n for n in nodes if n.node == choice.node)
    if winner.online or choice.ratio is None:
        return choice
    return NodeChoice(
        choice.node,
        choice.ratio,
        [
            *choice.problems,
            PlanProblem(
                "error",
                f"node {winner.node} is {winner.status} but still reports maxmem and no mem: "
                f"its free-memory ratio is 1.0, so the provider picks it and VM creation fails",
                "pin `node:` to an online node, wait ~5 min until PVE drops the offline node's "
                "stats, or run provider >= v0.1.0 (skips offline nodes)",
                NODE,
            ),
        ],
        choice.ranking,
    )
