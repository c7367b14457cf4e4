"""The `fake_docker` fixture: a fake `docker` (with the compose plugin) first on PATH.

    def test_x(fake_docker):
        fake_docker.update(containers=[container("provider-proxmox")])
        fake_docker.set_logs("provider-proxmox", ['{"level":"info","msg":"starting"}'])
        ... run the code under test ...
        assert fake_docker.calls()[-1]["argv"][:1] == ["compose"]

The scenario format is documented in tests/fakes/fake_docker.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fakes.wrapper import install_wrapper

FAKE = Path(__file__).with_name("fake_docker.py")


def container(
    service: str = "provider-proxmox",
    *,
    state: str = "running",
    health: str = "",
    restarts: int = 0,
    image: str = "ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0",
    status: str | None = None,
    started_at: str = "2026-11-25T19:00:00.000000000Z",
    exit_code: int = 0,
) -> dict[str, Any]:
    return {
        "Service": service,
        "State": state,
        "Health": health,
        "RestartCount": restarts,
        "Image": image,
        "Status": status or ("Up 5 minutes" if state == "running" else f"Exited ({exit_code})"),
        "StartedAt": started_at,
        "ExitCode": exit_code,
    }


@dataclass
class FakeDocker:
    scenario_file: Path
    bin_dir: Path

    def load(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.scenario_file.read_text())
        return data

    def save(self, scenario: dict[str, Any]) -> None:
        self.scenario_file.write_text(json.dumps(scenario, indent=2))

    def update(self, **keys: Any) -> None:
        scenario = self.load()
        scenario.update(keys)
        self.save(scenario)

    def set_logs(self, service: str, lines: list[str]) -> None:
        scenario = self.load()
        scenario.setdefault("logs", {})[service] = lines
        self.save(scenario)

    def calls(self) -> list[dict[str, Any]]:
        log = Path(str(self.scenario_file) + ".calls.jsonl")
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]

    def compose_calls(self, sub: str) -> list[list[str]]:
        """argv of the `docker compose ... <sub>` calls."""
        found = []
        for call in self.calls():
            argv = call["argv"]
            if argv[:1] == ["compose"] and sub in argv:
                found.append(argv)
        return found


def install_fake_docker(directory: Path, scenario: dict[str, Any] | None = None) -> FakeDocker:
    scenario_file, bin_dir = install_wrapper(
        directory, "docker", FAKE, scenario, "FAKE_DOCKER_SCENARIO"
    )
    return FakeDocker(scenario_file, bin_dir)


@pytest.fixture
def fake_docker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDocker]:
    """A fake `docker` first on PATH: engine running, compose v2.29.7, no containers."""
    fake = install_fake_docker(tmp_path / "fake-docker")
    monkeypatch.setenv("PATH", f"{fake.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    yield fake
