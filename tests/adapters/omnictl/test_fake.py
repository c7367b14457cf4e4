"""The fake omnictl prints exactly the formats of omnictl (siderolabs/omni v1.10.4;
other helpers rely on it)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from fakes.fixtures_omnictl import (
    FakeOmnictl,
    cluster_machine_status,
    cluster_status,
    install_fake_omnictl,
    machine_set_status,
    provider_combined_status,
)


def run(fake: FakeOmnictl, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(fake.path), *args], capture_output=True, text=True, timeout=30, check=False
    )


def test_version_line(tmp_path: Path) -> None:
    fake = install_fake_omnictl(tmp_path, {"version": "v1.9.3", "api_version": 2})
    assert run(fake, "--version").stdout == "omnictl version v1.9.3 (API Version: 2)\n"


def test_json_is_concatenated_pretty_objects(tmp_path: Path) -> None:
    fake = install_fake_omnictl(tmp_path)
    fake.add(cluster_status("a"), cluster_status("b"))
    out = run(fake, "get", "clusterstatuses", "-o", "json").stdout
    assert out.startswith('{\n    "metadata": {\n        "created"')
    assert "}\n{\n" in out and not out.startswith("[")
    first = json.loads(out[: out.index("}\n{") + 1])
    assert json.dumps(first, indent=4, sort_keys=True) + "\n" == out[: out.index("}\n{") + 2]
    assert run(fake, "get", "clusters", "-o", "json").stdout == ""


def test_jsonpath_and_table(tmp_path: Path) -> None:
    fake = install_fake_omnictl(tmp_path)
    fake.add(cluster_status("a"), cluster_status("b", phase=1))
    assert run(fake, "get", "clusterstatus", "-o", "jsonpath={.spec.phase}").stdout == "3\n1\n"
    table = run(fake, "get", "clusterstatuses").stdout.splitlines()
    assert table[0].split() == ["NAMESPACE", "TYPE", "ID", "VERSION"]
    assert table[1].split() == ["default", "ClusterStatus", "a", "1"]  # the singular type


def test_errors_go_to_stderr_with_exit_1(tmp_path: Path) -> None:
    fake = install_fake_omnictl(tmp_path)
    result = run(fake, "get", "nosuchtype")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == 'Error: resource "nosuchtype" is not registered\n'


def test_delete_without_id(tmp_path: Path) -> None:
    fake = install_fake_omnictl(tmp_path)
    result = run(fake, "delete", "clustermachines")
    assert result.stderr == (
        "Error: either resource ID or one of --all or --selector flags must be specified\n"
    )


def test_infraprovider_create_block_and_list(tmp_path: Path) -> None:
    fake = install_fake_omnictl(tmp_path, {"infraprovider_key": "a2V5"})
    out = run(fake, "infraprovider", "create", "proxmox").stdout
    assert out.splitlines() == [
        'Your infra provider "proxmox" is ready to use',
        'Created infra provider service account "infra-provider:proxmox" with public key ID '
        '"0123456789abcdef0123456789abcdef01234567"',
        "",
        "Set the following environment variables to use the service account:",
        "OMNI_ENDPOINT=https://omni.example.com",
        "OMNI_SERVICE_ACCOUNT_KEY=a2V5",
        "",
        "Note: Store the service account key securely, it will not be displayed again",
        "Please use the endpoint and the service account key to set up the infra provider",
    ]
    again = run(fake, "infraprovider", "create", "proxmox")
    assert again.returncode == 1 and "already exists" in again.stderr
    fake.add(provider_combined_status("proxmox", connected=False))
    listing = run(fake, "infraprovider", "list").stdout.splitlines()
    assert listing[0].split() == ["ID", "NAME", "VERSION", "DESCRIPTION", "CONNECTED", "ERROR"]
    assert listing[1].split()[:3] == ["proxmox", "Proxmox", "v0.3.0"]
    assert "false" in listing[1].split()
    # tabwriter padding 4 (infraprovider.go), the empty last cell after the padded CONNECTED
    assert listing[0].startswith("ID" + " " * 9 + "NAME")  # "proxmox" (7) + 4
    assert listing[1].endswith("false" + " " * 8)  # "CONNECTED" (9) + 4 - 5


def test_metadata_owner_null_and_empty_labels(tmp_path: Path) -> None:
    fake = install_fake_omnictl(tmp_path)
    fake.add(cluster_machine_status("a", "a-workers", "uuid-1"))
    data = json.loads(run(fake, "get", "clustermachinestatuses", "-o", "json").stdout)
    meta = data["metadata"]
    assert meta["owner"] is None and meta["phase"] == "running" and meta["version"] == 1
    assert meta["labels"]["omni.sidero.dev/connected"] is None  # an empty label value
    assert "annotations" not in meta and "finalizers" not in meta


def test_machines_are_read_only(tmp_path: Path) -> None:
    fake = install_fake_omnictl(tmp_path)
    result = run(fake, "delete", "machines", "uuid-1")
    assert result.stderr == (
        "Error: rpc error: code = PermissionDenied desc = only read access is permitted\n"
    )


def test_cluster_status_tree_as_treeprint_draws_it(tmp_path: Path) -> None:
    fake = install_fake_omnictl(tmp_path)
    fake.add(
        cluster_status("talos", phase=1, ready=False, total=3, healthy=1),
        machine_set_status("talos", "talos-control-planes"),
        machine_set_status("talos", "talos-workers", phase=1, ready=False, total=1, healthy=0),
        machine_set_status("talos", "talos-gpu", total=1, healthy=1),
        cluster_machine_status("talos", "talos-control-planes", "cp-1", node="talos-cp-1"),
        cluster_machine_status(
            "talos", "talos-workers", "w-1", stage=3, ready=False, connected=False
        ),
        cluster_machine_status("talos", "talos-gpu", "g-1", node="gpu-1"),
    )
    result = run(fake, "cluster", "status", "talos", "--wait", "0")
    assert result.stdout.splitlines() == [
        'Cluster "talos" SCALING_UP Not Ready (1/3) (healthy/total)',
        '├── Control Plane "talos-control-planes" Running Ready (1/1)',
        '│   └── Machine "cp-1"(talos-cp-1) RUNNING Ready',
        '├── Workers "talos-workers" ScalingUp Not Ready (0/1)',
        '│   └── Machine "w-1" CONFIGURING Unreachable',
        '└── Additional Workers "talos-gpu" Running Ready (1/1)',
        '    └── Machine "g-1"(gpu-1) RUNNING Ready',
    ]
    assert (result.returncode, result.stderr) == (1, "Error: cluster is not healthy\n")


def test_missing_cluster_status_hangs_like_the_real_one(tmp_path: Path) -> None:
    fake = install_fake_omnictl(tmp_path)
    try:
        subprocess.run(
            [str(fake.path), "cluster", "status", "ghost", "--wait", "0"],
            capture_output=True,
            timeout=1,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return
    raise AssertionError("the fake did not hang")
