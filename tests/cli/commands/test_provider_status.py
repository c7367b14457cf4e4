"""`provider status`: every probe, exit codes, the hanging probe, the state summary."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_docker import container
from fakes.fixtures_omnictl import machine_request_status, provider_combined_status, resource
from fakes.fixtures_provider_project import TOKEN_ID, TOKEN_SECRET, make_key
from fakes.fixtures_pve import WITHOUT_PCI
from omni_scale.state import read_state

CLASS = """\
metadata:
  namespace: default
  type: MachineClasses.omni.sidero.dev
  id: {name}
spec:
  autoprovision:
    providerid: {providerid}
    providerdata: |
      cores: 2
      sockets: 1
      memory: 4096
      disk_size: 40
      storage_selector: name == "local-lvm"
"""


def write_class(root: Path, name: str, providerid: str) -> None:
    folder = root / "machine-classes"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml").write_text(CLASS.format(name=name, providerid=providerid))


def omni_knows(fake_omnictl: Any, provider_id: str = "proxmox", connected: bool = True) -> None:
    fake_omnictl.add(
        resource("InfraProviders.omni.sidero.dev", provider_id, namespace="infra-provider"),
        resource(
            "InfraProviderStatuses.omni.sidero.dev",
            provider_id,
            {"name": "Proxmox", "version": "v0.3.0"},
            namespace="infra-provider",
        ),
        provider_combined_status(provider_id, connected=connected),
    )


@pytest.fixture
def healthy(provider_on_fakepve: Path, fake_docker: Any, fake_omnictl: Any) -> Path:
    root = provider_on_fakepve
    write_class(root, "workers", "proxmox")
    fake_docker.update(containers=[container(restarts=0)])
    fake_docker.set_logs("provider-proxmox", ['{"level":"info","ts":1,"msg":"starting"}'])
    omni_knows(fake_omnictl)
    return root


def checks(result: Any) -> dict[str, str]:
    return {c["check"]: c["status"] for c in result.json()["checks"]}


def test_healthy(healthy: Path, cli: Any) -> None:
    result = cli("--project-dir", healthy, "--json", "provider", "status")
    assert result.code == 0, result.out + result.err
    assert checks(result) == {
        "container": "ok",
        "omni": "ok",
        "proxmox": "ok",
        "logs": "ok",
        "ids": "ok",
    }
    data = result.json()
    assert data["health"] == "healthy"
    container_check = next(c for c in data["checks"] if c["check"] == "container")
    assert container_check["details"]["state"] == "running"
    assert container_check["details"]["restarts"] == 0
    assert container_check["details"]["uptime_s"] > 0
    omni = next(c for c in data["checks"] if c["check"] == "omni")
    assert omni["details"]["registered"] is True and omni["details"]["version"] == "v0.3.0"
    proxmox = next(c for c in data["checks"] if c["check"] == "proxmox")
    assert proxmox["details"]["version"]
    state = read_state(healthy / ".claude" / "omni-scale.local.md")
    assert state["last_status"]["health"] == "healthy"
    assert state["last_status"]["checked_at"].endswith("Z")
    human = cli("--project-dir", healthy, "provider", "status")
    assert "health: healthy" in human.out


def test_degraded_with_diagnosis(
    healthy: Path, cli: Any, fake_docker: Any, fake_omnictl: Any
) -> None:
    fake_omnictl.update(resources=[])
    omni_knows(fake_omnictl, connected=False)
    fake_docker.update(
        containers=[
            container(state="restarting", status="Restarting (1) 2 seconds ago", restarts=7)
        ]
    )
    fake_docker.set_logs(
        "provider-proxmox", ['Error: resource ID must match the infra provider ID "Proxmox"']
    )
    result = cli("--project-dir", healthy, "--json", "provider", "status")
    assert result.code == 1
    found = checks(result)
    assert found["container"] == "fail" and found["omni"] == "fail" and found["logs"] == "warn"
    logs = next(c for c in result.json()["checks"] if c["check"] == "logs")
    assert logs["diagnoses"][0]["id"] == "provider-id-mismatch"
    assert read_state(healthy / ".claude" / "omni-scale.local.md")["last_status"]["health"] == (
        "degraded"
    )


def test_provider_not_registered(healthy: Path, cli: Any, fake_omnictl: Any) -> None:
    fake_omnictl.update(resources=[])
    result = cli("--project-dir", healthy, "--json", "provider", "status", "--check", "omni")
    assert result.code == 1
    [omni] = result.json()["checks"]
    assert omni["status"] == "fail"
    assert "omnictl infraprovider create proxmox" in omni["fix"]


def test_a_hanging_probe_is_unknown_and_the_command_returns(
    healthy: Path, cli: Any, fake_docker: Any
) -> None:
    fake_docker.update(hang=["ps"])
    # The deadline leaves the other probes (several omnictl and docker processes each) room on a
    # loaded machine; the hanging one is cut off at it.
    start = time.monotonic()
    result = cli("--project-dir", healthy, "--json", "provider", "status", "--timeout", "4")
    elapsed = time.monotonic() - start
    assert elapsed < 4 + 2.5, elapsed
    found = checks(result)
    assert found["container"] == "unknown"
    assert found["omni"] == "ok" and found["proxmox"] == "ok" and found["ids"] == "ok"
    assert result.code == 1  # degraded, not "cannot check"


def _running(pid: int) -> bool:
    """True while PID exists and is not a zombie (a zombie no longer runs anything)."""
    stat = Path(f"/proc/{pid}/stat")
    if Path("/proc/self/stat").exists():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (FileNotFoundError, ProcessLookupError):
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_no_child_outlives_a_probe_past_its_deadline(
    healthy: Path, cli: Any, fake_docker: Any, tmp_path: Path
) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    # `compose ps` and `compose logs` hang, each with a child of its own (a grandchild of ours)
    fake_docker.update(hang=["ps", "logs"], pid_dir=str(pids))
    result = cli("--project-dir", healthy, "--json", "provider", "status", "--timeout", "3")
    found = checks(result)
    assert found["container"] == "unknown" and found["logs"] == "unknown"
    started = sorted(int(p.name) for p in pids.iterdir())
    assert len(started) == 4, started  # two hanging docker calls and their two children
    assert [pid for pid in started if _running(pid)] == []


def test_nothing_checkable_is_exit_3(provider_project: Any, cli: Any, fake_docker: Any) -> None:
    root = provider_project()
    fake_docker.update(engine="down")  # and no omnictl anywhere
    result = cli(
        "--project-dir",
        root,
        "--json",
        "provider",
        "status",
        "--check",
        "container",
        "--check",
        "omni",
    )
    assert result.code == 3
    assert set(checks(result).values()) == {"unknown"}
    container_check = next(c for c in result.json()["checks"] if c["check"] == "container")
    assert "Docker daemon" in container_check["summary"]


def test_ids_disagree(provider_project: Any, cli: Any) -> None:
    root = provider_project()
    write_class(root, "workers", "Proxmox")
    env = root / ".env"
    env.write_text(
        env.read_text().replace(make_key("infra-provider:proxmox"), make_key("infra-provider:lab"))
    )
    result = cli("--project-dir", root, "--json", "provider", "status", "--check", "ids")
    assert result.code == 1
    [ids] = result.json()["checks"]
    assert ids["status"] == "fail"
    assert "key was created for 'lab'" in ids["summary"]
    assert "providerid 'Proxmox'" in ids["summary"] and "case-sensitive" in ids["summary"]
    assert ids["details"]["keys"] == {"proxmox": "infra-provider:lab"}


def test_one_of_several_providers(provider_project: Any, cli: Any, fake_docker: Any) -> None:
    root = provider_project()
    provider_project(provider_id="lab-2")
    fake_docker.update(
        services=["provider-proxmox", "provider-lab-2"],
        containers=[container("provider-proxmox"), container("provider-lab-2", state="exited")],
    )
    result = cli(
        "--project-dir",
        root,
        "--json",
        "provider",
        "status",
        "--provider",
        "lab-2",
        "--check",
        "container",
    )
    assert result.code == 1
    [check] = result.json()["checks"]
    assert check["provider_id"] == "lab-2" and check["status"] == "fail"
    both = cli("--project-dir", root, "--json", "provider", "status", "--check", "container")
    assert [(c["provider_id"], c["status"]) for c in both.json()["checks"]] == [
        ("proxmox", "ok"),
        ("lab-2", "fail"),
    ]


def test_without_setup(project: Path, cli: Any) -> None:
    result = cli("--project-dir", project, "provider", "status")
    assert result.code == 2
    assert "provider setup" in result.err


def test_a_hanging_omnictl_is_unknown(healthy: Path, cli: Any, fake_omnictl: Any) -> None:
    fake_omnictl.respond(["get"], hang=True)
    start = time.monotonic()
    result = cli("--project-dir", healthy, "--json", "provider", "status", "--timeout", "1.5")
    assert time.monotonic() - start < 1.5 + 2.5
    found = checks(result)
    assert found["omni"] == "unknown"
    assert found["container"] == "ok" and found["logs"] == "ok"
    assert result.code == 1


def test_failing_machine_requests_are_shown_with_diagnosis(
    healthy: Path, cli: Any, fake_omnictl: Any
) -> None:
    fake_omnictl.add(
        machine_request_status(
            "talos-workers-abcdef",
            "talos-workers",
            stage=1,
            status='Running Step: "syncVM" (4/5)',
            error="expression output type is string, expected bool",
        ),
        machine_request_status("other-x", "other", error="boom", provider_id="lab"),
    )
    result = cli("--project-dir", healthy, "--json", "provider", "status", "--check", "omni")
    assert result.code == 0  # a warning: the provider itself is connected
    [omni] = result.json()["checks"]
    assert omni["status"] == "warn"
    assert omni["details"]["failing_requests"] == [
        {
            "id": "talos-workers-abcdef",
            "status": 'Running Step: "syncVM" (4/5)',
            "error": "expression output type is string, expected bool",
        }
    ]
    assert omni["diagnoses"][0]["id"] == "cel-not-bool"


@pytest.mark.parametrize(("age_s", "connected"), [(5, True), (120, False)])
def test_old_omni_without_combined_status_uses_the_heartbeat(
    provider_project: Any, cli: Any, fake_omnictl: Any, age_s: int, connected: bool
) -> None:
    root = provider_project()
    fake_omnictl.respond(
        ["get", "InfraProviderCombinedStatuses.omni.sidero.dev"],
        stderr='Error: resource "InfraProviderCombinedStatuses.omni.sidero.dev" is not '
        "registered\n",
        exit=1,
    )
    fake_omnictl.add(
        resource("InfraProviders.omni.sidero.dev", "proxmox", namespace="infra-provider"),
        resource(
            "InfraProviderHealthStatuses.omni.sidero.dev",
            "proxmox",
            {"lastheartbeattimestamp": {"seconds": int(time.time()) - age_s, "nanos": 0}},
            namespace="infra-provider-ephemeral",
        ),
    )
    result = cli("--project-dir", root, "--json", "provider", "status", "--check", "omni")
    [omni] = result.json()["checks"]
    assert omni["details"]["connected"] is connected
    assert omni["details"]["last_heartbeat"] is not None
    assert omni["status"] == ("ok" if connected else "fail")


def test_token_missing_privileges_is_not_healthy(healthy: Path, cli: Any, fakepve: Any) -> None:
    """The report: a token missing 8 privileges was "healthy" in provider status."""
    fakepve.acl = None  # the fake's ACL table: start over with a role lacking 8 privileges
    fakepve.grant(TOKEN_ID, "/", *WITHOUT_PCI[8:])
    result = cli("--project-dir", healthy, "--json", "provider", "status")
    assert result.code == 1
    data = result.json()
    assert data["health"] != "healthy"
    proxmox = next(c for c in data["checks"] if c["check"] == "proxmox")
    assert proxmox["status"] == "fail" and "8 privilege(s) missing" in proxmox["summary"]
    missing = {row["privilege"] for row in proxmox["details"]["missing"]}
    assert missing == set(WITHOUT_PCI[:8])
    assert "pveum acl modify" in proxmox["fix"]
    assert TOKEN_SECRET not in result.out + result.err
