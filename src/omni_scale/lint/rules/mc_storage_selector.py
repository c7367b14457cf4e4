"""mc-storage-selector: every storage selector must compile in the provider's CEL environment.

The provider compiles `storage_selector` (and each `additional_disks[].storage_selector`) only
when it creates a VM, so a bad selector surfaces as a machine request stuck in provisioning. The
environment has exactly `name`, `node`, `storageType` (strings) and `availableSpace` (uint), and
the result must be a bool. Messages are cel-go's, positioned at the selector in this file.

Failing::

    providerdata: |
      storage_selector: type == "rbd"

Passing::

    providerdata: |
      storage_selector: storageType == "rbd"
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import ProviderDataInfo, is_proxmox_class, providerdata_mapping

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-storage-selector"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})


def _selectors(node: Mapping[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(label, container, key) of each selector string."""
    if isinstance(node.get("storage_selector"), str):
        yield "storage_selector", node, "storage_selector"
    disks = node.get("additional_disks")
    if isinstance(disks, list):
        for index, disk in enumerate(disks):
            if isinstance(disk, Mapping) and isinstance(disk.get("storage_selector"), str):
                yield f"additional_disks[{index}].storage_selector", disk, "storage_selector"


def _where(
    info: ProviderDataInfo, container: Any, key: Any, line: int, column: int
) -> tuple[int, int]:
    start = info.value_position(container, key)
    if start is None:
        return info.key_position()
    file_line, file_column, quoted = start
    if line <= 1:
        return file_line, file_column + (1 if quoted else 0) + column - 1
    return file_line + line - 1, column


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    if not is_proxmox_class(doc, ctx):
        return  # another provider's class: its own schema applies, not Proxmox's
    from omni_scale.core.selector.evaluate import selector_problem

    found = providerdata_mapping(doc)
    if found is None:
        return
    info, node = found
    for label, container, key in _selectors(node):
        problem = selector_problem(str(container[key]))
        if problem is None:
            continue
        first = problem.message.splitlines()[0] if problem.message else problem.summary
        line, column = _where(info, container, key, problem.line, problem.column)
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f"{label} does not compile in the provider: {first}",
            hint=problem.hint or "use the variables name, node, storageType and availableSpace",
            line=line,
            column=column,
        )
