"""mc-metadata-namespace: MachineClasses live in the namespace `default`.

Without it (or with another namespace) omnictl cannot place the resource: Omni registers
MachineClasses.omni.sidero.dev in `default` only.

Failing::

    metadata:
      type: MachineClasses.omni.sidero.dev
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

from omni_scale.core.machineclass.model import NAMESPACE
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import metadata_of

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-metadata-namespace"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    metadata = metadata_of(doc)
    if metadata is None:
        return
    value = metadata.get("namespace")
    if value is None:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            "metadata.namespace is missing: this is a fragment, not a resource omnictl can apply",
            hint=f"add 'namespace: {NAMESPACE}' under metadata",
            node=doc.data,
            key="metadata",
        )
    elif str(value) != NAMESPACE:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f"metadata.namespace is '{value}', but MachineClasses live in '{NAMESPACE}'",
            hint=f"write 'namespace: {NAMESPACE}'",
            node=metadata,
            key="namespace",
        )
