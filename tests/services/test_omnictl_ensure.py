from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from adapters.omnictl.conftest import (  # omnictl fixtures: loopback only, no omnictl on PATH
    asset,
    bare_path,
    github,
    loopback_only,
    sysversion,
    xdg_bin,
)
from omni_scale.errors import EnvironmentProblem
from omni_scale.project import Project
from omni_scale.services.omnictl_ensure import ensure_omnictl, known_endpoint
from omni_scale.state import read_state, update_state

__all__ = ["asset", "bare_path", "github", "loopback_only", "xdg_bin"]


@pytest.fixture
def proj(project: Path) -> Project:
    return Project(project)


def test_found_on_path_needs_no_install(proj: Project, fake_omnictl: Any) -> None:
    located = ensure_omnictl(proj, assume_yes=False, interactive=False)
    assert (located.path, located.source) == (fake_omnictl.path, "PATH")
    assert not proj.state_file.exists()  # nothing recorded for a found binary


def test_non_interactive_without_yes_says_what_to_run(proj: Project, github: Any) -> None:
    with pytest.raises(EnvironmentProblem) as caught:
        ensure_omnictl(proj, assume_yes=False, interactive=False)
    text = caught.value.one_line()
    assert "omni-scale omnictl install" in text and "--yes" in text
    assert github.requests == []


def test_declined_prompt_installs_nothing(proj: Project, github: Any) -> None:
    asked: list[str] = []
    with pytest.raises(EnvironmentProblem, match="was not installed"):
        ensure_omnictl(
            proj, assume_yes=False, interactive=True, confirm=lambda q: asked.append(q) or False
        )
    assert "latest GitHub release" in asked[0]
    assert github.requests == []


def test_first_use_installs_from_github_and_records_the_path(
    proj: Project, github: Any, omnictl_build: Any, asset: str, xdg_bin: Path
) -> None:
    github.add_release("v1.12.1", {asset: omnictl_build("v1.12.1")})
    github.set_latest("v1.12.1")
    notes: list[str] = []
    located = ensure_omnictl(
        proj, assume_yes=False, interactive=True, confirm=lambda q: True, note=notes.append
    )
    assert (located.path, located.source) == (xdg_bin / "omnictl", "installed")
    assert read_state(proj.state_file)["omnictl_path"] == str(xdg_bin / "omnictl")
    again = ensure_omnictl(proj, assume_yes=False, interactive=False)
    assert (again.path, again.source) == (xdg_bin / "omnictl", "state")
    assert any("recorded omnictl_path" in n for n in notes)


def test_first_use_with_known_endpoint_takes_the_servers_build(
    proj: Project, release_server: Any, omnictl_build: Any, asset: str
) -> None:
    update_state(proj.state_file, {"omni_endpoint": release_server.url})
    release_server.add_server_binary(
        asset, omnictl_build("v1.10.4", resources=[sysversion("1.10.4")])
    )
    located = ensure_omnictl(proj, assume_yes=True, interactive=False)
    assert located.source == "installed"
    assert release_server.requests == [f"/api/omnictl/{asset}"]


def test_endpoint_precedence(proj: Project, monkeypatch: Any) -> None:
    assert known_endpoint(proj) == (None, None)
    update_state(proj.state_file, {"omni_endpoint": "https://state.example"})
    assert known_endpoint(proj) == ("https://state.example", "state")
    monkeypatch.setenv("OMNI_ENDPOINT", "https://env.example")
    assert known_endpoint(proj) == ("https://env.example", "OMNI_ENDPOINT")
    assert known_endpoint(proj, "https://opt.example") == ("https://opt.example", "option")


def test_api_mismatch_with_the_server_is_an_error_with_the_fix(
    proj: Project, fake_omnictl: Any
) -> None:
    fake_omnictl.add(sysversion("1.11.0", 3))
    fake_omnictl.set_backend(version="1.11.0", api_version=3)
    with pytest.raises(EnvironmentProblem) as caught:
        ensure_omnictl(
            proj,
            assume_yes=False,
            interactive=False,
            omni_endpoint="https://omni.test",
            check_server=True,
        )
    text = caught.value.one_line()
    assert "API version" in text
    assert "omni-scale omnictl install --force --from-server" in text


def test_minor_difference_is_only_a_warning(proj: Project, fake_omnictl: Any) -> None:
    fake_omnictl.add(sysversion("1.9.3", 2))
    fake_omnictl.set_backend(version="1.9.3", api_version=2)
    notes: list[str] = []
    located = ensure_omnictl(
        proj,
        assume_yes=False,
        interactive=False,
        omni_endpoint="https://omni.test",
        check_server=True,
        note=notes.append,
    )
    assert located.source == "PATH"
    assert any(n.startswith("warning:") and "v1.9.3" in n for n in notes)


def test_broken_state_path_falls_back_and_says_so(proj: Project, fake_omnictl: Any) -> None:
    update_state(proj.state_file, {"omnictl_path": "/gone/omnictl"})
    notes: list[str] = []
    located = ensure_omnictl(proj, assume_yes=False, interactive=False, note=notes.append)
    assert located.source == "PATH"
    assert any("/gone/omnictl" in n and "does not exist" in n for n in notes)
