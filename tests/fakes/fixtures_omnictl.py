"""The `fake_omnictl` fixture: a fake `omnictl` first on PATH, driven by a scenario file.

    def test_x(fake_omnictl):
        fake_omnictl.add(cluster_status("talos", phase=3, ready=True))
        fake_omnictl.respond(["cluster", "template", "validate"], stderr="Error: ...\\n", exit=1)
        fake_omnictl.set_backend(unreachable="refused")
        ... run the code under test ...
        assert fake_omnictl.calls()[-1]["argv"][:2] == ["get", "clusters"]

The scenario format is documented in tests/fakes/fake_omnictl.py. The builders below
(`resource`, `cluster_status`, `machine_set_status`, `cluster_machine_status`,
`machine_request_status`, `cluster_machine_request_status`, `provider_combined_status`,
`provider_health_status`) return resources in the shape
`omnictl get -o json` prints (lowercased keys, integer enums).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fakes.wrapper import install_wrapper

FAKE = Path(__file__).with_name("fake_omnictl.py")


def resource(
    rtype: str,
    rid: str,
    spec: dict[str, Any] | None = None,
    *,
    namespace: str = "default",
    labels: dict[str, Any] | None = None,
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"type": rtype, "namespace": namespace, "id": rid}
    if labels:
        metadata["labels"] = labels
    return {"metadata": metadata, "spec": spec or {}}


def cluster_status(
    name: str,
    *,
    phase: int = 3,
    ready: bool = True,
    cp_ready: bool = True,
    api_ready: bool = True,
    total: int = 3,
    healthy: int = 3,
    requested: int | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "phase": phase,
        "ready": ready,
        "available": True,
        "controlplaneready": cp_ready,
        "kubernetesapiready": api_ready,
        "hasconnectedcontrolplanes": cp_ready,
        "machines": {
            "total": total,
            "healthy": healthy,
            "connected": healthy,
            "requested": total if requested is None else requested,
        },
    }
    return resource(
        "ClusterStatuses.omni.sidero.dev", name, spec, labels={"omni.sidero.dev/cluster": name}
    )


def machine_set_status(
    cluster: str,
    name: str,
    *,
    phase: int = 3,
    ready: bool = True,
    total: int = 1,
    healthy: int = 1,
    requested: int | None = None,
    error: str = "",
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "phase": phase,
        "ready": ready,
        "machines": {
            "total": total,
            "healthy": healthy,
            "connected": healthy,
            "requested": total if requested is None else requested,
        },
    }
    if error:
        spec["error"] = error
    labels: dict[str, Any] = {"omni.sidero.dev/cluster": cluster}
    if name.endswith("-control-planes"):
        labels["omni.sidero.dev/role-controlplane"] = None
    else:
        labels["omni.sidero.dev/role-worker"] = None
    return resource("MachineSetStatuses.omni.sidero.dev", name, spec, labels=labels)


def cluster_machine_status(
    cluster: str,
    machine_set: str,
    uuid: str,
    *,
    stage: int = 4,
    ready: bool = True,
    node: str | None = None,
    request_id: str | None = None,
    provider_id: str = "proxmox",
    config_error: str = "",
    connected: bool = True,
) -> dict[str, Any]:
    spec: dict[str, Any] = {"stage": stage, "ready": ready, "configuptodate": True}
    if request_id:
        spec["provisionstatus"] = {"providerid": provider_id, "requestid": request_id}
    if config_error:
        spec["lastconfigerror"] = config_error
    labels: dict[str, Any] = {
        "omni.sidero.dev/cluster": cluster,
        "omni.sidero.dev/machine-set": machine_set,
    }
    if node:
        labels["omni.sidero.dev/node-name"] = node
    if connected:
        labels["omni.sidero.dev/connected"] = None  # an empty label: null in -o json
    return resource("ClusterMachineStatuses.omni.sidero.dev", uuid, spec, labels=labels)


CLUSTER_MACHINE_REQUEST_STAGES = {
    "UNKNOWN": 0,
    "PENDING": 1,
    "PROVISIONING": 2,
    "PROVISIONED": 3,
    "DEPROVISIONING": 4,
    "FAILED": 5,
}


def cluster_machine_request_status(
    cluster: str,
    machine_set: str,
    request_id: str,
    *,
    stage: str = "PENDING",
    status: str = "Waiting for the infra provider to start provision",
    error: str = "",
    uuid: str = "",
    provider_id: str = "proxmox",
    in_use: bool = False,
) -> dict[str, Any]:
    """A ClusterMachineRequestStatus as Omni's controller writes it (omni.md §0.13)."""
    spec: dict[str, Any] = {
        "status": status,
        "machineuuid": uuid,
        "providerid": provider_id,
        "stage": CLUSTER_MACHINE_REQUEST_STAGES[stage],
        "error": error,
    }
    labels: dict[str, Any] = {
        "omni.sidero.dev/cluster": cluster,
        "omni.sidero.dev/machine-set": machine_set,
    }
    if machine_set.endswith("-control-planes"):
        labels["omni.sidero.dev/role-controlplane"] = None
    else:
        labels["omni.sidero.dev/role-worker"] = None
    if in_use:
        labels["omni.sidero.dev/machine-request-in-use"] = None
    return resource(
        "ClusterMachineRequestStatuses.omni.sidero.dev", request_id, spec, labels=labels
    )


