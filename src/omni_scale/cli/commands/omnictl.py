"""`omni-scale omnictl install | which`: a verified omnictl that matches the Omni server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_ENVIRONMENT, EXIT_OK, EXIT_PROBLEMS, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.adapters.omnictl.version import Compatibility


@click.group("omnictl")
def command() -> None:
    """Find or install the official omnictl, verified and matched to your Omni."""


@command.command("install", short_help="Download, verify and install omnictl.")
@click.option("--version", "version", metavar="V", help="Release tag, e.g. v1.10.4 (GitHub).")
@click.option("--from-server", is_flag=True, help="Download the Omni server's own build.")
@click.option("--from-github", is_flag=True, help="Download a GitHub release (default: latest).")
@click.option("--endpoint", metavar="URL", help="Omni URL (default: $OMNI_ENDPOINT, state file).")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Install directory (default: ${XDG_DATA_HOME:-~/.local}/bin).",
)
@click.option("--force", is_flag=True, help="Reinstall or replace an existing omnictl.")
@click.option("-y", "--yes", is_flag=True, help="Replace a different version without asking.")
@click.option("--ca-file", metavar="PEM", help="CA bundle for TLS (also $OMNI_SCALE_CA_FILE).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    metavar="SECONDS",
    default=30.0,
    show_default=True,
    help="Seconds without progress before a download gives up.",
)
@pass_app
def install(
    app: AppContext,
    version: str | None,
    from_server: bool,
    from_github: bool,
    endpoint: str | None,
    directory: Path | None,
    force: bool,
    yes: bool,
    ca_file: str | None,
    timeout: float,
) -> int:
    """Download omnictl, verify it (sha256 / version), install it atomically.

    Source: the Omni server's own build when its URL is known (--endpoint, $OMNI_ENDPOINT or
    the state file's omni_endpoint) and no --version is given; otherwise the GitHub release
    (latest, or --version), checked against the release's sha256sum.txt. Mirrors: set
    $OMNI_SCALE_OMNICTL_BASE_URL (default https://github.com/siderolabs/omni).
    """
    from omni_scale.adapters.omnictl.install import InstallRequest, install_omnictl
    from omni_scale.services.omnictl_ensure import known_endpoint

    if from_server and (from_github or version):
        raise InputError(
            "--from-server cannot be combined with --from-github or --version",
            hint="the server decides the version; drop one of the options",
        )
    url, _ = known_endpoint(app.project, endpoint)
    source = "server" if from_server or (url and not from_github and not version) else "github"
    confirm: Callable[[str], bool] | None = None
    if yes:
        confirm = _always_yes
    elif app.interactive:
        confirm = _ask
    request = InstallRequest(
        source,  # type: ignore[arg-type]
        version=version,
        endpoint=url,
        target_dir=directory,
        force=force,
        ca_file=ca_file,
        timeout=timeout,
    )
    result = install_omnictl(request, note=app.note, show_progress=not app.json, confirm=confirm)
    recorded = _record(app, result.path)
    data = {**result.to_json(), "recorded_in_state": recorded}

    def render(console: Console) -> None:
        verb = {"installed": "Installed", "replaced": "Replaced", "unchanged": "Already installed:"}
        _line(console, f"{verb[result.action]} omnictl {result.version.tag} at {result.path}")
        _line(console, f"  from     {result.url}")
        for check in result.verified_by:
            _line(console, f"  verified {check}")
        if result.action == "unchanged":
            _line(console, "  (same version; --force reinstalls it)")
        if result.previous and result.action == "replaced":
            _line(console, f"  replaced {result.previous.tag}")
        if recorded:
            _line(console, f"  recorded omnictl_path in {app.project.relative(recorded)}")
        _render_compat(console, result.compatibility)

    app.emit(data, render)
    return EXIT_OK


def _line(console: Console, text: str, style: str | None = None) -> None:
    """One line, never wrapped (URLs and paths stay copyable), no markup interpretation."""
    console.print(text, style=style, soft_wrap=True, markup=False, highlight=False)


def _always_yes(_: str) -> bool:
    return True


def _ask(question: str) -> bool:
    return bool(click.confirm(question, default=False, err=True))


def _record(app: AppContext, path: Path) -> Path | None:
    """Record the install in the project's state file, when the project has one."""
    from omni_scale.state import update_state

    state_file = app.project.state_file
    if not state_file.exists():
        return None
    update_state(state_file, {"omnictl_path": str(path)})
    return state_file


@command.command("which", short_help="Show the omnictl in use, its version and origin.")
@click.option("--endpoint", metavar="URL", help="Omni URL (default: $OMNI_ENDPOINT, state file).")
@click.option("--offline", is_flag=True, help="Do not ask the Omni server for its version.")
@pass_app
def which(app: AppContext, endpoint: str | None, offline: bool) -> int:
    """Show the omnictl omni-scale uses: path, version, where it came from.

    Exit 0 found (and compatible or not checked), 1 found but its API version does not match
    the Omni server, 3 none found.
    """
    from omni_scale.adapters.omnictl.locate import default_install_path
    from omni_scale.adapters.omnictl.version import read_version
    from omni_scale.errors import EnvironmentProblem
    from omni_scale.services.omnictl_ensure import (
        check_against_server,
        find_for_project,
        known_endpoint,
    )

    ignored: list[str] = []
    found = find_for_project(app.project, ignored.append)
    searched = ["state file omnictl_path", "PATH", str(default_install_path())]
    if found is None:
        app.emit(
            {"found": False, "searched": searched, "ignored": ignored},
            lambda console: _line(
                console,
                "omnictl not found (searched: " + ", ".join(searched) + ")\n"
                "  install it: omni-scale omnictl install",
            ),
        )
        return EXIT_ENVIRONMENT
    version_error: str | None = None
    try:
        version = read_version(found.path)
    except EnvironmentProblem as exc:
        version, version_error = None, exc.one_line()
    url, url_source = known_endpoint(app.project, endpoint)
    compat: Compatibility | None = None
    if version is not None and url and not offline:
        compat = check_against_server(found.path, url)
    data = {
        "found": True,
        "path": str(found.path),
        "source": found.source,
        "version": version.tag if version else None,
        "api_version": version.api if version else None,
        "error": version_error,
        "endpoint": url,
        "endpoint_source": url_source,
        "compatibility": compat.to_json() if compat else None,
        "ignored": ignored,
    }

    def render(console: Console) -> None:
        _line(console, f"{found.path}")
        _line(console, f"  source   {found.source}")
        if version is not None:
            _line(console, f"  version  {version.tag} (API version {version.api})")
        else:
            _line(console, f"  broken   {version_error}", "red")
        for note in ignored:
            _line(console, f"  ignored  {note}", "yellow")
        _render_compat(console, compat)

    app.emit(data, render)
    if version is None or (compat is not None and compat.level == "error"):
        return EXIT_PROBLEMS
    return EXIT_OK


def _render_compat(console: Console, compat: Compatibility | None) -> None:
    if compat is None:
        return
    style = {"ok": "green", "warning": "yellow", "error": "red", "unknown": "dim"}[compat.level]
    _line(console, f"  server   {compat.message}", style)
    if compat.hint and compat.level in ("warning", "error"):
        _line(console, f"  fix      {compat.hint}")
