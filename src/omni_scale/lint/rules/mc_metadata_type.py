"""mc-metadata-type: metadata.type must be exactly `MachineClasses.omni.sidero.dev`.

`omnictl apply` accepts no alias here (`machineclass`, `MachineClass`, other case): it fails
with `no resource is registered for the resource type <x>`; without a type the file is only a
fragment.

Failing::

    metadata:
      namespace: default
      type: MachineClass
      id: worker

Passing::

    metadata:
      namespace: default
      type: MachineClasses.omni.sidero.dev
      id: worker
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.core.machineclass.model import MACHINE_CLASS_TYPE
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import metadata_of

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-metadata-type"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})
HINT = f"write 'type: {MACHINE_CLASS_TYPE}' under metadata"


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    metadata = metadata_of(doc)
    if metadata is None:
        if "metadata" not in doc.data:
            yield make_problem(
                ID, SEVERITY, doc, "metadata is missing (namespace, type and id)", hint=HINT
            )
        return
    value = metadata.get("type")
    if value is None:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            "metadata.type is missing: omnictl cannot tell which resource this is",
            hint=HINT,
            node=doc.data,
            key="metadata",
        )
    elif str(value) != MACHINE_CLASS_TYPE:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f"omnictl apply fails with 'no resource is registered for the resource type "
            f"{value}': the type must be exactly {MACHINE_CLASS_TYPE}",
            hint=HINT,
            node=metadata,
            key="type",
        )