def provider_health_status(provider_id: str, *, seconds: int, error: str = "") -> dict[str, Any]:
    """InfraProviderHealthStatuses/<id>: the provider's last heartbeat (Unix seconds)."""
    return resource(
        "InfraProviderHealthStatuses.omni.sidero.dev",
        provider_id,
        {"lastheartbeattimestamp": {"seconds": seconds, "nanos": 0}, "error": error},
        namespace="infra-provider-ephemeral",
    )


def machine_request_status(
    request_id: str,
    machine_set: str,
    *,
    stage: int = 2,
    status: str = "Provision Complete",
    error: str = "",
    uuid: str = "",
    provider_id: str = "proxmox",
) -> dict[str, Any]:
    spec: dict[str, Any] = {"stage": stage, "status": status}
    if error:
        spec["error"] = error
    if uuid:
        spec["id"] = uuid
    return resource(
        "MachineRequestStatuses.omni.sidero.dev",
        request_id,
        spec,
        namespace="infra-provider",
        labels={
            "omni.sidero.dev/machine-request-set": machine_set,
            "omni.sidero.dev/infra-provider-id": provider_id,
        },
    )


def provider_combined_status(
    provider_id: str,
    *,
    connected: bool = True,
    version: str = "v0.3.0",
    error: str = "",
) -> dict[str, Any]:
    return resource(
        "InfraProviderCombinedStatuses.omni.sidero.dev",
        provider_id,
        {
            "name": "Proxmox",
            "description": "Proxmox infrastructure provider",
            "version": version,
            "health": {"connected": connected, "initialized": True, "error": error},
        },
        namespace="ephemeral",
    )


@dataclass
class FakeOmnictl:
    """Handle on the scenario of the fake `omnictl` on PATH."""

    scenario_file: Path
    bin_dir: Path

    @property
    def path(self) -> Path:
        return self.bin_dir / "omnictl"

    def load(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.scenario_file.read_text())
        return result

    def save(self, scenario: dict[str, Any]) -> None:
        self.scenario_file.write_text(json.dumps(scenario, indent=2))

    def update(self, **keys: Any) -> None:
        scenario = self.load()
        scenario.update(keys)
        self.save(scenario)

    def set_backend(self, **keys: Any) -> None:
        scenario = self.load()
        scenario.setdefault("backend", {}).update(keys)
        self.save(scenario)

    def add(self, *resources: dict[str, Any]) -> None:
        scenario = self.load()
        scenario.setdefault("resources", []).extend(resources)
        self.save(scenario)

    def respond(
        self,
        args: list[str],
        *,
        stdout: str = "",
        stderr: str = "",
        exit: int = 0,
        delay: float = 0.0,
        hang: bool = False,
    ) -> None:
        scenario = self.load()
        scenario.setdefault("responses", []).append(
            {
                "args": args,
                "stdout": stdout,
                "stderr": stderr,
                "exit": exit,
                "delay": delay,
                "hang": hang,
            }
        )
        self.save(scenario)

    def resources(self, rtype: str | None = None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.load().get("resources", [])
        return [r for r in found if rtype is None or r["metadata"]["type"] == rtype]

    def calls(self) -> list[dict[str, Any]]:
        log = Path(str(self.scenario_file) + ".calls.jsonl")
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def install_fake_omnictl(directory: Path, scenario: dict[str, Any] | None = None) -> FakeOmnictl:
    """Write the scenario and an `omnictl` wrapper into `directory` (no PATH change)."""
    scenario_file, bin_dir = install_wrapper(
        directory, "omnictl", FAKE, scenario, "FAKE_OMNICTL_SCENARIO"
    )
    return FakeOmnictl(scenario_file, bin_dir)


@pytest.fixture
def fake_omnictl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOmnictl]:
    """A fake `omnictl` first on PATH (an empty scenario: version v1.10.4, API 2, healthy)."""
    import os

    fake = install_fake_omnictl(tmp_path / "fake-omnictl")
    monkeypatch.setenv("PATH", f"{fake.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    yield fake
