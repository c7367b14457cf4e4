"""ct-node-labels: patches set only node labels that Kubernetes NodeRestriction lets a node set.

A Talos node applies `machine.nodeLabels` with its own credentials. The NodeRestriction admission
plugin refuses labels under kubernetes.io/ and k8s.io/ (such as node-role.kubernetes.io/worker)
except a short allowed list (kubernetes.io/hostname, topology.kubernetes.io/zone, ...) and the
kubelet.kubernetes.io/ and node.kubernetes.io/ prefixes: the label never appears and the node may
keep retrying (`is not allowed to modify labels: node-role.kubernetes.io/worker`).

Failing::

    inline:
      machine:
        nodeLabels:
          node-role.kubernetes.io/worker: ""

Passing::

    inline:
      machine:
        nodeLabels:
          topology.kubernetes.io/zone: foxtrot
          node.kubernetes.io/role: worker
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from omni_scale.core.template.model import node_label_forbidden, patch_documents, walk_path
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._ct import patch_target, template_dir

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-node-labels"
SEVERITY = Severity.WARNING
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})

HINT = (
    "nodes may not set this label on themselves; apply it from outside after the node joins "
    "(kubectl label node <node> {key}=...), or use a label nodes may set, e.g. "
    "node.kubernetes.io/<name> or your own prefix (example.com/role)"
)


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    patches = doc.data.get("patches")
    if not isinstance(patches, list):
        return
    for patch in patches:
        if not isinstance(patch, Mapping):
            continue
        for config in patch_documents(patch.get("inline")):
            yield from _labels(doc, config, doc_node=None)
        if patch.get("file") is not None:
            yield from _file_labels(doc, patch)


def _labels(doc: Document, config: Any, *, doc_node: Any, where: str = "") -> Iterator[Problem]:
    found = walk_path(config, ("machine", "nodeLabels"))
    if found is None or not isinstance(found.value, Mapping):
        return
    for key in found.value:
        if node_label_forbidden(str(key)):
            node, at = (found.value, key) if doc_node is None else (doc_node, "file")
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f'node label "{key}"{where} is refused by Kubernetes NodeRestriction: the node '
                "cannot set it on itself",
                hint=HINT.format(key=key),
                node=node,
                key=at,
            )


def _file_labels(doc: Document, patch: Mapping[str, Any]) -> Iterator[Problem]:
    from omni_scale.lint.document import read_source

    base = template_dir(doc)
    target = patch_target(doc, str(patch["file"]))
    if not target.is_relative_to(base) or not target.is_file():
        return  # ct-patch reports it
    source = read_source(target)  # parsed once per run, shared with ct-patch-content
    if source.error is not None:
        return
    for config in source.documents:
        yield from _labels(doc, config.data, doc_node=patch, where=f" (in {patch['file']})")
