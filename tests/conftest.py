"""Shared fixtures: run the CLI in-process or as a real process, in an isolated environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Fixture modules of the test stand-ins (fake omnictl, fake docker, Proxmox fakes), one a file.
pytest_plugins = sorted(
    f"fakes.{p.stem}" for p in (Path(__file__).parent / "fakes").glob("fixtures_*.py")
)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REALWORLD = SHARED / "realworld"
FACTS = SHARED / "facts"
EXAMPLE = REPO / "examples" / "homelab"


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture(autouse=True)
def isolated_env(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """No test sees the developer's HOME, project, omnictl config or proxy settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in (
        "CLAUDE_PROJECT_DIR",
        "OMNICONFIG",
        "OMNI_ENDPOINT",
        "OMNI_SERVICE_ACCOUNT_KEY",
        "SIDERO_SERVICE_ACCOUNT_KEY",
        "OMNI_INFRA_PROVIDER_KEY",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "http_proxy",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    yield


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project directory (a git root)."""
    root = tmp_path / "infra"
    root.mkdir()
    (root / ".git").mkdir()
    return root


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Any:
    """Run `omni-scale ARGS` in-process: cli("lint", "--json") -> Result."""
    from omni_scale.cli.main import main

    def run(*args: str | Path) -> Result:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def cli_proc() -> Any:
    """Run `omni-scale ARGS` as a real process (python -m omni_scale) -> Result."""

    def run(
        *args: str | Path,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        timeout: float = 60,
        input: str | None = None,
    ) -> Result:
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        proc = subprocess.run(
            [sys.executable, "-m", "omni_scale", *[str(a) for a in args]],
            capture_output=True,
            text=True,
            env=full_env,
            cwd=cwd,
            timeout=timeout,
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run
