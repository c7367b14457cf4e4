"""`provider up | down | restart`: docker compose, then waiting for Omni."""

from __future__ import annotations

from typing import Any

from fakes.fixtures_omnictl import provider_combined_status


def test_up_waits_until_connected(
    provider_project: Any, cli: Any, fake_docker: Any, fake_omnictl: Any
) -> None:
    root = provider_project()
    fake_omnictl.add(provider_combined_status("proxmox", connected=True))
    result = cli("--project-dir", root, "--json", "provider", "up", "--timeout", "10")
    assert result.code == 0, result.err
    data = result.json()
    assert data["providers"][0]["connected"] is True
    assert data["providers"][0]["version"] == "v0.3.0"
    [argv] = fake_docker.compose_calls("up")
    assert argv[argv.index("up") :] == ["up", "-d"]
    assert "--env-file" in argv and str(root / ".env") in argv


def test_up_not_connected_reports_the_crash_and_its_diagnosis(
    provider_project: Any, cli: Any, fake_docker: Any, fake_omnictl: Any
) -> None:
    root = provider_project()
    fake_omnictl.add(provider_combined_status("proxmox", connected=False))
    fake_docker.update(up_state="restarting")
    fake_docker.set_logs(
        "provider-proxmox",
        ['Error: infra provider with name "proxmox" is not registered in the system'],
    )
    result = cli("--project-dir", root, "--json", "provider", "up", "--timeout", "2")
    assert result.code == 1
    [provider] = result.json()["providers"]
    assert provider["connected"] is False
    assert "container not running" in provider["problem"]
    assert provider["diagnoses"][0]["id"] == "provider-not-registered"
    human = cli("--project-dir", root, "provider", "up", "--timeout", "2")
    assert "NOT connected" in human.out
    assert "omnictl infraprovider create proxmox" in human.out + human.err


def test_up_times_out(provider_project: Any, cli: Any, fake_docker: Any, fake_omnictl: Any) -> None:
    root = provider_project()
    fake_omnictl.add(provider_combined_status("proxmox", connected=False))
    result = cli("--project-dir", root, "--json", "provider", "up", "--timeout", "1")
    assert result.code == 1
    assert "within 1s" in result.json()["providers"][0]["problem"]


def test_up_no_wait_and_one_provider(provider_project: Any, cli: Any, fake_docker: Any) -> None:
    root = provider_project()
    provider_project(provider_id="lab-2")
    fake_docker.update(services=["provider-proxmox", "provider-lab-2"])
    result = cli(
        "--project-dir", root, "--json", "provider", "up", "--provider", "lab-2", "--no-wait"
    )
    assert result.code == 0, result.err
    [argv] = fake_docker.compose_calls("up")
    assert argv[-4:] == ["up", "-d", "--", "provider-lab-2"]


def test_up_without_omnictl_is_exit_3(provider_project: Any, cli: Any, fake_docker: Any) -> None:
    root = provider_project()
    result = cli("--project-dir", root, "provider", "up")
    assert result.code == 3
    assert "--no-wait" in result.err
    assert fake_docker.compose_calls("up")  # it was started all the same


def test_up_without_engine(provider_project: Any, cli: Any, fake_docker: Any) -> None:
    root = provider_project()
    fake_docker.update(engine="down")
    result = cli("--project-dir", root, "provider", "up", "--no-wait")
    assert result.code == 3
    assert "Cannot connect to the Docker daemon" in result.err


def test_restart(provider_project: Any, cli: Any, fake_docker: Any, fake_omnictl: Any) -> None:
    root = provider_project()
    fake_omnictl.add(provider_combined_status("proxmox"))
    result = cli("--project-dir", root, "provider", "restart", "--timeout", "5")
    assert result.code == 0, result.err
    assert "connected to Omni" in result.out
    assert fake_docker.compose_calls("restart")


def test_down_all_and_one(provider_project: Any, cli: Any, fake_docker: Any) -> None:
    root = provider_project()
    provider_project(provider_id="lab-2")
    fake_docker.update(services=["provider-proxmox", "provider-lab-2"])
    one = cli("--project-dir", root, "--json", "provider", "down", "--provider", "lab-2")
    assert one.code == 0, one.err
    assert fake_docker.compose_calls("stop")[0][-1] == "provider-lab-2"
    assert fake_docker.compose_calls("rm")[0][-1] == "provider-lab-2"
    everything = cli("--project-dir", root, "provider", "down")
    assert everything.code == 0
    assert fake_docker.compose_calls("down")


def test_up_timeout_shows_the_diagnosis_from_the_container_log(
    provider_project: Any, cli: Any, fake_docker: Any, fake_omnictl: Any
) -> None:
    """The report: a timeout gave no diagnosis although the running container's log held one."""
    root = provider_project()
    fake_omnictl.add(provider_combined_status("proxmox", connected=False))
    fake_docker.set_logs(
        "provider-proxmox",
        ['Error: resource ID must match the infra provider ID "Proxmox"'],
    )
    result = cli("--project-dir", root, "--json", "provider", "up", "--timeout", "1")
    assert result.code == 1
    [provider] = result.json()["providers"]
    assert "within 1s" in provider["problem"]
    assert [d["id"] for d in provider["diagnoses"]] == ["provider-id-mismatch"]
    human = cli("--project-dir", root, "provider", "up", "--timeout", "1")
    assert "cause:" in human.out and "omnictl infraprovider create" in human.out
