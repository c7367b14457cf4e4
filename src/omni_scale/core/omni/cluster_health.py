"""A cluster's health from Omni's resources (pure: the resources come in as parsed JSON).

Inputs are what `omnictl get ... -o json` prints: ClusterStatuses, MachineSetStatuses,
ClusterMachineStatuses (all labelled `omni.sidero.dev/cluster`) and MachineRequestStatuses
(namespace infra-provider, labelled `omni.sidero.dev/machine-request-set` = machine-set ID).
Healthy = ClusterStatus RUNNING and ready, every machine set Running and ready, and no failed
machine request (siderolabs/omni v1.10.4).

Pending and failed provisioning comes from ClusterMachineRequestStatuses (namespace default,
labelled with the cluster and machine set; omni.md §0.13): Omni writes one per MachineRequest,
also when the provider is down and no MachineRequestStatus exists, with the text its UI shows
(`Waiting for the infra provider to start provision`, `Provision Failed: <err>`, ...). A FAILED
request is not final: the provider retries it every minute. The health of the provider a waiting
request is for (InfraProviderCombinedStatuses: connected = last heartbeat under the health-check
interval + 1 s) says why nothing moves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from omni_scale.core.diagnosis import diagnose
from omni_scale.core.omni.resources import (
    CLUSTER_MACHINE_REQUEST_STAGES,
    CLUSTER_MACHINE_STAGES,
    CLUSTER_PHASES,
    LABEL_MACHINE_REQUEST_IN_USE,
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


FAILED_RETRY_S = 60  # a provider-side FAILED request is retried every minute (omni.md §0.13)
WAITING_STAGES = ("UNKNOWN", "PENDING", "PROVISIONING", "PROVISIONED")


@dataclass
class RequestHealth:
    """One ClusterMachineRequestStatus: a machine Omni asked a provider for."""

    id: str
    machine_set: str
    stage: str  # PENDING, PROVISIONING, PROVISIONED, DEPROVISIONING, FAILED (UNKNOWN)
    status: str  # Omni's text, e.g. "Waiting for the infra provider to start provision"
    provider_id: str
    machine_uuid: str | None
    in_use: bool  # the machine joined (a ClusterMachineStatus exists)
    problem: Cause | None = None

    @property
    def waiting(self) -> bool:
        return not self.in_use and self.stage in WAITING_STAGES

    @property
    def retrying(self) -> bool:
        return self.stage == "FAILED"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "machine_set": self.machine_set,
            "stage": self.stage,
            "status": self.status,
            "provider_id": self.provider_id,
            "machine_uuid": self.machine_uuid,
            "in_use": self.in_use,
            "waiting": self.waiting,
            "retrying": self.retrying,
            "retry_interval_s": FAILED_RETRY_S if self.retrying else None,
            "problem": self.problem.to_json() if self.problem else None,
        }


@dataclass
class ProviderHealth:
    """An infra provider as Omni sees it (InfraProviderCombinedStatus + its heartbeat)."""

    id: str
    registered: bool  # an InfraProviderCombinedStatus exists (the provider connected once)
    connected: bool | None
    last_heartbeat: str | None = None  # RFC 3339, from InfraProviderHealthStatuses
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "registered": self.registered,
            "connected": self.connected,
            "last_heartbeat": self.last_heartbeat,
            "error": self.error,
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
    requests: list[RequestHealth] = field(default_factory=list)
    providers: dict[str, ProviderHealth] = field(default_factory=dict)

    @property
    def problems(self) -> list[Cause]:
        found = [s.problem for s in self.machine_sets if s.problem]
        found += [m.problem for m in self.machines if m.problem]
        seen = {p.error for p in found}
        found += [r.problem for r in self.requests if r.problem and r.problem.error not in seen]
        return found

    @property
    def waiting_requests(self) -> list[RequestHealth]:
        return [r for r in self.requests if r.waiting]

    @property
    def down_providers(self) -> list[ProviderHealth]:
        """Providers that waiting requests are for and that are not connected to Omni."""
        ids = sorted({r.provider_id for r in self.waiting_requests if r.provider_id})
        return [
            self.providers[i]
            for i in ids
            if i in self.providers and self.providers[i].connected is not True
        ]

    @property
    def healthy(self) -> bool:
        return (
            self.exists
            and self.phase == "RUNNING"
            and self.ready
            and all(s.healthy for s in self.machine_sets)
            and not any(m.request_stage == "FAILED" for m in self.machines)
            and not any(r.retrying for r in self.requests)
        )

    @property
    def summary(self) -> str:
        if not self.exists:
            return f'cluster "{self.name}" does not exist in Omni'
        if self.healthy:
            return "healthy"
        down = self.down_providers
        if down:
            provider = down[0]
            why = (
                "has never connected to Omni"
                if not provider.registered
                else "is not connected"
                + (
                    f" (last heartbeat {provider.last_heartbeat})"
                    if provider.last_heartbeat
                    else ""
                )
            )
            return f"the provider `{provider.id}` {why}: run `omni-scale provider status`"
        retrying = [r for r in self.requests if r.retrying]
        if retrying:
            return (
                f"{len(retrying)} machine request(s) failed, retried every minute: "
                f"{retrying[0].status}"
            )
        failed = [m for m in self.machines if m.request_stage == "FAILED" or m.problem]
        if failed:
            return f"{len(failed)} machine(s) failing"
        waiting = self.waiting_requests
        if waiting:
            return f"{len(waiting)} machine request(s) waiting: {waiting[0].status}"
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
            "requests": [r.to_json() for r in self.requests],
            "providers": [p.to_json() for _, p in sorted(self.providers.items())],
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
    cluster_machine_request_statuses: Iterable[Mapping[str, Any]] = (),
    providers: Mapping[str, ProviderHealth] | None = None,
) -> ClusterHealth:
    """The health of cluster `name` (resources of other clusters are ignored).

    `providers`: the health of the providers the cluster's requests are for, by id
    (`provider_health` builds it); only asked for when requests wait.
    """
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
    health.requests = cluster_requests(name, cluster_machine_request_statuses)
    health.providers = dict(providers or {})
    return health


def cluster_requests(name: str, statuses: Iterable[Mapping[str, Any]]) -> list[RequestHealth]:
    """The cluster's ClusterMachineRequestStatuses, with the cause of a failed provision."""
    found: list[RequestHealth] = []
    for raw in statuses:
        request = Resource.from_json(raw)
        if not _belongs(request, name):
            continue
        error = str(request.spec.get("error") or "")
        stage = enum_name(CLUSTER_MACHINE_REQUEST_STAGES, request.spec.get("stage"))
        found.append(
            RequestHealth(
                id=request.id,
                machine_set=request.label(LABEL_MACHINE_SET) or "",
                stage=stage,
                status=str(request.spec.get("status") or ""),
                provider_id=str(request.spec.get("providerid") or ""),
                machine_uuid=str(request.spec.get("machineuuid") or "") or None,
                in_use=request.has_label(LABEL_MACHINE_REQUEST_IN_USE),
                problem=explain(error) if error and stage == "FAILED" else None,
            )
        )
    found.sort(key=lambda r: (r.machine_set, r.id))
    return found


