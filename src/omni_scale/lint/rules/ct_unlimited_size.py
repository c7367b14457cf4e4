"""ct-unlimited-size: `size: unlimited` only works with manual (matchlabels) machine classes.

Omni: `machine class "<x>" is using autoprovision, so unlimited machine set allocation is not
supported`. Proxmox classes are autoprovision classes, so give a number. An error when the class
is in machine-classes/ and autoprovisions; a warning when the class is not found there.

Failing::

    kind: Workers
    machineClass:
      name: proxmox-worker     # autoprovision class
      size: unlimited

Passing::

    kind: Workers
    machineClass:
      name: proxmox-worker
      size: 3
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.core.template.model import is_unlimited
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._ct import machine_class_kinds

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-unlimited-size"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    if doc.data.get("kind") not in ("ControlPlane", "Workers"):
        return
    machine_class = doc.data.get("machineClass")
    if not isinstance(machine_class, Mapping) or not is_unlimited(machine_class.get("size")):
        return
    name = str(machine_class.get("name") or "")
    kinds = machine_class_kinds(ctx) or {}
    kind = kinds.get(name)
    if kind == "matchlabels":
        return
    hint = "give a number of machines (size: 3); unlimited needs a manual (matchlabels) class"
    if kind == "autoprovision":
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f'machine class "{name}" is using autoprovision, so unlimited machine set '
            "allocation is not supported",
            hint=hint,
            node=machine_class,
            key="size",
        )
    else:
        yield make_problem(
            ID,
            Severity.WARNING,
            doc,
            f'size: unlimited is rejected if machine class "{name}" autoprovisions (Proxmox '
            "classes do)",
            hint=hint,
            node=machine_class,
            key="size",
        )
