"""Omni resource types, their namespaces, enum names, and parsing of `omnictl -o json`.

`omnictl get -o json` prints one pretty-printed object per resource, concatenated (not an
array), nothing at all for zero results. Spec keys are lowercased Go field names and enums are
integers (siderolabs/omni v1.10.4).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from omni_scale.core.json_bounds import raw_decode

CLUSTERS = "Clusters.omni.sidero.dev"
CLUSTER_STATUSES = "ClusterStatuses.omni.sidero.dev"
MACHINE_SET_STATUSES = "MachineSetStatuses.omni.sidero.dev"
CLUSTER_MACHINE_STATUSES = "ClusterMachineStatuses.omni.sidero.dev"
MACHINE_REQUEST_STATUSES = "MachineRequestStatuses.omni.sidero.dev"
MACHINE_REQUESTS = "MachineRequests.omni.sidero.dev"
CLUSTER_MACHINE_REQUEST_STATUSES = "ClusterMachineRequestStatuses.omni.sidero.dev"
INFRA_PROVIDER_COMBINED_STATUSES = "InfraProviderCombinedStatuses.omni.sidero.dev"
INFRA_PROVIDER_HEALTH_STATUSES = "InfraProviderHealthStatuses.omni.sidero.dev"
MACHINE_CLASSES = "MachineClasses.omni.sidero.dev"
INFRA_PROVIDERS = "InfraProviders.omni.sidero.dev"
INFRA_PROVIDER_STATUSES = "InfraProviderStatuses.omni.sidero.dev"
SYS_VERSIONS = "SysVersions.system.sidero.dev"

NS_DEFAULT = "default"
NS_INFRA_PROVIDER = "infra-provider"
NS_EPHEMERAL = "ephemeral"
NS_INFRA_PROVIDER_EPHEMERAL = "infra-provider-ephemeral"

LABEL_CLUSTER = "omni.sidero.dev/cluster"
LABEL_MACHINE_SET = "omni.sidero.dev/machine-set"
LABEL_NODE_NAME = "omni.sidero.dev/node-name"
LABEL_MACHINE_REQUEST_SET = "omni.sidero.dev/machine-request-set"
LABEL_MACHINE_REQUEST_IN_USE = "omni.sidero.dev/machine-request-in-use"

CLUSTER_PHASES = {0: "UNKNOWN", 1: "SCALING_UP", 2: "SCALING_DOWN", 3: "RUNNING", 4: "DESTROYING"}
MACHINE_SET_PHASES = {
    0: "Unknown",
    1: "ScalingUp",
    2: "ScalingDown",
    3: "Running",
    4: "Destroying",
    5: "Failed",
    6: "Reconfiguring",
    7: "Upgrading",
}
CLUSTER_MACHINE_STAGES = {
    0: "UNKNOWN",
    1: "BOOTING",
    2: "INSTALLING",
    3: "CONFIGURING",
    4: "RUNNING",
    5: "DESTROYING",
    6: "UPGRADING",
    7: "REBOOTING",
    8: "SHUTTING_DOWN",
    9: "BEFORE_DESTROY",
    10: "POWERING_ON",
    11: "POWERED_OFF",
}
MACHINE_REQUEST_STAGES = {0: "UNKNOWN", 1: "PROVISIONING", 2: "PROVISIONED", 3: "FAILED"}
# ClusterMachineRequestStatusSpec.Stage (client/api/omni/specs/omni.proto, v1.10.4)
CLUSTER_MACHINE_REQUEST_STAGES = {
    0: "UNKNOWN",
    1: "PENDING",
    2: "PROVISIONING",
    3: "PROVISIONED",
    4: "DEPROVISIONING",
    5: "FAILED",
}


def enum_name(table: Mapping[int, str], value: Any) -> str:
    """The name of an enum integer (omnictl omits zero values, so None is the 0 name)."""
    if value is None:
        return table[0]
    if isinstance(value, str):  # already a name (a newer omnictl, or -o yaml)
        return value
    try:
        return table.get(int(value), f"UNKNOWN({value})")
    except (TypeError, ValueError):
        return f"UNKNOWN({value})"


def parse_json_stream(text: str) -> list[dict[str, Any]]:
    """Concatenated JSON objects -> list (empty output = no resources).

    Raises ValueError with the offending position when the text is not such a stream.
    """

    found: list[dict[str, Any]] = []
    index = 0
    length = len(text)
    while True:
        while index < length and text[index].isspace():
            index += 1
        if index >= length:
            return found
        try:
            value, index = raw_decode(text, index)
        except json.JSONDecodeError as exc:
            raise ValueError(f"omnictl printed invalid JSON at char {exc.pos}: {exc.msg}") from exc
        if isinstance(value, list):  # tolerate an array, should a future omnictl print one
            found.extend(v for v in value if isinstance(v, dict))
        elif isinstance(value, dict):
            found.append(value)
        else:
            raise ValueError(f"omnictl printed a JSON {type(value).__name__}, expected objects")


@dataclass(frozen=True)
class Resource:
    """One COSI resource as omnictl prints it: metadata + spec."""

    type: str
    namespace: str
    id: str
    labels: Mapping[str, str | None]
    spec: Mapping[str, Any]
    phase: str  # COSI lifecycle: "running" or "tearingDown"

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Resource:
        metadata = data.get("metadata") or {}
        spec = data.get("spec") or {}
        labels = metadata.get("labels") or {}
        return cls(
            type=str(metadata.get("type", "")),
            namespace=str(metadata.get("namespace", "")),
            id=str(metadata.get("id", "")),
            labels=dict(labels) if isinstance(labels, Mapping) else {},
            spec=spec if isinstance(spec, Mapping) else {},
            phase=str(metadata.get("phase", "running")),
        )

    def has_label(self, key: str) -> bool:
        """Whether the label is set (empty labels are null in -o json: test the key)."""
        return key in self.labels

    def label(self, key: str) -> str | None:
        value = self.labels.get(key)
        return None if value is None else str(value)
