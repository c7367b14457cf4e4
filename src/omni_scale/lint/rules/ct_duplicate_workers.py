"""ct-duplicate-workers: unique Workers names (`duplicate workers with name ""`), unnamed vs
`workers`, a machine in two sets

Every Workers set in a template has its own name.

Omni derives each machine set's ID from the Workers name (`<cluster>-<name>`, unnamed =
`<cluster>-workers`). Two unnamed sets fail with `duplicate workers with name ""`; an unnamed set
next to one named `workers` collides at sync (`resource ID duplicate MachineSets...`). A machine
UUID may be in one set only.

Failing::

    kind: Workers
    machineClass: {name: worker-foxtrot, size: 1}
    ---
    kind: Workers            # no name: collides with the first
    machineClass: {name: worker-golf, size: 1}

Passing::

    kind: Workers
    name: worker-foxtrot
    machineClass: {name: worker-foxtrot, size: 1}
    ---
    kind: Workers
    name: worker-golf
    machineClass: {name: worker-golf, size: 1}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.core.template.model import machine_set_id, workers_name
from omni_scale.lint.document import Document, Kind, SourceFile
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._ct import template_files

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-duplicate-workers"
SEVERITY = Severity.ERROR
SCOPE = "project"
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})  # it looks only at files holding a template


def check_project(files: list[SourceFile], ctx: LintContext) -> Iterator[Problem]:
    for template in template_files(files):
        seen_names: dict[str, Document] = {}
        seen_ids: dict[str, str] = {}
        for doc in template.of_kind("Workers"):
            name = workers_name(doc.data)
            key = "name" if "name" in doc.data else "kind"
            if name in seen_names:
                yield make_problem(
                    ID,
                    SEVERITY,
                    doc,
                    f'duplicate workers with name "{name}"',
                    hint="give every Workers document its own `name:` (e.g. worker-<node>); an "
                    "unnamed set is the default set `workers`",
                    node=doc.data,
                    key=key,
                )
                continue
            seen_names[name] = doc
            set_id = machine_set_id(template.cluster_name or "<cluster>", "Workers", name)
            if set_id in seen_ids:
                yield make_problem(
                    ID,
                    SEVERITY,
                    doc,
                    f'Workers "{name}" and Workers "{seen_ids[set_id]}" both become machine set '
                    f"{set_id}",
                    hint="an unnamed Workers set is named `workers`: rename one of them",
                    node=doc.data,
                    key=key,
                )
            seen_ids[set_id] = name
        yield from _machines_in_several_sets(template.docs)


def _machines_in_several_sets(docs: list[Document]) -> Iterator[Problem]:
    owner: dict[str, str] = {}
    for doc in docs:
        kind = str(doc.data.get("kind"))
        if kind not in ("ControlPlane", "Workers"):
            continue
        machines = doc.data.get("machines")
        if not isinstance(machines, list):
            continue
        label = "controlplane" if kind == "ControlPlane" else f'workers "{workers_name(doc.data)}"'
        for index, machine in enumerate(machines):
            uuid = str(machine)
            if uuid in owner and owner[uuid] != label:
                yield make_problem(
                    ID,
                    SEVERITY,
                    doc,
                    f'machine "{uuid}" is used in {owner[uuid]} and {label}',
                    hint="a machine belongs to one machine set only",
                    node=machines,
                    key=index,
                )
            owner.setdefault(uuid, label)
