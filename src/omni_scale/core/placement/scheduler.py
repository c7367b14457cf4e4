"""The provider's node ordering and, from v0.2.0, its scheduler with the in-flight ledger.

Replays `internal/pkg/provider/scheduler.go@fd21629` (placement.md §4):

- `parseStrategy`: "" / spread, fewer-vms, round-robin, binpack; anything else fails with
  `unknown placement strategy "<s>"`.
- order keys (Go `slices.SortFunc`, an insertion sort and so stable for <= 12 nodes):
  spread = (same-set VMs asc, MemoryFree desc); fewer-vms = (TotalVMs asc, MemoryFree desc);
  round-robin = (same-set VMs asc, name asc, bytewise); binpack = nodes whose FreeMem fits the
  request first, tightest fit first, else everything by FreeMem desc (never refuses).
- the ledger: one per provider process; every pick of set X records (request -> node, memory);
  before a pick, the other live reservations of the same set add to that node's TotalVMs
  (fewer-vms), take from its FreeMem (binpack, floor 0) or add to its same-set count (spread,
  round-robin). Reservations live an hour (materialisation is detected with go-proxmox's
  `HasTag`, which never sees list-entry tags), so within a plan they all stay.

Pure: no clock, the ledger is kept per set as sums per node, so a pick costs O(nodes).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from omni_scale.core.selector.errors import go_quote

STRATEGIES = ("spread", "fewer-vms", "round-robin", "binpack")
# Go's pdqsort switches from insertion sort (stable) to pattern-defeating quicksort above this.
STABLE_MAX = 12


class UnknownStrategy(ValueError):
    """`parseStrategy`'s error; str() is the provider's exact text."""


def parse_strategy(value: str | None) -> str:
    """`parseStrategy` (S:26-35): the strategy, or UnknownStrategy with the provider's text."""
    if value is None or value == "" or value == "spread":
        return "spread"
    if value in STRATEGIES:
        return value
    raise UnknownStrategy(f"unknown placement strategy {go_quote(value)}")


@dataclass(frozen=True)
class Candidate:
    """One entry of the provider's `nodeInfoList` (`nodeStatus`)."""

    name: str
    memory_free: float  # MemoryFree: the ratio (NaN possible before v0.2.0)
    free_mem: int  # FreeMem bytes (v0.2.0; 0 when maxmem <= mem)
    same_set: int = 0  # SameMachineRequestSetVMs: always 0 from the API (broken HasTag)
    total_vms: int = 0  # TotalVMs: len(GET /nodes/{n}/qemu) when counted


def _desc_ratio(value: float) -> tuple[int, float]:
    """`-cmp.Compare(a, b)` on floats: larger first, NaN (below every number in Go) last."""
    return (1, 0.0) if math.isnan(value) else (0, -value)


Key = Callable[["Candidate"], tuple[Any, ...]]


def order_key(strategy: str, memory: int) -> Key:
    """The sort key for `strategy` (`memory` in bytes only matters to binpack)."""
    if strategy == "fewer-vms":
        return lambda c: (c.total_vms, _desc_ratio(c.memory_free))
    if strategy == "round-robin":
        # Go compares strings bytewise; UTF-8 keeps code point order, so str order is the same.
        return lambda c: (c.same_set, c.name)
    if strategy == "binpack":
        return lambda c: (0, c.free_mem) if c.free_mem >= memory else (1, -c.free_mem)
    return lambda c: (c.same_set, _desc_ratio(c.memory_free))


def order(strategy: str, candidates: Sequence[Candidate], memory: int) -> list[Candidate]:
    """The candidates as the provider sorts them (stable: API order on ties)."""
    key = order_key(strategy, memory)
    return sorted(candidates, key=key)


def tie_at_top(strategy: str, ranked: Sequence[Candidate], memory: int) -> list[str]:
    """The names that tie with the winner on the sort key (the winner first), or []."""
    if len(ranked) < 2:
        return []
    key = order_key(strategy, memory)
    top = key(ranked[0])
    tied = [c.name for c in ranked if key(c) == top]
    return tied if len(tied) > 1 else []


@dataclass
class _SetLoad:
    count: dict[str, int] = field(default_factory=dict)
    memory: dict[str, int] = field(default_factory=dict)


@dataclass
class Ledger:
    """The scheduler's in-flight reservations (one per provider process), summed per set."""

    sets: dict[str, _SetLoad] = field(default_factory=dict)
    requests: dict[str, tuple[str, str, int]] = field(default_factory=dict)

    def apply(self, strategy: str, set_id: str, candidates: Sequence[Candidate]) -> list[Candidate]:
        """`applyReservation` for every reservation of `set_id` on a listed node."""
        load = self.sets.get(set_id)
        if load is None:
            return list(candidates)
        out = []
        for c in candidates:
            count = load.count.get(c.name, 0)
            if not count:
                out.append(c)
            elif strategy == "fewer-vms":
                out.append(replace(c, total_vms=c.total_vms + count))
            elif strategy == "binpack":
                # FreeMem is unsigned: an over-reserved node ranks as full (S:105-112)
                out.append(replace(c, free_mem=max(0, c.free_mem - load.memory.get(c.name, 0))))
            else:
                out.append(replace(c, same_set=c.same_set + count))
        return out

    def record(self, request: str, set_id: str, node: str, memory: int) -> None:
        self.release(request)
        load = self.sets.setdefault(set_id, _SetLoad())
        load.count[node] = load.count.get(node, 0) + 1
        load.memory[node] = load.memory.get(node, 0) + memory
        self.requests[request] = (set_id, node, memory)

    def release(self, request: str) -> None:
        """Deprovision (P:665): the request's reservation goes."""
        old = self.requests.pop(request, None)
        if old is None:
            return
        set_id, node, memory = old
        load = self.sets[set_id]
        load.count[node] -= 1
        load.memory[node] -= memory


def schedule(
    ledger: Ledger,
    candidates: Sequence[Candidate],
    set_id: str,
    request: str,
    memory: int,
    strategy: str,
) -> tuple[Candidate, list[Candidate]]:
    """`scheduler.pick`: apply the set's reservations, order, record the winner."""
    ledger.release(request)  # its own reservation does not count (id == requestID)
    adjusted = ledger.apply(strategy, set_id, candidates)
    ranked = order(strategy, adjusted, memory)
    ledger.record(request, set_id, ranked[0].name, memory)
    return ranked[0], ranked
