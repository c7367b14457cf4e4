"""Starting, stopping and waiting for the provider services of the project."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from omni_scale.errors import EXIT_PROBLEMS, InputError, OmniScaleError
from omni_scale.project import Project

if TYPE_CHECKING:
    from omni_scale.adapters.docker import Compose
    from omni_scale.adapters.omnictl.run import Omnictl
    from omni_scale.core.provider.compose import ProviderEntry


def select_providers(project: Project, provider_id: str | None) -> list[ProviderEntry]:
    """The project's provider services (all, or the one with `provider_id`)."""
    import os

    from omni_scale.core.provider.compose import read_providers
    from omni_scale.services.project_files import compose_variables
    from omni_scale.yamlio import read_text_file

    if not project.compose_file.is_file():
        raise InputError(
            f"{project.relative(project.compose_file)} does not exist",
            hint="run: omni-scale provider setup",
        )
    entries = read_providers(
        read_text_file(project.compose_file, what="compose file"),
        path=project.compose_file,
        env=compose_variables(project, os.environ),
    )
    if not entries:
        raise InputError(
            "docker/compose.yaml has no omni-infra-provider-proxmox service",
            path=project.relative(project.compose_file),
            hint="run: omni-scale provider setup",
        )
    if provider_id is None:
        return entries
    chosen = [e for e in entries if e.provider_id == provider_id]
    if not chosen:
        ids = ", ".join(e.provider_id for e in entries)
        raise InputError(
            f"no provider with id {provider_id!r} in docker/compose.yaml (known: {ids})",
            hint="pass one of the known ids to --provider",
        )
    return chosen


@dataclass
class WaitResult:
    provider_id: str
    connected: bool
    waited_s: float
    version: str | None = None
    problem: str | None = None
    diagnoses: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "provider_id": self.provider_id,
            "connected": self.connected,
            "waited_s": round(self.waited_s, 1),
            "version": self.version,
            "problem": self.problem,
            "diagnoses": self.diagnoses,
        }


def crashed(compose: Compose, entry: ProviderEntry) -> tuple[str, list[dict[str, Any]]] | None:
    """(problem, diagnoses) when the provider's container is not running (crash loop, exit)."""
    containers = [c for c in compose.ps([entry.service], timeout=20) if c.service == entry.service]
    if containers and all(c.state == "running" for c in containers):
        return None
    state = ", ".join(f"{c.name} {c.status or c.state}" for c in containers) or "no container"
    return f"container not running ({state})", log_diagnoses(compose, entry)


def log_diagnoses(compose: Compose, entry: ProviderEntry) -> list[dict[str, Any]]:
    """The known errors in the last 50 lines of the provider container's log."""
    from omni_scale.core.diagnosis import diagnose_all
    from omni_scale.core.provider.logs import entry_text, parse_text

    logs = compose.logs([entry.service], tail=50, timeout=20)
    return [d.to_json() for d in diagnose_all(entry_text(e) for e in parse_text(logs))]


def wait_connected(
    omnictl: Omnictl,
    compose: Compose,
    entry: ProviderEntry,
    *,
    timeout: float,
    interval: float = 2.0,
    tick: Callable[[str], None] | None = None,
) -> WaitResult:
    """Poll Omni until it reports the provider connected, or its container stops, or timeout."""
    from omni_scale.adapters.omnictl.provider_view import connection

    start = time.monotonic()
    polls = 0
    while True:
        elapsed = time.monotonic() - start
        view = connection(omnictl, entry.provider_id)
        if view.connected:
            return WaitResult(entry.provider_id, True, elapsed, view.version)
        polls += 1
        if polls % 3 == 0 or elapsed + interval >= timeout:
            broken = crashed(compose, entry)
            if broken is not None and (polls >= 3 or elapsed + interval >= timeout):
                return WaitResult(entry.provider_id, False, elapsed, None, broken[0], broken[1])
        if elapsed + interval >= timeout:
            # Running but never connected: the container's log usually says why.
            try:
                diagnoses = log_diagnoses(compose, entry)
            except OmniScaleError:
                diagnoses = []
            return WaitResult(
                entry.provider_id,
                False,
                elapsed,
                None,
                f"Omni did not report '{entry.provider_id}' connected within {timeout:g}s",
                diagnoses,
            )
        if tick:
            tick(f"waiting for Omni to report '{entry.provider_id}' connected ({elapsed:.0f}s)")
        time.sleep(interval)


def omnictl_for(project: Project) -> Omnictl:
    from omni_scale.adapters.omnictl.run import Omnictl

    return Omnictl.for_project(project.state_file, timeout=20.0)


def not_connected_error(results: list[WaitResult]) -> OmniScaleError:
    bad = [r for r in results if not r.connected]
    first = bad[0]
    hint = (
        first.diagnoses[0]["fix"]
        if first.diagnoses
        else ("see omni-scale provider logs --diagnose and omni-scale provider status")
    )
    return OmniScaleError(
        f"provider '{first.provider_id}': {first.problem}", hint=hint, exit_code=EXIT_PROBLEMS
    )
