"""The one resolver every omnictl-using command calls: find omnictl, or install it on first use.

Order: the state file's `omnictl_path`, then PATH, then `${XDG_DATA_HOME:-$HOME/.local}/bin`.
When none is there it is installed into that XDG directory (with consent on a terminal, or
`--yes`), from the Omni server when its URL is known (a version-matched build), else from the
latest GitHub release, and the path is recorded in the state file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from omni_scale.adapters.omnictl.locate import (
    Located,
    default_install_path,
    find_omnictl,
    state_path_problem,
)
from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.adapters.omnictl.version import (
    Compatibility,
    compare,
    query_server_version,
    read_version,
)
from omni_scale.errors import EnvironmentProblem
from omni_scale.project import Project

Note = Callable[[str], None]
Confirm = Callable[[str], bool]


def _quiet(_: str) -> None:
    return None


def _click_confirm(question: str) -> bool:
    import click

    return bool(click.confirm(question, default=True, err=True))


def known_endpoint(project: Project, option: str | None = None) -> tuple[str | None, str | None]:
    """(Omni URL, where it came from): the option, then $OMNI_ENDPOINT, then the state file."""
    from omni_scale.state import read_state

    if option:
        return option, "option"
    if os.environ.get("OMNI_ENDPOINT"):
        return os.environ["OMNI_ENDPOINT"], "OMNI_ENDPOINT"
    value = read_state(project.state_file).get("omni_endpoint")
    if isinstance(value, str) and value.strip():
        return value.strip(), "state"
    return None, None


def state_omnictl_path(project: Project) -> str | None:
    from omni_scale.state import read_state

    value = read_state(project.state_file).get("omnictl_path")
    return value if isinstance(value, str) and value else None


def find_for_project(project: Project, note: Note = _quiet) -> Located | None:
    """`find_omnictl` with the project's state path (relative paths are project-relative)."""
    recorded = state_omnictl_path(project)
    problem = state_path_problem(recorded, project.root)
    if problem:
        note(f"ignoring {problem}")
    return find_omnictl(recorded, project.root)


def check_against_server(path: Path, endpoint: str | None) -> Compatibility:
    """The omnictl at `path` against the Omni server ("unknown" when the server can't be asked)."""
    client = read_version(path)
    server, verdict, why = query_server_version(path, endpoint=endpoint)
    if verdict is not None and verdict.level == "error":
        return verdict
    if server is not None and server.version != "unknown":
        return compare(client, server)
    if verdict is not None:
        return verdict
    return Compatibility("unknown", f"server version not checked: {why}")


def ensure_omnictl(
    project: Project,
    *,
    assume_yes: bool,
    interactive: bool,
    omni_endpoint: str | None = None,
    note: Note = _quiet,
    confirm: Confirm | None = None,
    show_progress: bool = False,
    check_server: bool = False,
    ca_file: str | None = None,
) -> Located:
    """The omnictl to run: found, or installed now (consent: a terminal prompt or `assume_yes`).

    Non-interactive without `assume_yes` raises EnvironmentProblem naming the fix. With
    `check_server` and a known Omni URL, an API-version mismatch raises EnvironmentProblem with
    the command that fixes it, and a minor-version difference is passed to `note`.
    """
    endpoint, _ = known_endpoint(project, omni_endpoint)
    found = find_for_project(project, note)
    if found is None:
        found = _install_first_use(
            project, endpoint, assume_yes, interactive, note, confirm, show_progress, ca_file
        )
    if check_server and endpoint:
        verdict = check_against_server(found.path, endpoint)
        if verdict.level == "error":
            raise EnvironmentProblem(
                f"{found.path}: {verdict.message}", path=None, hint=verdict.hint
            )
        if verdict.level == "warning":
            note(f"warning: {verdict.message} (fix: {verdict.hint})")
    return found


def _install_first_use(
    project: Project,
    endpoint: str | None,
    assume_yes: bool,
    interactive: bool,
    note: Note,
    confirm: Confirm | None,
    show_progress: bool,
    ca_file: str | None,
) -> Located:
    from omni_scale.adapters.omnictl.install import InstallRequest, install_omnictl
    from omni_scale.state import update_state

    target = default_install_path()
    origin = (
        f"the Omni server {endpoint} (its own, version-matched build)"
        if endpoint
        else "the latest GitHub release (sha256-verified)"
    )
    if not assume_yes:
        if not interactive:
            raise EnvironmentProblem(
                "omnictl is not installed (checked the state file's omnictl_path, PATH and "
                f"{target.parent})",
                hint="run: omni-scale omnictl install (or pass --yes to install it on first use)",
            )
        ask = confirm or _click_confirm
        if not ask(f"omnictl is not installed. Download it from {origin} into {target}?"):
            raise EnvironmentProblem(
                "omnictl is needed and was not installed",
                hint="run: omni-scale omnictl install, or put omnictl on PATH",
            )
    note(f"installing omnictl from {origin} ...")
    result = install_omnictl(
        InstallRequest("server" if endpoint else "github", endpoint=endpoint, ca_file=ca_file),
        note=note,
        show_progress=show_progress,
    )
    update_state(project.state_file, {"omnictl_path": str(result.path)})
    note(
        f"installed omnictl {result.version.tag} at {result.path} "
        f"({', '.join(result.verified_by)}); recorded omnictl_path in "
        f"{project.relative(project.state_file)}"
    )
    return Located(result.path, "installed")


def ensure_client(
    project: Project,
    *,
    interactive: bool,
    note: Note | None = None,
    assume_yes: bool = False,
    **kwargs: Any,
) -> Omnictl:
    """The project's omnictl, ready to run, installed on first use with consent (see
    `ensure_omnictl`): asked on a terminal, else only with `assume_yes` (the commands' `--yes`).
    `kwargs` go to `Omnictl` (timeout, endpoint...)."""
    located = ensure_omnictl(
        project, assume_yes=assume_yes, interactive=interactive, note=note or _quiet
    )
    return Omnictl(located.path, **kwargs)
