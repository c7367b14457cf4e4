"""ct-unknown-field: every key of a template document must be one omnictl knows (strict).

omnictl decodes templates with KnownFields(true): an unknown or misspelled key fails the whole
template with `field <key> not found in type models.<Type>`. A single document with nested
`controlPlane:`/`workers:` maps (an old or invented format) fails the same way.

Failing::

    kind: Cluster
    name: talos
    controlPlane:            # field controlPlane not found in type models.Cluster
      machineClass: control-plane

Passing::

    kind: Cluster
    name: talos
    ---
    kind: ControlPlane
    machineClass:
      name: control-plane
      size: 3
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from omni_scale.core.template.schema import MODELS, Field
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-unknown-field"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})

NESTED_SETS = {"controlPlane", "controlplane", "workers", "worker", "controlPlanes"}
CONVERSION_HINT = (
    "a template is several YAML documents separated by `---`: `kind: Cluster` (name, "
    "kubernetes, talos, patches), then `kind: ControlPlane` with `machineClass: {name: <class>, "
    "size: <count>}`, then `kind: Workers` the same way (omni-scale cluster create writes one)"
)
SIMILAR = {
    "controlplane": "ControlPlane document",
    "machineclass": "machineClass",
    "systemextensions": "systemExtensions",
    "kernelargs": "kernelArgs",
    "bootstrapspec": "bootstrapSpec",
    "updatestrategy": "updateStrategy",
    "deletestrategy": "deleteStrategy",
    "upgradestrategy": "upgradeStrategy",
    "idoverride": "idOverride",
    "clusteruuid": "clusterUUID",
    "maxparallelism": "maxParallelism",
    "diskencryption": "diskEncryption",
    "count": "size",
    "replicas": "size",
}


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    kind = doc.data.get("kind")
    if not isinstance(kind, str) or kind not in MODELS:
        return  # ct-kind reports it
    yield from _check_node(doc, doc.data, kind, is_root=True)


def _check_node(
    doc: Document, node: Any, model: str, *, is_root: bool = False
) -> Iterator[Problem]:
    fields = MODELS[model]
    if not isinstance(node, Mapping):
        return
    for key, value in node.items():
        name = str(key)
        if name not in fields:
            yield _unknown(doc, node, key, model, is_root=is_root)
            continue
        nested: Field = fields[name]
        if isinstance(nested, tuple):
            if isinstance(value, list):
                for item in value:
                    yield from _check_node(doc, item, nested[1])
        elif nested is not None:
            yield from _check_node(doc, value, nested)


def _unknown(doc: Document, node: Any, key: Any, model: str, *, is_root: bool) -> Problem:
    name = str(key)
    message = f"field {name} not found in type models.{model}"
    if is_root and model == "Cluster" and name in NESTED_SETS:
        hint = CONVERSION_HINT
    elif name.lower() in SIMILAR and SIMILAR[name.lower()] != name:
        hint = f"did you mean `{SIMILAR[name.lower()]}`? keys are case-sensitive"
    else:
        known = ", ".join(k for k in MODELS[model] if k != "kind")
        hint = f"known fields of {model}: {known}"
    return make_problem(ID, SEVERITY, doc, message, hint=hint, node=node, key=key)
