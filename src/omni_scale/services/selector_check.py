"""`selector check`: compile a CEL storage selector as the provider does and, given a node's
storages (a `pvesh` storage list or a snapshot), replay the provider's pick."""

from __future__ import annotations

from omni_scale.core.selector.evaluate import (
    Pick,
    SelectorProblem,
    Storage,
    pick_storage,
    selector_problem,
)
from omni_scale.core.selector.storages import storages_from_json, storages_of_node
from omni_scale.errors import InputError
from omni_scale.record import Record
from omni_scale.textio import load_json, read_text_file

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~1x a bare start
if TYPE_CHECKING:
    from pathlib import Path


class SelectorCheck(Record):
    """What `check_selector` found (a Record: no dataclasses on this path; omni_scale.record)."""

    __slots__ = ("expr", "node", "pick", "problem", "storages")
    expr: str
    node: str
    problem: SelectorProblem | None
    storages: list[Storage] | None
    pick: Pick | None

    def __init__(
        self,
        expr: str,
        node: str,
        problem: SelectorProblem | None,
        storages: list[Storage] | None,
        pick: Pick | None,
    ) -> None:
        self._init(expr=expr, node=node, problem=problem, storages=storages, pick=pick)


def check_selector(
    expr: str,
    storages_file: Path | None,
    snapshot_file: Path | None,
    node: str | None,
    default_node: str,
) -> SelectorCheck:
    """`default_node`: the node a storages file (or no storages) is evaluated on."""
    if storages_file is not None and snapshot_file is not None:
        raise InputError(
            "use either --storages or --snapshot, not both",
            hint="--storages FILE, or --snapshot FILE --node N",
        )
    storages, node = load_storages(storages_file, snapshot_file, node, default_node)
    problem = selector_problem(expr)
    pick = None if problem is not None or storages is None else pick_storage(expr, storages, node)
    return SelectorCheck(expr, node, problem, storages, pick)


def load_storages(
    storages_file: Path | None, snapshot_file: Path | None, node: str | None, default_node: str
) -> tuple[list[Storage] | None, str]:
    """(the storages of the node, the node): from a storages file, a snapshot, or none."""
    if storages_file is not None:
        text = read_text_file(storages_file, what="storages file")
        data = load_json(
            text,
            path=storages_file,
            what="storages file",
            hint="save the output of `pvesh get /nodes/NODE/storage --output-format json`",
        )
        return storages_from_json(data, path=str(storages_file)), node or default_node
    if snapshot_file is None:
        return None, node or default_node
    # here, not at the top: `selector check EXPR` alone starts without the snapshot model
    from omni_scale.services.snapshot_file import load_snapshot

    snapshot = load_snapshot(snapshot_file)
    if node is None:
        names = [n.node for n in snapshot.nodes]
        if len(names) != 1:
            raise InputError(
                f"--snapshot needs --node: the snapshot has {len(names)} nodes "
                f"({', '.join(names) or 'none'})",
                path=snapshot_file,
                hint="add --node NAME (the provider evaluates one node's storages)",
            )
        node = names[0]
    try:
        return storages_of_node(snapshot.nodes, node), node
    except InputError as exc:
        exc.path = str(snapshot_file)
        raise
