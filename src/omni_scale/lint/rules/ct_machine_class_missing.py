"""ct-machine-class-missing: `machineClass.name` is a class in `machine-classes/` (when the folder
exists)

A machineClass name must be a class in the project's machine-classes/.

Omni refuses the sync with `machine class with name "<x>" doesn't exist`. Checked only when the
project has a machine-classes/ folder (classes may live elsewhere otherwise).

Failing (machine-classes/ defines only `worker`)::

    kind: Workers
    machineClass:
      name: wokrer
      size: 2

Passing::

    kind: Workers
    machineClass:
      name: worker
      size: 2
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-machine-class-missing"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    known = ctx.machine_class_ids
    if known is None or doc.data.get("kind") not in ("ControlPlane", "Workers"):
        return
    machine_class = doc.data.get("machineClass")
    if not isinstance(machine_class, Mapping) or not machine_class.get("name"):
        return
    name = str(machine_class["name"])
    if name in known:
        return
    close = difflib.get_close_matches(name, sorted(known), n=1)
    if close:
        hint = f"did you mean {close[0]}?"
    elif known:
        hint = f"classes in machine-classes/: {', '.join(sorted(known))}"
    else:
        hint = "machine-classes/ has no classes: omni-scale machineclass create " + name
    yield make_problem(
        ID,
        SEVERITY,
        doc,
        f'machine class with name "{name}" does not exist in machine-classes/',
        hint=hint,
        node=machine_class,
        key="name",
    )
