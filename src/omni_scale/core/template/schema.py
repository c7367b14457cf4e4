"""The fields omnictl's cluster-template decoder knows, per model type (strict decoding).

omnictl decodes every template document with `KnownFields(true)`, so an unknown key fails with
`field <key> not found in type models.<Type>` (siderolabs/omni v1.10.4). Values are
either None (a leaf or an opaque value: inline patches, label maps) or the nested model type.
A list of a nested type is written as ("[]", Type).
"""

from __future__ import annotations

from typing import Final

Field = str | tuple[str, str] | None

PATCH: Final = "Patch"
MANIFEST: Final = "KubernetesManifest"
HEALTHCHECK: Final = "KubernetesHealthCheck"

_MACHINE_SET: dict[str, Field] = {
    "kind": None,
    "name": None,  # rejected later in the ControlPlane: "custom name is not allowed"
    "labels": None,
    "annotations": None,
    "machines": None,
    "machineClass": "MachineClassConfig",
    "bootstrapSpec": "BootstrapSpec",  # rejected later in Workers
    "upgradeStrategy": "UpdateStrategyConfig",
    "updateStrategy": "UpdateStrategyConfig",  # rejected later in the ControlPlane
    "deleteStrategy": "UpdateStrategyConfig",  # rejected later in the ControlPlane
    "patches": ("[]", PATCH),
    "systemExtensions": None,
    "kernelArgs": None,
}

MODELS: Final[dict[str, dict[str, Field]]] = {
    "Cluster": {
        "kind": None,
        "name": None,
        "labels": None,
        "annotations": None,
        "kubernetes": "KubernetesCluster",
        "talos": "TalosCluster",
        "features": "Features",
        "patches": ("[]", PATCH),
        "systemExtensions": None,
        "kernelArgs": None,
    },
    "KubernetesCluster": {
        "version": None,
        "manifests": ("[]", MANIFEST),
        "healthchecks": ("[]", HEALTHCHECK),  # omnictl v1.9.0+
    },
    "TalosCluster": {"version": None},
    "Features": {
        "diskEncryption": None,
        "enableWorkloadProxy": None,
        "useEmbeddedDiscoveryService": None,
        "disablePublicDiscoveryService": None,
        "enableNodeAuditSkip": None,
        "backupConfiguration": "BackupConfiguration",
    },
    "BackupConfiguration": {"interval": None},
    "ControlPlane": dict(_MACHINE_SET),
    "Workers": dict(_MACHINE_SET),
    "Machine": {
        "kind": None,
        "name": None,
        "labels": None,
        "annotations": None,
        "locked": None,
        "install": "MachineInstall",
        "patches": ("[]", PATCH),
        "systemExtensions": None,
        "kernelArgs": None,
    },
    "MachineInstall": {"disk": None},
    "MachineClassConfig": {"name": None, "size": None},
    "BootstrapSpec": {"clusterUUID": None, "snapshot": None},
    "UpdateStrategyConfig": {"type": None, "rolling": "RollingUpdateStrategyConfig"},
    "RollingUpdateStrategyConfig": {"maxParallelism": None},
    PATCH: {
        "name": None,
        "idOverride": None,
        "labels": None,
        "annotations": None,
        "file": None,
        "inline": None,
    },
    # manifests and healthchecks embed Descriptors inline (`yaml:",inline"`): labels and
    # annotations are fields of theirs (client/pkg/template/internal/models, v1.10.4)
    MANIFEST: {
        "name": None,
        "mode": None,
        "file": None,
        "inline": None,
        "labels": None,
        "annotations": None,
    },
    HEALTHCHECK: {
        "name": None,
        "idOverride": None,
        "labels": None,
        "annotations": None,
        "job": None,
        "file": None,
        "interval": None,
    },
}

TEMPLATE_KINDS: Final = ("Cluster", "ControlPlane", "Workers", "Machine")