def provider_health(
    provider_id: str,
    combined: Mapping[str, Any] | None,
    heartbeat: Mapping[str, Any] | None,
) -> ProviderHealth:
    """A provider's health from its InfraProviderCombinedStatus and InfraProviderHealthStatus."""
    if combined is None:
        return ProviderHealth(provider_id, registered=False, connected=False)
    health = Resource.from_json(combined).spec.get("health")
    health = health if isinstance(health, Mapping) else {}
    last = None
    if heartbeat is not None:
        stamp = Resource.from_json(heartbeat).spec.get("lastheartbeattimestamp")
        last = _rfc3339(stamp)
    return ProviderHealth(
        provider_id,
        registered=True,
        connected=bool(health.get("connected")),
        last_heartbeat=last,
        error=str(health.get("error") or "") or None,
    )


def _rfc3339(stamp: Any) -> str | None:
    """`{"seconds": N, "nanos": M}` (or an RFC 3339 string) as RFC 3339 UTC text."""

    if isinstance(stamp, str) and stamp:
        return stamp
    if not isinstance(stamp, Mapping) or not stamp.get("seconds"):
        return None
    try:
        moment = dt.datetime.fromtimestamp(int(stamp["seconds"]), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return moment.isoformat().replace("+00:00", "Z")


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
