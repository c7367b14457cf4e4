"""mc-metadata-id: `id` missing or empty, over 1024 bytes, control characters; `name:` instead of
`id:` (omnictl ignores `name`)

Metadata.id names the class; `name:` is silently ignored by omnictl.

Omni refuses an empty id (`resource ID must not be empty`), ids over 1024 bytes and ids with
control characters. Cluster templates refer to the class by this id (`machineClass.name`).

Failing::

    metadata:
      namespace: default
      type: MachineClasses.omni.sidero.dev
      name: worker

Passing::

    metadata:
      namespace: default
      type: MachineClasses.omni.sidero.dev
      id: worker
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import metadata_of

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-metadata-id"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})
MAX_ID_BYTES = 1024


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    metadata = metadata_of(doc)
    if metadata is None:
        return
    value = metadata.get("id")
    if value is None and "name" in metadata:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            "metadata.name is ignored by omnictl (it does not become the id), so the class "
            "has no id",
            hint=f"rename 'name:' to 'id:' (id: {metadata['name']})",
            node=metadata,
            key="name",
        )
        return
    if value is None or str(value).strip() == "":
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            "metadata.id is missing or empty: Omni rejects it with 'resource ID must not be empty'",
            hint="add 'id: NAME' under metadata (the name cluster templates use)",
            node=metadata if "id" in metadata else doc.data,
            key="id" if "id" in metadata else "metadata",
        )
        return
    text = str(value)
    size = len(text.encode("utf-8"))
    if size > MAX_ID_BYTES:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f"resource ID is too long: {size} bytes (max {MAX_ID_BYTES})",
            hint="use a short DNS-style name",
            node=metadata,
            key="id",
        )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            "resource ID must not contain control characters",
            hint="use lowercase letters, digits and '-'",
            node=metadata,
            key="id",
        )
    if text != text.strip():
        yield make_problem(
            ID,
            Severity.WARNING,
            doc,
            f"metadata.id {text!r} has leading or trailing spaces",
            hint="remove the spaces (and quote nothing)",
            node=metadata,
            key="id",
        )
