"""The fake omnictl prints exactly the formats of facts/omni.md (other helpers rely on it)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from fakes.fixtures_omnictl import (
    FakeOmnictl,
    cluster_status,
    install_fake_omnictl,
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
    assert table[1].split() == ["default", "ClusterStatuses.omni.sidero.dev", "a", "1"]


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
