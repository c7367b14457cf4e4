"""Starting, stopping and waiting for the provider services of the project."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from omni_scale.adapters.docker import Compose
from omni_scale.adapters.omnictl.provider_view import connection
from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.core.diagnosis import diagnose_all
from omni_scale.core.provider.compose import ProviderEntry, read_providers
from omni_scale.core.provider.logs import entry_text, parse_text
from omni_scale.errors import EXIT_PROBLEMS, EnvironmentProblem, InputError, OmniScaleError
from omni_scale.project import Project
from omni_scale.services.project_files import compose_variables
from omni_scale.textio import read_text_file


def select_providers(project: Project, provider_id: str | None) -> list[ProviderEntry]:
    """The project's provider services (all, or the one with `provider_id`)."""

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


# -- the use cases: up, restart, down ------------------------------------------------------

# how the caller shows a wait: given a label, a context yielding `tick(message)` (a spinner)
Waiting = Callable[[str], AbstractContextManager[Callable[[str], None]]]


@dataclass
class LifecycleResult:
    action: str  # "up", "restart", "down"
    services: list[str]
    compose_output: list[str]
    waited: bool = False
    providers: list[WaitResult] = field(default_factory=list)

    @property
    def connected(self) -> bool:
        return all(r.connected for r in self.providers)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "action": self.action,
            "services": self.services,
            "compose_output": self.compose_output,
        }
        if self.action != "down":
            data["waited"] = self.waited
            data["providers"] = [r.to_json() for r in self.providers]
        return data


def _lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip()]


def start(
    project: Project,
    action: str,
    provider_id: str | None,
    *,
    timeout: float,
    wait: bool,
    waiting: Waiting,
    note: Callable[[str], None],
) -> LifecycleResult:
    """`docker compose up -d` (or `restart`) the provider services, then, with `wait`, poll
    Omni until each reports connected (one deadline for all), diagnosing a crashed container."""
    entries = select_providers(project, provider_id)
    services = [e.service for e in entries] if provider_id else []
    compose = Compose(project)
    note(f"docker compose {action} {' '.join(services)}".rstrip())
    output = compose.up(services) if action == "up" else compose.restart(services)
    result = LifecycleResult(action, [e.service for e in entries], _lines(output), wait)
    if not wait:
        return result
    try:
        omnictl = omnictl_for(project)
    except EnvironmentProblem as exc:
        raise EnvironmentProblem(
            f"the provider was started, but Omni cannot be asked: {exc.message}",
            hint=(exc.hint or "") + "; or pass --no-wait",
        ) from None
    deadline = time.monotonic() + timeout
    for entry in entries:
        left = max(1.0, deadline - time.monotonic())
        label = f"waiting for Omni to report '{entry.provider_id}' connected"
        try:
            with waiting(label) as tick:
                found = wait_connected(omnictl, compose, entry, timeout=left, tick=tick)
        except OmniScaleError as exc:
            if exc.exit_code == 3:
                raise
            found = WaitResult(entry.provider_id, False, 0.0, None, exc.message)
        result.providers.append(found)
    return result


def stop(project: Project, provider_id: str | None) -> LifecycleResult:
    """`docker compose down`, or for one provider `stop` + `rm` of its services."""
    entries = select_providers(project, provider_id)
    compose = Compose(project)
    if provider_id:
        services = [e.service for e in entries]
        output = compose.stop(services) + compose.rm(services)
    else:
        output = compose.down()
    return LifecycleResult("down", [e.service for e in entries], _lines(output))
