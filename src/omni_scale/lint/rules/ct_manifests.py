"""ct-manifests: Kubernetes manifests named, unique, `mode: one-time` or `full`, one of
`file`/`inline`

Kubernetes manifests of the Cluster document are named, moded and unique.

omnictl: `kubernetes manifest name is empty`, `kubernetes manifest "<n>" mode is not set`,
`unknown mode name "<m>"` (one-time or full), `duplicate manifest name "<n>"`, and exactly one of
`file:` or `inline:`.

Failing::

    kubernetes:
      version: v1.34.2
      manifests:
        - name: cilium
          file: manifests/cilium.yaml       # no mode

Passing::

    kubernetes:
      version: v1.34.2
      manifests:
        - name: cilium
          mode: one-time
          file: manifests/cilium.yaml
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-manifests"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})

MODES = ("one-time", "full")


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    if doc.data.get("kind") != "Cluster":
        return
    kubernetes = doc.data.get("kubernetes")
    manifests = kubernetes.get("manifests") if isinstance(kubernetes, Mapping) else None
    if not isinstance(manifests, list):
        return
    seen: set[str] = set()
    for index, manifest in enumerate(manifests):
        if not isinstance(manifest, Mapping):
            yield make_problem(
                ID, SEVERITY, doc, "a manifest must be a mapping", node=manifests, key=index
            )
            continue
        name = str(manifest.get("name") or manifest.get("file") or "")  # omnictl: name or file
        if not name:
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                "kubernetes manifest name is empty",
                hint="add `name: <manifest>`",
                node=manifests,
                key=index,
            )
        elif name in seen:
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f'duplicate manifest name "{name}"',
                hint="give every manifest its own name",
                node=manifest,
                key="name",
            )
        seen.add(name)
        mode = manifest.get("mode")
        if mode is None or str(mode) == "":
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f'kubernetes manifest "{name}" mode is not set',
                hint="`mode: one-time` (applied once) or `mode: full` (kept in sync)",
                node=manifests,
                key=index,
            )
        elif str(mode) not in MODES:
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f'unknown mode name "{mode}"',
                hint="mode is one-time or full",
                node=manifest,
                key="mode",
            )
        if ("file" in manifest) == ("inline" in manifest):
            both = "file" in manifest
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f'kubernetes manifest "{name}": '
                + (
                    "path and inline are mutually exclusive"
                    if both
                    else "path or inline is required"
                ),
                hint="give either `file: <path>` or `inline: [...]`",
                node=manifests,
                key=index,
            )
