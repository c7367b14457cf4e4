"""The docker compose adapter against the fake `docker` on PATH (real output formats)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_docker import container
from omni_scale.adapters.docker import Compose, parse_docker_time, parse_ps_json
from omni_scale.errors import EnvironmentProblem, InputError, OmniScaleError
from omni_scale.project import Project


@pytest.fixture
def compose_project(project: Path) -> Project:
    (project / "docker").mkdir()
    (project / "docker" / "compose.yaml").write_text("services: {}\n")
    (project / ".env").write_text("OMNI_ENDPOINT=https://omni.example.com\n")
    return Project(project)


def test_argv_names_the_compose_file_and_env_file(
    compose_project: Project, fake_docker: Any
) -> None:
    argv = Compose(compose_project).argv("ps")
    assert argv[1:] == [
        "compose",
        "-f",
        str(compose_project.compose_file),
        "--env-file",
        str(compose_project.env_file),
        "ps",
    ]


@pytest.mark.parametrize("version", ["2.29.7", "2.20.2"])  # JSON lines vs one JSON array
def test_ps_reads_both_json_forms(compose_project: Project, fake_docker: Any, version: str) -> None:
    fake_docker.update(
        compose_version=version,
        containers=[container(restarts=3, health="healthy")],
    )
    [found] = Compose(compose_project).ps()
    assert found.service == "provider-proxmox"
    assert found.name == "docker-provider-proxmox-1"
    assert found.state == "running"
    assert found.health == "healthy"
    assert found.restarts == 3
    assert found.started_at == dt.datetime(2026, 11, 25, 19, 0, tzinfo=dt.UTC)
    assert found.image is not None and found.image.endswith(":v0.3.0")


def test_ps_lists_stopped_containers(compose_project: Project, fake_docker: Any) -> None:
    fake_docker.update(containers=[container(state="exited", exit_code=1)])
    [found] = Compose(compose_project).ps()
    assert (found.state, found.exit_code) == ("exited", 1)
    assert found.uptime_seconds() is None


def test_daemon_down_is_an_environment_problem(compose_project: Project, fake_docker: Any) -> None:
    fake_docker.update(engine="down")
    with pytest.raises(EnvironmentProblem, match="Docker daemon is not running"):
        Compose(compose_project).ps()


@pytest.mark.parametrize("garbage", ["}{ \x00 garbage\n", "[" * 100_000 + "\n"])
def test_garbage_from_ps_is_an_environment_problem(
    compose_project: Project, fake_docker: Any, garbage: str
) -> None:
    fake_docker.update(fail={"ps": {"stdout": garbage, "exit": 0}})
    with pytest.raises(EnvironmentProblem, match="docker compose ps printed invalid JSON") as info:
        Compose(compose_project).ps()
    assert info.value.exit_code == 3 and "\n" not in info.value.one_line()


def test_no_such_service(compose_project: Project, fake_docker: Any) -> None:
    with pytest.raises(InputError, match="no such service: nope"):
        Compose(compose_project).up(["nope"])


def test_missing_plugin_without_standalone_binary(
    compose_project: Project, fake_docker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_docker.update(compose_plugin=False)
    monkeypatch.setenv("PATH", str(fake_docker.bin_dir))  # no docker-compose either
    with pytest.raises(EnvironmentProblem, match="Compose plugin is not"):
        Compose(compose_project).ps()


def test_standalone_docker_compose_is_the_fallback(
    compose_project: Project, fake_docker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from fakes.fixtures_docker import FAKE

    fake_docker.update(compose_plugin=False, containers=[container()])
    standalone = fake_docker.bin_dir / "docker-compose"
    standalone.write_text(
        "#!/bin/sh\n"
        f"FAKE_DOCKER_STANDALONE=1 FAKE_DOCKER_SCENARIO='{fake_docker.scenario_file}' "
        f"exec '{sys.executable}' "
        f"'{FAKE}' compose \"$@\"\n"
    )
    standalone.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake_docker.bin_dir))
    compose = Compose(compose_project)
    assert compose.base == [str(standalone)]
    assert [c.service for c in compose.ps()] == ["provider-proxmox"]


def test_docker_compose_v1_lists_through_inspect(
    compose_project: Project, fake_docker: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from fakes.fixtures_docker import FAKE

    fake_docker.update(
        compose_plugin=False, compose_version="1.29.2", containers=[container(restarts=2)]
    )
    standalone = fake_docker.bin_dir / "docker-compose"
    standalone.write_text(
        "#!/bin/sh\n"
        f"FAKE_DOCKER_STANDALONE=1 FAKE_DOCKER_SCENARIO='{fake_docker.scenario_file}' "
        f"exec '{sys.executable}' '{FAKE}' compose \"$@\"\n"
    )
    standalone.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake_docker.bin_dir))
    compose = Compose(compose_project)
    assert compose.legacy
    [found] = compose.ps()
    assert (found.service, found.state, found.restarts) == ("provider-proxmox", "running", 2)
    assert not fake_docker.compose_calls("--format")


@pytest.mark.needs_docker_compose
@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose missing")
def test_real_docker_compose_v1_without_engine(
    compose_project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    compose_bin = shutil.which("docker-compose")
    assert compose_bin is not None
    only = tmp_path / "only-compose"
    only.mkdir()
    (only / "docker-compose").symlink_to(compose_bin)
    monkeypatch.setenv("PATH", f"{only}:/usr/bin:/bin")
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-such.sock")
    from omni_scale.core.provider.compose import ProviderSpec, merge_provider

    compose_project.compose_file.write_text(merge_provider(None, ProviderSpec("proxmox")))
    compose_project.env_file.write_text(
        "OMNI_ENDPOINT=https://omni.example.com\nOMNI_INFRA_PROVIDER_KEY=x\n"
    )
    compose = Compose(compose_project)
    if compose.base[-1] == "compose":
        pytest.skip("a docker with the compose plugin is installed in /usr/bin")
    if not compose.legacy:
        pytest.skip("docker-compose is not v1")
    with pytest.raises(EnvironmentProblem, match="Docker daemon is not running"):
        compose.ps()


def test_no_docker_at_all(
    compose_project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(EnvironmentProblem, match="docker not found"):
        Compose(compose_project).ps()


def test_up_then_ps_then_down(compose_project: Project, fake_docker: Any) -> None:
    compose = Compose(compose_project)
    assert "Started" in compose.up(["provider-proxmox"])
    assert [c.state for c in compose.ps()] == ["running"]
    assert "Removed" in compose.down()
    assert compose.ps() == []


def test_logs_with_tail(compose_project: Project, fake_docker: Any) -> None:
    fake_docker.set_logs("provider-proxmox", ["one", "two", "three"])
    text = Compose(compose_project).logs(["provider-proxmox"], tail=2)
    assert text.splitlines() == [
        "docker-provider-proxmox-1  | two",
        "docker-provider-proxmox-1  | three",
    ]
    [argv] = fake_docker.compose_calls("logs")
    assert argv[-5:] == ["--no-color", "--tail", "2", "--", "provider-proxmox"]


def test_follow_logs_streams_lines(compose_project: Project, fake_docker: Any) -> None:
    fake_docker.set_logs("provider-proxmox", ["a", "b"])
    lines = list(Compose(compose_project).follow_logs(["provider-proxmox"]))
    assert [line.rstrip("\n").split("| ")[1] for line in lines] == ["a", "b"]


def test_a_failing_up_carries_the_diagnosis(compose_project: Project, fake_docker: Any) -> None:
    fake_docker.update(
        fail={"up": {"stderr": "required variable OMNI_INFRA_PROVIDER_KEY is missing a value\n"}}
    )
    with pytest.raises(OmniScaleError) as info:
        Compose(compose_project).up()
    assert "missing a value" in info.value.message
    assert "provider setup" in (info.value.hint or "")


def test_timeout_of_a_hanging_compose(compose_project: Project, fake_docker: Any) -> None:
    fake_docker.update(hang=["ps"])
    with pytest.raises(EnvironmentProblem, match=r"did not finish within 0\.5s"):
        Compose(compose_project).ps(timeout=0.5)


def test_missing_compose_file(project: Path, fake_docker: Any) -> None:
    with pytest.raises(InputError, match=r"docker/compose\.yaml does not exist"):
        Compose(Project(project)).ps()


def test_parsers() -> None:
    assert parse_ps_json("") == []
    assert parse_ps_json('[{"Name": "a"}]') == [{"Name": "a"}]
    assert parse_ps_json('{"Name": "a"}\n{"Name": "b"}\n') == [{"Name": "a"}, {"Name": "b"}]
    assert parse_docker_time("0001-01-01T00:00:00Z") is None
    assert parse_docker_time("2026-11-25T19:00:00.123456789Z") == dt.datetime(
        2026, 11, 25, 19, 0, 0, 123456, tzinfo=dt.UTC
    )
