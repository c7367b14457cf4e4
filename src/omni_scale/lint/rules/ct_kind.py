"""ct-kind: a template document's `kind` is exactly Cluster, ControlPlane, Workers or Machine.

Kinds are case-sensitive: omnictl rejects `kind: cluster` with `unknown model kind "cluster"`.

Failing::

    kind: controlplane

Passing::

    kind: ControlPlane
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.core.template.schema import TEMPLATE_KINDS
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-kind"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    kind = str(doc.data.get("kind"))
    if kind in TEMPLATE_KINDS:
        return
    right = next((k for k in TEMPLATE_KINDS if k.lower() == kind.lower()), None)
    yield make_problem(
        ID,
        SEVERITY,
        doc,
        f'unknown model kind "{kind}"',
        hint=f"kinds are case-sensitive: write `kind: {right}`" if right else None,
        node=doc.data,
        key="kind",
    )
