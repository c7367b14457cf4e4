"""ct-incomplete-version: Kubernetes and Talos versions are full MAJOR.MINOR.PATCH releases.

omnictl's check is tolerant (`v1.35` passes), but Omni needs an exact release it knows, so an
incomplete version fails later at sync (`invalid kubernetes version`) or picks nothing.

Failing::

    kubernetes:
      version: v1.35

Passing::

    kubernetes:
      version: v1.35.0
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.core.template.model import is_incomplete_version
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-incomplete-version"
SEVERITY = Severity.WARNING
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    data = doc.data
    if data.get("kind") != "Cluster":
        return
    for section, title in (("kubernetes", "Kubernetes"), ("talos", "Talos")):
        block = data.get(section)
        if not isinstance(block, Mapping) or block.get("version") is None:
            continue
        value = str(block["version"])
        if not is_incomplete_version(value):
            continue
        parts = value.lstrip("v").split(".")
        example = "v" + ".".join(parts + ["0"] * (3 - len(parts)))
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f"{title} version {value} is not a full release (MAJOR.MINOR.PATCH)",
            hint=f"Omni needs an exact release, e.g. {example} (see `omnictl get talosversions`)",
            node=block,
            key="version",
        )
