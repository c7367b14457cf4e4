"""Shared fixtures: run the CLI in-process or as a real process, in an isolated environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Fixture modules of the test stand-ins (fake omnictl, fake docker, Proxmox fakes), one a file.
pytest_plugins = sorted(
    f"fakes.{p.stem}" for p in (Path(__file__).parent / "fakes").glob("fixtures_*.py")
)

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "homelab"
# Data the tests need, in the repository (see tests/data/README.md for each file's public source).
DATA = REPO / "tests" / "data"
# A few real-world files (each with its source and verdict header) that command tests use.
SAMPLES = DATA / "realworld"
# The whole real-world collection is not in the repository: `$OMNI_SCALE_REALWORLD`, else a
# `shared/realworld` folder beside the checkout. Tests that need it carry the `realworld` marker.
REALWORLD = Path(
    os.environ.get("OMNI_SCALE_REALWORLD") or REPO.parent / "shared" / "realworld"
).resolve()


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def realworld_files(folder: str) -> list[Path]:
    """The real-world files of FOLDER (none when the collection is absent)."""
    return sorted((REALWORLD / folder).glob("*.yaml"))


def realworld_params(files: list[Path], ids: Callable[[Path], str]) -> list[Any]:
    """Parameters over FILES; one placeholder when the collection is absent.

    The placeholder carries no file: `pytest_runtest_setup` skips it (fails it under CI=true)
    with the reason, so an absent collection shows up instead of an empty parameter set.
    """
    if files or REALWORLD.is_dir():
        return [pytest.param(f, id=ids(f)) for f in files]
    return [pytest.param(None, id="realworld-absent")]


def pytest_runtest_setup(item: pytest.Item) -> None:
    """`realworld` tests skip with the reason when the collection is absent, and fail under CI."""
    if item.get_closest_marker("realworld") is None or REALWORLD.is_dir():
        return
    reason = (
        f"the real-world files are absent ({REALWORLD} does not exist; "
        "set OMNI_SCALE_REALWORLD to their folder)"
    )
    if _ci():
        pytest.fail(f"{reason}; CI=true requires them", pytrace=False)
    pytest.skip(reason)


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
