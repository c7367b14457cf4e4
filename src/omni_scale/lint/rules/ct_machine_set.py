"""ct-machine-set: ControlPlane and Workers documents pass omnictl's machine-set checks.

ControlPlane: no custom `name`, no `updateStrategy`/`deleteStrategy` (use `upgradeStrategy`),
`bootstrapSpec` needs `clusterUUID` and `snapshot`. Workers: not named `control-planes`, no
`bootstrapSpec`. Both: not `machines` and `machineClass` together, no `kernelArgs` with a machine
class (neither the set's nor, at render/sync, the Cluster's), a `machineClass` needs a `name`
and a valid `size`, machine IDs are UUIDs, strategy type is Rolling or Unset. Omni tests values,
not keys: `name: ""` or `updateStrategy:` with no value pass.

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

    # Omni tests values, not keys (controlplane.Name != "", pointers != nil, len(machines) > 0,
    # kernelArgs defined): `name: ""` or `updateStrategy:` with no value pass
    if kind == "ControlPlane":
        if data.get("name") is not None and str(data.get("name")) != "":
            yield problem(
                "custom name is not allowed in the controlplane",
                "name",
                "remove `name:`; the control-plane set is always `<cluster>-control-planes`",
            )
        for key in ("updateStrategy", "deleteStrategy"):
            if data.get(key) is not None:
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
        if data.get("bootstrapSpec") is not None:
            yield problem(
                "bootstrapSpec is not allowed in workers",
                "bootstrapSpec",
                "bootstrapSpec belongs in the ControlPlane document",
            )
    machine_class = data.get("machineClass")
    machines = data.get("machines")
    if machine_class is not None and isinstance(machines, list) and len(machines) > 0:
        yield problem(
            "machine set can not have both machines and machine class defined",
            "machines",
            "use either a list of machine UUIDs or a machineClass",
        )
    if machine_class is not None:
        yield from _machine_class(doc, data, machine_class, problem)
        yield from _cluster_kernel_args(doc, problem)
        if data.get("kernelArgs") is not None:
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


def _cluster_kernel_args(doc: Document, problem: Any) -> Iterator[Problem]:
    """Render/sync (translate) refuses cluster-level kernelArgs with a machine-class set."""
    from pathlib import Path

    from omni_scale.lint.document import read_source

    for other in read_source(Path(doc.path)).documents:
        data = other.data
        if not isinstance(data, Mapping) or data.get("kind") != "Cluster":
            continue
        if data.get("kernelArgs") is None:
            return
        line, column = other.position(data, "kernelArgs")
        message = (
            "kernelArgs cannot be defined at cluster level for this machine set since it uses a "
            "machine class (omnictl cluster template render/sync)"
        )
        found = problem(
            message,
            "machineClass",
            "move the kernel args into the MachineClass "
            "(spec.autoprovision.kernelargs) and remove the Cluster's kernelArgs",
        )
        yield Problem(
            path=found.path,
            line=found.line,
            column=found.column,
            rule=found.rule,
            severity=found.severity,
            message=f"{found.message} (the Cluster's kernelArgs, line {line}:{column})",
            hint=found.hint,
        )
        return
