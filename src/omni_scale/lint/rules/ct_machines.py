"""ct-machines: `kind: Machine` documents name a UUID listed in the ControlPlane or a Workers set;
control-plane machines not locked

`kind: Machine` documents name a UUID used by the ControlPlane or a Workers set.

omnictl: `name is required for machine`, `invalid machine ID`, `machine "<id>" is not used in
controlplane or workers`, `machine "<id>" is locked and used in controlplane`.

Failing::

    kind: ControlPlane
    machines: [430d882a-51a8-48b3-ae00-90c5b0b5b0b0]
    ---
    kind: Machine
    name: 430d882a-51a8-48b3-ae00-90c5b0b5b0b0
    locked: true                     # a control plane cannot be locked

Passing::

    kind: Workers
    machines: [430d882a-51a8-48b3-ae00-90c5b0b5b0b0]
    ---
    kind: Machine
    name: 430d882a-51a8-48b3-ae00-90c5b0b5b0b0
    locked: true
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.core.template.model import UUID_RE
from omni_scale.lint.document import Kind, SourceFile
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._ct import template_files

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-machines"
SEVERITY = Severity.ERROR
SCOPE = "project"
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})  # it looks only at files holding a template


def check_project(files: list[SourceFile], ctx: LintContext) -> Iterator[Problem]:
    for template in template_files(files):
        machines = template.of_kind("Machine")
        if not machines or len(machines) == len(template.docs):
            continue  # no Machine documents, or a Machine-only fragment (ct-structure)
        control: set[str] = set()
        workers: set[str] = set()
        for doc in template.docs:
            listed = doc.data.get("machines")
            if isinstance(listed, list):
                target = control if doc.data.get("kind") == "ControlPlane" else workers
                target.update(str(m) for m in listed)
        for doc in machines:
            name = doc.data.get("name")
            if name is None or str(name) == "":
                yield make_problem(
                    ID,
                    SEVERITY,
                    doc,
                    "machine is invalid: name is required for machine",
                    hint="`name:` is the machine's UUID (omnictl get machines)",
                    node=doc.data,
                    key="kind",
                )
                continue
            uuid = str(name)
            if not UUID_RE.match(uuid):
                yield make_problem(
                    ID,
                    SEVERITY,
                    doc,
                    f'machine "{uuid}" is invalid: invalid machine ID: not a UUID',
                    hint="`name:` is the machine's UUID (omnictl get machines)",
                    node=doc.data,
                    key="name",
                )
            elif uuid not in control and uuid not in workers:
                yield make_problem(
                    ID,
                    SEVERITY,
                    doc,
                    f'machine "{uuid}" is not used in controlplane or workers',
                    hint="list the UUID under `machines:` of the ControlPlane or a Workers set",
                    node=doc.data,
                    key="name",
                )
            elif uuid in control and doc.data.get("locked") is True:
                yield make_problem(
                    ID,
                    SEVERITY,
                    doc,
                    f'machine "{uuid}" is locked and used in controlplane',
                    hint="only worker machines can be locked",
                    node=doc.data,
                    key="locked",
                )
