"""mc-duplicate-id: the same `metadata.id` in two linted files or documents: applying one silently
replaces the other

Two files define the same machine class id.

`omnictl apply` of the second file silently replaces the first class (same
`MachineClasses.omni.sidero.dev/<id>`), so future VMs get the other file's settings.

Failing::

    # machine-classes/worker.yaml        and   machine-classes/test/worker.yaml
    metadata: {id: worker, ...}                metadata: {id: worker, ...}

Passing::

    metadata: {id: worker, ...}                metadata: {id: test-worker, ...}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document, Kind, SourceFile
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-duplicate-id"
SEVERITY = Severity.ERROR
SCOPE = "project"
KINDS = frozenset({Kind.MACHINE_CLASS})


def check_project(files: list[SourceFile], ctx: LintContext) -> Iterator[Problem]:
    seen: dict[str, list[Document]] = {}
    for source in files:
        for doc in source.documents:
            if doc.kind is not Kind.MACHINE_CLASS or not isinstance(doc.data, Mapping):
                continue
            metadata = doc.data.get("metadata")
            if isinstance(metadata, Mapping) and metadata.get("id"):
                seen.setdefault(str(metadata["id"]), []).append(doc)
    for class_id, docs in seen.items():
        if len(docs) < 2:
            continue
        for doc in docs:
            others = [
                f"{other.path}" + (f" (document {other.index + 1})" if other.index else "")
                for other in docs
                if other is not doc
            ]
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f"machine class id '{class_id}' is also defined in {', '.join(others)}: "
                "applying one silently replaces the other",
                hint="give each class its own metadata.id (e.g. prefix test classes with 'test-')",
                node=doc.data["metadata"],
                key="id",
            )
