"""ct-structure: exactly one Cluster and one ControlPlane (explains that control planes cannot be
pinned per node); files of only `kind: Machine`; documents without a `kind`

A template has exactly one Cluster and one ControlPlane document.

omnictl: `template should contain 1 cluster, got N` / `template should contain 1 controlplane,
got N`. Omni allows one ControlPlane per cluster, so control planes cannot be pinned to Proxmox
nodes with several classes (siderolabs/omni#1793); only Workers sets can. A file of only
`kind: Machine` documents is a fragment, not a template.

Failing::

    kind: ControlPlane
    machineClass: {name: cp-foxtrot, size: 1}
    ---
    kind: ControlPlane       # a second control plane
    machineClass: {name: cp-golf, size: 1}

Passing::

    kind: Cluster
    name: talos
    kubernetes: {version: v1.34.2}
    talos: {version: v1.12.0}
    ---
    kind: ControlPlane
    machineClass: {name: control-plane, size: 3}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.lint.document import Kind, SourceFile
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._ct import template_files

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-structure"
SEVERITY = Severity.ERROR
SCOPE = "project"
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})  # it looks only at files holding a template

PIN_HINT = (
    "Omni allows exactly one ControlPlane per cluster, so control planes cannot be pinned per "
    "Proxmox node (siderolabs/omni#1793); keep one ControlPlane with one machine class and "
    "size 1 or 3, and pin workers instead with several uniquely named Workers sets"
)


def check_project(files: list[SourceFile], ctx: LintContext) -> Iterator[Problem]:
    for template in template_files(files):
        docs = template.docs
        first = docs[0]
        for doc in template.source.documents:
            if doc.kind is not Kind.CLUSTER_TEMPLATE and doc.kind is not Kind.EMPTY:
                has_kind = isinstance(doc.data, Mapping) and "kind" in doc.data
                yield make_problem(
                    ID,
                    SEVERITY,
                    doc,
                    f'unknown model kind "{doc.data.get("kind")}"'
                    if has_kind
                    else "kind field not found",
                    hint="every document of a template starts with `kind: Cluster`, "
                    "`ControlPlane`, `Workers` or `Machine`",
                    node=doc.data,
                    key="kind" if has_kind else None,
                )
        kinds = {str(d.data.get("kind")) for d in docs}
        if kinds == {"Machine"}:
            yield make_problem(
                ID,
                SEVERITY,
                first,
                "this file has only Machine documents: a fragment, not a cluster template",
                hint="put Machine documents in the template of their cluster (with its Cluster, "
                "ControlPlane and Workers documents)",
                node=first.data,
                key="kind",
            )
            continue
        clusters = template.of_kind("Cluster")
        if len(clusters) != 1:
            where = clusters[1] if len(clusters) > 1 else first
            yield make_problem(
                ID,
                SEVERITY,
                where,
                f"template should contain 1 cluster, got {len(clusters)}",
                hint="start the file with one `kind: Cluster` document (name, kubernetes.version, "
                "talos.version)"
                if not clusters
                else "one template file describes one cluster; split it into one file a cluster",
                node=where.data,
                key="kind",
            )
        planes = template.of_kind("ControlPlane")
        if len(planes) != 1:
            where = planes[1] if len(planes) > 1 else first
            yield make_problem(
                ID,
                SEVERITY,
                where,
                f"template should contain 1 controlplane, got {len(planes)}",
                hint=PIN_HINT
                if planes
                else "add a `kind: ControlPlane` document with `machineClass: {name: <class>, "
                "size: 1}` (or 3 for high availability)",
                node=where.data,
                key="kind",
            )
