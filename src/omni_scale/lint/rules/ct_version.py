"""ct-version: the Cluster has Kubernetes and Talos versions in the form omnictl accepts.

omnictl: `version is required`, `version should be in semver format`, and for Talos
`version should start with 'v'`.

Failing::

    kind: Cluster
    name: talos
    kubernetes:
      version: v1.34.2
    talos:
      version: 1.12.0          # needs the v prefix

Passing::

    kind: Cluster
    name: talos
    kubernetes:
      version: v1.34.2
    talos:
      version: v1.12.0
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.core.template.model import version_problem
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-version"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})

EXAMPLES = {"kubernetes": "v1.34.2", "talos": "v1.12.0"}


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    data = doc.data
    if data.get("kind") != "Cluster":
        return
    for section, title in (("kubernetes", "Kubernetes"), ("talos", "Talos")):
        block = data.get(section)
        value = block.get("version") if isinstance(block, Mapping) else None
        problem = version_problem(value, need_v=section == "talos")
        if problem is None:
            continue
        if isinstance(block, Mapping) and "version" in block:
            node, key = block, "version"
        else:
            node, key = data, section if section in data else "kind"
        hint = f"write `{section}: {{version: {EXAMPLES[section]}}}`"
        if problem.endswith("start with 'v'"):
            hint = f"write v{value}"
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f"error validating {title} version: {problem}",
            hint=hint,
            node=node,
            key=key,
        )
