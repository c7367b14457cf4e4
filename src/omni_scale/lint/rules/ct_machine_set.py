"""ct-machine-set: ControlPlane and Workers documents pass omnictl's machine-set checks.

ControlPlane: no custom `name`, no `updateStrategy`/`deleteStrategy` (use `upgradeStrategy`),
`bootstrapSpec` needs `clusterUUID` and `snapshot`. Workers: not named `control-planes`, no
`bootstrapSpec`. Both: not `machines` and `machineClass` together, no `kernelArgs` with a machine
class, a `machineClass` needs a `name` and a valid `size`, machine IDs are UUIDs, strategy type
is Rolling or Unset.

Failing::

    kind: ControlPlane
    name: cp
    machineClass:
      name: control-plane
      size: three

Passing::

    kind: ControlPlane
    machineClass:
      name: control-plane
      size: 3
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from omni_scale.core.template.model import UUID_RE, parse_size
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-machine-set"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})

STRATEGY_TYPES = ("Rolling", "Unset")


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    data = doc.data
    kind = data.get("kind")
    if kind not in ("ControlPlane", "Workers"):
        return

    def problem(message: str, key: Any, hint: str | None = None, node: Any = None) -> Problem:
        prefix = "controlplane is invalid" if kind == "ControlPlane" else "workers is invalid"
        return make_problem(
            ID, SEVERITY, doc, f"{prefix}: {message}", hint=hint, node=node or data, key=key
        )

    if kind == "ControlPlane":
        if "name" in data:
            yield problem(
                "custom name is not allowed in the controlplane",
                "name",
                "remove `name:`; the control-plane set is always `<cluster>-control-planes`",
            )
        for key in ("updateStrategy", "deleteStrategy"):
            if key in data:
                yield problem(
                    f"{key} is not allowed in the controlplane",
                    key,
                    "control planes are replaced one at a time; use `upgradeStrategy` if needed",
                )
        spec = data.get("bootstrapSpec")
        if isinstance(spec, Mapping):
            for key in ("clusterUUID", "snapshot"):
                if not spec.get(key):
                    yield problem(
                        f"{key} is required in bootstrapSpec",
                        "bootstrapSpec",
                        "bootstrapSpec restores an etcd backup: give both clusterUUID and snapshot",
                    )
    else:
        if str(data.get("name")) == "control-planes":
            yield problem(
                'name "control-planes" cannot be used in workers', "name", "pick another name"
            )
        if "bootstrapSpec" in data:
            yield problem(
                "bootstrapSpec is not allowed in workers",
                "bootstrapSpec",
                "bootstrapSpec belongs in the ControlPlane document",
            )
    machine_class = data.get("machineClass")
    machines = data.get("machines")
    if machine_class is not None and machines is not None:
        yield problem(
            "machine set can not have both machines and machine class defined",
            "machines",
            "use either a list of machine UUIDs or a machineClass",
        )
    if machine_class is not None:
        yield from _machine_class(doc, data, machine_class, problem)
        if "kernelArgs" in data:
            yield problem(
                "kernelArgs cannot be defined for machine set since it uses machine class",
                "kernelArgs",
                "set kernel args in the MachineClass (spec.autoprovision.kernelargs)",
            )
    if isinstance(machines, list):
        for index, machine in enumerate(machines):
            if not UUID_RE.match(str(machine)):
                yield problem(
                    f'invalid machine ID "{machine}": not a UUID',
                    index,
                    "machines are listed by their UUID (omnictl get machines)",
                    node=machines,
                )
    for key in ("updateStrategy", "deleteStrategy", "upgradeStrategy"):
        strategy = data.get(key)
        if (
            isinstance(strategy, Mapping)
            and "type" in strategy
            and str(strategy["type"]) not in STRATEGY_TYPES
        ):
            yield problem(
                f"invalid update strategy type {strategy['type']}",
                "type",
                "type is Rolling or Unset",
                node=strategy,
            )


def _machine_class(doc: Document, data: Any, machine_class: Any, problem: Any) -> Iterator[Problem]:
    if not isinstance(machine_class, Mapping):
        yield problem(
            "machineClass must be a mapping with name and size",
            "machineClass",
            f"write `machineClass: {{name: {machine_class}, size: 1}}`",
        )
        return
    if not machine_class.get("name"):
        yield problem(
            "machine allocation source name is not set",
            "machineClass",
            "set machineClass.name to a MachineClass id (machine-classes/*.yaml)",
        )
    if parse_size(machine_class.get("size")) is None:
        yield problem(
            f"invalid machine count {machine_class.get('size')}",
            "size",
            "size is a number of machines (0 or more), or `unlimited` for manual classes",
            node=machine_class,
        )
