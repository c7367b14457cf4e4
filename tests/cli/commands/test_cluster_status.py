"""`cluster status` through the fake omnictl on PATH: healthy, scaling up, failed, unreachable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes.fixtures_omnictl import (
    FakeOmnictl,
    cluster_machine_request_status,
    cluster_machine_status,
    cluster_status,
    machine_request_status,
    machine_set_status,
    provider_combined_status,
    provider_health_status,
)

CP, WK = "talos-control-planes", "talos-workers"
DISK_ERROR = 'failed to pick the disk: no matches for the condition "name == \\"ceph-pool\\""'


def healthy(fake: FakeOmnictl) -> None:
    fake.add(
        cluster_status("talos", total=2, healthy=2),
        machine_set_status("talos", CP),
        machine_set_status("talos", WK),
        cluster_machine_status(
            "talos", CP, "uuid-cp", node="talos-cp-1", request_id=f"{CP}-aaaaaa"
        ),
        cluster_machine_status("talos", WK, "uuid-w1", node="talos-w-1", request_id=f"{WK}-bbbbbb"),
        machine_request_status(f"{CP}-aaaaaa", CP, uuid="uuid-cp"),
        machine_request_status(f"{WK}-bbbbbb", WK, uuid="uuid-w1"),
    )


def test_healthy_cluster(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    healthy(fake_omnictl)
    result = cli("cluster", "status", "talos", "--project-dir", project, "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["healthy"] is True
    cluster = data["clusters"][0]
    assert (cluster["phase"], cluster["ready"], cluster["controlplane_ready"]) == (
        "RUNNING",
        True,
        True,
    )
    assert cluster["kubernetes_api_ready"] is True
    assert [m["stage"] for m in cluster["machines"]] == ["RUNNING", "RUNNING"]
    assert cluster["machines"][0]["request"]["status"] == "Provision Complete"
    text = cli("cluster", "status", "talos", "--project-dir", project)
    assert text.code == 0
    assert "talos  RUNNING  healthy" in text.out
    assert "talos-cp-1" in text.out


def test_scaling_up_cluster(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    fake_omnictl.add(
        cluster_status("talos", phase=1, ready=False, total=1, healthy=1, requested=3),
        machine_set_status("talos", CP),
        machine_set_status("talos", WK, phase=1, ready=False, total=0, healthy=0, requested=2),
        cluster_machine_status("talos", CP, "uuid-cp", node="talos-cp-1"),
        machine_request_status(f"{WK}-cccccc", WK, stage=1, status='Running Step: "syncVM" (4/5)'),
        machine_request_status(f"{WK}-dddddd", WK, stage=1, status='Running Step: "pickNode"'),
    )
    result = cli("cluster", "status", "talos", "--project-dir", project, "--json")
    assert result.code == 1
    cluster = result.json()["clusters"][0]
    assert cluster["phase"] == "SCALING_UP"
    assert cluster["summary"] == "scaling up: 1 of 3 machines healthy"
    assert [s["phase"] for s in cluster["machine_sets"]] == ["Running", "ScalingUp"]
    pending = [m for m in cluster["machines"] if m["stage"] == "PROVISIONING"]
    assert len(pending) == 2 and all(m["problem"] is None for m in pending)
    text = cli("cluster", "status", "talos", "--project-dir", project)
    assert text.code == 1 and 'Running Step: "syncVM" (4/5)' in text.out


def test_failed_provisioning_names_the_cause(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    fake_omnictl.add(
        cluster_status("talos", phase=1, ready=False, total=1, healthy=1, requested=2),
        machine_set_status("talos", CP),
        machine_set_status("talos", WK, phase=1, ready=False, total=0, healthy=0, requested=1),
        cluster_machine_status("talos", CP, "uuid-cp", node="talos-cp-1"),
        machine_request_status(
            f"{WK}-eeeeee", WK, stage=1, status='Running Step: "syncVM"', error=DISK_ERROR
        ),
    )
    result = cli("cluster", "status", "talos", "--project-dir", project, "--json")
    assert result.code == 1
    cluster = result.json()["clusters"][0]
    (failed,) = [m for m in cluster["machines"] if m["problem"]]
    assert failed["machine_set"] == WK
    assert failed["problem"]["error"] == DISK_ERROR
    assert failed["problem"]["known_error"] == "storage-no-match"
    assert failed["problem"]["cause"] and failed["problem"]["fix"]
    assert cluster["summary"] == "1 machine(s) failing"
    text = cli("cluster", "status", "talos", "--project-dir", project)
    assert "likely cause:" in text.out and "failed to pick the disk" in text.out


def test_failed_request_stage_is_unhealthy_even_when_sets_look_ready(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    healthy(fake_omnictl)
    fake_omnictl.add(
        machine_request_status(f"{WK}-ffffff", WK, stage=3, status="", error="no nodes available")
    )
    result = cli("cluster", "status", "talos", "--project-dir", project, "--json")
    assert result.code == 1
    assert result.json()["clusters"][0]["healthy"] is False


def test_missing_cluster(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    result = cli("cluster", "status", "ghost", "--project-dir", project, "--json")
    assert result.code == 1
    assert result.json()["clusters"][0]["exists"] is False


def test_all_clusters(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    healthy(fake_omnictl)
    fake_omnictl.add(cluster_status("lab", phase=1, ready=False))
    result = cli("cluster", "status", "--project-dir", project, "--json")
    assert [c["name"] for c in result.json()["clusters"]] == ["lab", "talos"]
    assert result.code == 1


def test_unreachable_omni_exits_3(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    fake_omnictl.set_backend(unreachable="refused")
    result = cli("cluster", "status", "talos", "--project-dir", project, "--json")
    assert result.code == 3
    assert result.json()["error"]["message"].startswith("cannot reach Omni")
    assert "Error: " not in result.json()["error"]["message"]


def test_credentials_refused_exits_3(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    fake_omnictl.set_backend(auth="invalid-signature")
    result = cli("cluster", "status", "talos", "--project-dir", project)
    assert result.code == 3
    assert "invalid signature" in result.err and "hint:" in result.err


def test_watch_stops_when_healthy(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    healthy(fake_omnictl)
    result = cli("cluster", "status", "talos", "--watch", "--project-dir", project)
    assert result.code == 0
    assert "healthy" in result.out


def test_watch_times_out(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    fake_omnictl.add(cluster_status("talos", phase=1, ready=False))
    result = cli(
        "cluster",
        "status",
        "talos",
        "--watch",
        "--timeout",
        "1",
        "--interval",
        "0.3",
        "--project-dir",
        project,
    )
    assert result.code == 1
    assert "not healthy after 1s" in result.err
    polls = [c for c in fake_omnictl.calls() if "ClusterStatuses.omni.sidero.dev" in c["argv"]]
    assert len(polls) >= 2


def test_watch_json_prints_one_document(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    fake_omnictl.add(cluster_status("talos", phase=1, ready=False))
    result = cli(
        "cluster",
        "status",
        "talos",
        "--watch",
        "--timeout",
        "1",
        "--interval",
        "0.5",
        "--project-dir",
        project,
        "--json",
    )
    assert result.code == 1
    assert result.json()["healthy"] is False


# --- ClusterMachineRequestStatuses and the provider's health (omni.md §0.13) --------------------


def scaling_with_pending_requests(fake: FakeOmnictl) -> None:
    """Two worker requests Omni made; no MachineRequestStatus (the provider never picked them)."""
    fake.add(
        cluster_status("talos", phase=1, ready=False, total=1, healthy=1, requested=3),
        machine_set_status("talos", CP),
        machine_set_status("talos", WK, phase=1, ready=False, total=0, healthy=0, requested=2),
        cluster_machine_status("talos", CP, "uuid-cp", node="talos-cp-1"),
        cluster_machine_request_status("talos", WK, f"{WK}-aaaaaa"),
        cluster_machine_request_status("talos", WK, f"{WK}-bbbbbb"),
    )


def test_provider_down_is_the_cause_not_a_bare_count(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    scaling_with_pending_requests(fake_omnictl)
    fake_omnictl.add(
        provider_combined_status("proxmox", connected=False),
        provider_health_status("proxmox", seconds=1_790_000_000),
    )
    result = cli("cluster", "status", "talos", "--project-dir", project, "--json")
    assert result.code == 1
    cluster = result.json()["clusters"][0]
    assert cluster["summary"] == (
        "the provider `proxmox` is not connected (last heartbeat 2026-09-21T14:13:20Z): run "
        "`omni-scale provider status`"
    )
    assert [r["status"] for r in cluster["requests"]] == [
        "Waiting for the infra provider to start provision"
    ] * 2
    assert cluster["requests"][0]["stage"] == "PENDING" and cluster["requests"][0]["waiting"]
    assert cluster["providers"] == [
        {
            "id": "proxmox",
            "registered": True,
            "connected": False,
            "last_heartbeat": "2026-09-21T14:13:20Z",
            "error": None,
        }
    ]
    text = cli("cluster", "status", "talos", "--project-dir", project)
    assert "Waiting for the infra provider to start provision" in text.out
    assert "provider proxmox: is not connected" in text.out
    assert "omni-scale provider status" in text.out


def test_provider_that_never_connected(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    scaling_with_pending_requests(fake_omnictl)
    result = cli("cluster", "status", "talos", "--project-dir", project, "--json")
    cluster = result.json()["clusters"][0]
    assert cluster["summary"] == (
        "the provider `proxmox` has never connected to Omni: run `omni-scale provider status`"
    )


def test_pending_requests_with_a_connected_provider(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    scaling_with_pending_requests(fake_omnictl)
    fake_omnictl.add(provider_combined_status("proxmox", connected=True))
    result = cli("cluster", "status", "talos", "--project-dir", project, "--json")
    cluster = result.json()["clusters"][0]
    assert cluster["summary"] == (
        "2 machine request(s) waiting: Waiting for the infra provider to start provision"
    )


def test_failed_request_is_shown_as_retrying_with_the_diagnosis(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    fake_omnictl.add(
        cluster_status("talos", phase=1, ready=False, total=1, healthy=1, requested=2),
        machine_set_status("talos", CP),
        machine_set_status("talos", WK, phase=1, ready=False, total=0, healthy=0, requested=1),
        cluster_machine_status("talos", CP, "uuid-cp", node="talos-cp-1"),
        cluster_machine_request_status(
            "talos",
            WK,
            f"{WK}-cccccc",
            stage="FAILED",
            status=f"Provision Failed: {DISK_ERROR}",
            error=DISK_ERROR,
        ),
    )
    result = cli("cluster", "status", "talos", "--project-dir", project, "--json")
    assert result.code == 1
    cluster = result.json()["clusters"][0]
    [request] = cluster["requests"]
    assert (request["retrying"], request["retry_interval_s"]) == (True, 60)
    assert request["problem"]["known_error"] == "storage-no-match"
    assert cluster["summary"] == (
        f"1 machine request(s) failed, retried every minute: Provision Failed: {DISK_ERROR}"
    )
    text = cli("cluster", "status", "talos", "--project-dir", project)
    assert "FAILED (retried every minute)" in text.out
    assert "likely cause:" in text.out
