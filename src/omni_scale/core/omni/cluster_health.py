"""A cluster's health from Omni's resources (pure: the resources come in as parsed JSON).

Inputs are what `omnictl get ... -o json` prints: ClusterStatuses, MachineSetStatuses,
ClusterMachineStatuses (all labelled `omni.sidero.dev/cluster`) and MachineRequestStatuses
(namespace infra-provider, labelled `omni.sidero.dev/machine-request-set` = machine-set ID).
Healthy = ClusterStatus RUNNING and ready, every machine set Running and ready, and no failed
machine request (facts/omni.md §3.3, §4).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from omni_scale.core.diagnosis import diagnose
from omni_scale.core.omni.resources import (
    CLUSTER_MACHINE_STAGES,
    CLUSTER_PHASES,
    LABEL_MACHINE_REQUEST_SET,
    LABEL_MACHINE_SET,
    LABEL_NODE_NAME,
    MACHINE_REQUEST_STAGES,
    MACHINE_SET_PHASES,
    Resource,
    enum_name,
)


@dataclass
class Cause:
    """A provisioning or configuration error and its likely cause (from the known-error table)."""

    error: str
    diagnosis: str | None
    fix: str | None
    known_error: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "error": self.error,
            "cause": self.diagnosis,
            "fix": self.fix,
            "known_error": self.known_error,
        }


def explain(error: str) -> Cause:
    found = diagnose(error)
    if not found:
        return Cause(error, None, None, None)
    first = found[0]
    return Cause(error, first.cause, first.fix, first.id)


@dataclass
class MachineHealth:
    id: str  # machine UUID, or the request ID while it has no machine yet
    machine_set: str
    node: str | None
    stage: str  # ClusterMachineStatus stage, or PROVISIONING/FAILED of the request
    ready: bool
    request_id: str | None = None
    request_stage: str | None = None
    request_status: str | None = None
    problem: Cause | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "machine_set": self.machine_set,
            "node": self.node,
            "stage": self.stage,
            "ready": self.ready,
            "request": None
            if self.request_id is None
            else {
                "id": self.request_id,
                "stage": self.request_stage,
                "status": self.request_status,
            },
            "problem": self.problem.to_json() if self.problem else None,
        }


@dataclass
class MachineSetHealth:
    id: str
    role: str  # "control-plane" or "workers"
    phase: str
    ready: bool
    machines: dict[str, int]
    problem: Cause | None = None

    @property
    def healthy(self) -> bool:
        return self.ready and self.phase == "Running"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "role": self.role,
            "phase": self.phase,
            "ready": self.ready,
            "machines": self.machines,
            "problem": self.problem.to_json() if self.problem else None,
        }


@dataclass
class ClusterHealth:
    name: str
    exists: bool
    phase: str = "UNKNOWN"
    ready: bool = False
    controlplane_ready: bool = False
    kubernetes_api_ready: bool = False
    machine_counts: dict[str, int] = field(default_factory=dict)
    machine_sets: list[MachineSetHealth] = field(default_factory=list)
    machines: list[MachineHealth] = field(default_factory=list)

    @property
    def problems(self) -> list[Cause]:
        found = [s.problem for s in self.machine_sets if s.problem]
        found += [m.problem for m in self.machines if m.problem]
        return found

    @property
    def healthy(self) -> bool:
        return (
            self.exists
            and self.phase == "RUNNING"
            and self.ready
            and all(s.healthy for s in self.machine_sets)
            and not any(m.request_stage == "FAILED" for m in self.machines)
        )

    @property
    def summary(self) -> str:
        if not self.exists:
            return f'cluster "{self.name}" does not exist in Omni'
        if self.healthy:
            return "healthy"
        failed = [m for m in self.machines if m.request_stage == "FAILED" or m.problem]
        if failed:
            return f"{len(failed)} machine(s) failing"
        if self.phase in ("SCALING_UP", "SCALING_DOWN"):
            counts = self.machine_counts
            return (
                f"{self.phase.lower().replace('_', ' ')}: {counts.get('healthy', 0)} of "
                f"{counts.get('requested', counts.get('total', 0))} machines healthy"
            )
        return "not ready"

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "exists": self.exists,
            "healthy": self.healthy,
            "summary": self.summary,
            "phase": self.phase,
            "ready": self.ready,
            "controlplane_ready": self.controlplane_ready,
            "kubernetes_api_ready": self.kubernetes_api_ready,
            "machines_count": self.machine_counts,
            "machine_sets": [s.to_json() for s in self.machine_sets],
            "machines": [m.to_json() for m in self.machines],
        }


def _counts(value: Any) -> dict[str, int]:
    if not isinstance(value, Mapping):
        value = {}
    return {k: int(value.get(k) or 0) for k in ("total", "healthy", "connected", "requested")}


def evaluate(
    name: str,
    cluster_status: Mapping[str, Any] | None,
    machine_set_statuses: Iterable[Mapping[str, Any]] = (),
    cluster_machine_statuses: Iterable[Mapping[str, Any]] = (),
    machine_request_statuses: Iterable[Mapping[str, Any]] = (),
) -> ClusterHealth:
    """The health of cluster `name` (resources of other clusters are ignored)."""
    if cluster_status is None:
        return ClusterHealth(name, exists=False)
    status = Resource.from_json(cluster_status)
    spec = status.spec
    health = ClusterHealth(
        name,
        exists=True,
        phase=enum_name(CLUSTER_PHASES, spec.get("phase")),
        ready=bool(spec.get("ready")),
        controlplane_ready=bool(spec.get("controlplaneready")),
        kubernetes_api_ready=bool(spec.get("kubernetesapiready")),
        machine_counts=_counts(spec.get("machines")),
    )
    set_ids: list[str] = []
    for raw in machine_set_statuses:
        mset = Resource.from_json(raw)
        if not _belongs(mset, name):
            continue
        set_ids.append(mset.id)
        error = str(mset.spec.get("error") or "")
        health.machine_sets.append(
            MachineSetHealth(
                id=mset.id,
                role="control-plane" if mset.id.endswith("-control-planes") else "workers",
                phase=enum_name(MACHINE_SET_PHASES, mset.spec.get("phase")),
                ready=bool(mset.spec.get("ready")),
                machines=_counts(mset.spec.get("machines")),
                problem=explain(error) if error else None,
            )
        )
    health.machine_sets.sort(key=lambda s: (s.role != "control-plane", s.id))
    requests = {
        r.id: r
        for r in (Resource.from_json(raw) for raw in machine_request_statuses)
        if _request_belongs(r, name, set_ids)
    }
    used_requests: set[str] = set()
    for raw in cluster_machine_statuses:
        member = Resource.from_json(raw)
        if not _belongs(member, name):
            continue
        provision = member.spec.get("provisionstatus")
        request_id = (
            str(provision.get("requestid"))
            if isinstance(provision, Mapping) and provision.get("requestid")
            else None
        )
        request = requests.get(request_id) if request_id else None
        if request_id:
            used_requests.add(request_id)
        config_error = str(member.spec.get("lastconfigerror") or "")
        machine = MachineHealth(
            id=member.id,
            machine_set=member.label(LABEL_MACHINE_SET) or "",
            node=member.label(LABEL_NODE_NAME),
            stage=enum_name(CLUSTER_MACHINE_STAGES, member.spec.get("stage")),
            ready=bool(member.spec.get("ready")),
            request_id=request_id,
            problem=explain(config_error) if config_error else None,
        )
        if request is not None:
            _add_request(machine, request)
        health.machines.append(machine)
    for request_id, request in sorted(requests.items()):
        if request_id in used_requests:
            continue
        stage = enum_name(MACHINE_REQUEST_STAGES, request.spec.get("stage"))
        machine = MachineHealth(
            id=str(request.spec.get("id") or request_id),
            machine_set=request.label(LABEL_MACHINE_REQUEST_SET) or "",
            node=None,
            stage=stage,
            ready=False,
            request_id=request_id,
        )
        _add_request(machine, request)
        health.machines.append(machine)
    health.machines.sort(key=lambda m: (m.machine_set, m.node is None, m.node or "", m.id))
    return health


def _add_request(machine: MachineHealth, request: Resource) -> None:
    machine.request_stage = enum_name(MACHINE_REQUEST_STAGES, request.spec.get("stage"))
    machine.request_status = str(request.spec.get("status") or "") or None
    error = str(request.spec.get("error") or "")
    if error and machine.problem is None:
        machine.problem = explain(error)


def _belongs(resource: Resource, cluster: str) -> bool:
    owner = resource.label("omni.sidero.dev/cluster")
    if owner is not None:
        return owner == cluster
    return resource.id == cluster or resource.id.startswith(cluster + "-")


def _request_belongs(request: Resource, cluster: str, set_ids: list[str]) -> bool:
    request_set = request.label(LABEL_MACHINE_REQUEST_SET)
    if request_set is None:
        return False
    if set_ids:
        return request_set in set_ids
    return request_set.startswith(cluster + "-")
