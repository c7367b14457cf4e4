"""`provider status`: independent probes, run concurrently, each with its own deadline.

Probes per provider: the container (docker compose ps + inspect), Omni's view (omnictl), the
Proxmox API (httpx), recent log errors with their diagnosis; plus one project-wide check that
the provider id agrees everywhere. A probe that has not answered by its deadline is reported
`unknown`; the others still report, and the command returns within the timeout plus a small
margin (probes run in daemon threads; their child processes carry the same deadline and are
killed, with their whole process group, when it has passed).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from omni_scale.adapters.docker import Compose
from omni_scale.adapters.omnictl.provider_view import full_view
from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.adapters.process import ProcessGroup
from omni_scale.adapters.proxmox.live import check_proxmox
from omni_scale.core.diagnosis import diagnose_all
from omni_scale.core.placement.release import resolve_release
from omni_scale.core.provider.env_file import parse_env
from omni_scale.core.provider.logs import entry_text, parse_text
from omni_scale.core.provider.setup import key_identity
from omni_scale.errors import EXIT_ENVIRONMENT, EXIT_OK, EXIT_PROBLEMS, InputError, OmniScaleError
from omni_scale.project import Project
from omni_scale.services.project_files import (
    load_machine_classes,
    load_provider_config,
    loadable_machine_classes,
    read_unstamped,
)
from omni_scale.services.provider_lifecycle import select_providers
from omni_scale.services.proxmox_check import (
    check_sync,
    grant_commands,
    grant_hint,
)
from omni_scale.state import now_iso, read_state, update_state

if TYPE_CHECKING:
    from omni_scale.core.provider.compose import ProviderEntry

OK, WARN, FAIL, UNKNOWN, SKIPPED = "ok", "warn", "fail", "unknown", "skipped"
JOIN_MARGIN_S = 1.0
REAP_S = 0.5
LOG_TAIL = 200


@dataclass
class Probe:
    check: str
    provider_id: str | None
    status: str
    summary: str
    details: dict[str, Any] = field(default_factory=dict)
    diagnoses: list[dict[str, Any]] = field(default_factory=list)
    fix: str | None = None
    duration_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "provider_id": self.provider_id,
            "status": self.status,
            "summary": self.summary,
            "fix": self.fix,
            "details": self.details,
            "diagnoses": self.diagnoses,
            "duration_s": round(self.duration_s, 2),
        }


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self, floor: float = 0.2) -> float:
        return max(floor, self.end - time.monotonic())


ProbeFn = Callable[[Deadline], Probe]


def run_probes(
    jobs: list[tuple[str, str | None, ProbeFn]], timeout: float, started: float | None = None
) -> list[Probe]:
    """Run every job in its own daemon thread; unfinished ones become `unknown`.

    The timeout counts from `started` (a `time.monotonic()`; default now): a command that
    spent some of it loading its modules still answers within its --timeout.

    The programs the probes start belong to one ProcessGroup: once the deadline (plus the join
    margin) has passed, whatever still runs is killed with its whole process group, so no
    `docker compose` or `omnictl` outlives the command.
    """
    results: dict[int, Probe] = {}
    threads: list[threading.Thread] = []
    started = time.monotonic() if started is None else started
    group = ProcessGroup()

    def runner(index: int, check: str, provider_id: str | None, fn: ProbeFn) -> None:
        t0 = time.monotonic()
        try:
            with group.enter():
                probe = fn(Deadline(max(0.0, started + timeout - time.monotonic())))
        except OmniScaleError as exc:
            status = UNKNOWN if exc.exit_code == EXIT_ENVIRONMENT else FAIL
            where = exc.location()
            summary = f"{where}: {exc.message}" if where else exc.message
            probe = Probe(check, provider_id, status, summary, fix=exc.hint)
        except Exception as exc:  # a bug in a probe must not take the others down
            probe = Probe(
                check, provider_id, UNKNOWN, f"internal error: {type(exc).__name__}: {exc}"
            )
        probe.duration_s = time.monotonic() - t0
        results[index] = probe

    for index, (check, provider_id, fn) in enumerate(jobs):
        thread = threading.Thread(
            target=runner, args=(index, check, provider_id, fn), daemon=True, name=check
        )
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(max(0.0, started + timeout + JOIN_MARGIN_S - time.monotonic()))
    finished = dict(results)  # what answered in time; later answers are not used
    if group.close():
        # the killed programs' threads reap them and end; wait briefly so none is left a zombie
        reap_end = time.monotonic() + REAP_S
        for thread in threads:
            thread.join(max(0.0, reap_end - time.monotonic()))
    out: list[Probe] = []
    for index, (check, provider_id, _fn) in enumerate(jobs):
        probe = finished.get(index)
        if probe is None:
            probe = Probe(
                check,
                provider_id,
                UNKNOWN,
                f"no answer within {timeout:g}s",
                fix="run the check again with a longer --timeout, or see -v",
                duration_s=time.monotonic() - started,
            )
        out.append(probe)
    return out


# -- probes --------------------------------------------------------------------------


def container_probe(project: Project, entry: ProviderEntry) -> ProbeFn:
    def probe(deadline: Deadline) -> Probe:
        compose = Compose(project, timeout=deadline.remaining())
        found = [c for c in compose.ps([entry.service], timeout=deadline.remaining())]
        found = [c for c in found if c.service in (entry.service, "")]
        if not found:
            return Probe(
                "container",
                entry.provider_id,
                FAIL,
                f"no container for service {entry.service}",
                fix="omni-scale provider up",
            )
        c = found[0]
        details = c.to_json()
        if c.state != "running":
            return Probe(
                "container",
                entry.provider_id,
                FAIL,
                f"{c.name} is {c.state} ({c.status})",
                details,
                fix="see omni-scale provider logs --diagnose; then omni-scale provider up",
            )
        problems = []
        if c.health == "unhealthy":
            problems.append("unhealthy")
        if c.restarts:
            problems.append(f"restarted {c.restarts} times")
        if entry.image and c.image and c.image != entry.image:
            problems.append(f"runs {c.image}, compose says {entry.image}")
        uptime = c.uptime_seconds()
        text = f"{c.name} running" + (f", up {_duration(uptime)}" if uptime is not None else "")
        if problems:
            return Probe(
                "container",
                entry.provider_id,
                WARN,
                f"{text}; {'; '.join(problems)}",
                details,
                fix="omni-scale provider up (recreates a container whose image changed)"
                if any("compose says" in p for p in problems)
                else "see omni-scale provider logs --diagnose",
            )
        return Probe("container", entry.provider_id, OK, text, details)

    return probe


def omni_probe(project: Project, entry: ProviderEntry) -> ProbeFn:
    def probe(deadline: Deadline) -> Probe:
        omnictl = Omnictl.for_project(project.state_file, timeout=deadline.remaining())
        view = full_view(_DeadlineOmnictl(omnictl, deadline), entry.provider_id)  # type: ignore[arg-type]
        details = view.to_json()
        if view.registered is False:
            return Probe(
                "omni",
                entry.provider_id,
                FAIL,
                f"Omni has no infra provider '{entry.provider_id}'",
                details,
                fix=f"an Omni admin runs: omnictl infraprovider create {entry.provider_id} "
                "(or: omni-scale provider setup --create-key)",
            )
        if not view.connected:
            return Probe(
                "omni",
                entry.provider_id,
                FAIL,
                "registered, not connected" if view.initialized else "registered, never started",
                details,
                fix="omni-scale provider up; then omni-scale provider logs --diagnose",
            )
        text = "connected" + (f", version {view.version}" if view.version else "")
        failing = _failing_requests(omnictl, entry.provider_id, deadline)
        details["failing_requests"] = failing
        if view.error or failing:
            errors = [view.error] if view.error else []
            errors += [f"{r['id']}: {r['error']}" for r in failing]
            found = diagnose_all(errors)
            return Probe(
                "omni",
                entry.provider_id,
                WARN,
                f"{text}; error: {errors[0][:200]}"
                + (f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""),
                details,
                [d.to_json() for d in found],
                fix=found[0].fix if found else "omni-scale provider logs --diagnose",
            )
        return Probe("omni", entry.provider_id, OK, text, details)

    return probe


def _failing_requests(omnictl: Any, provider_id: str, deadline: Deadline) -> list[dict[str, Any]]:
    """Machine requests of this provider whose status carries an error (Omni clears it at
    every retry, so this is a snapshot)."""
    omnictl.timeout = deadline.remaining()
    items = omnictl.get(
        "MachineRequestStatuses.omni.sidero.dev",
        namespace="infra-provider",
        selector=f"omni.sidero.dev/infra-provider-id={provider_id}",
    )
    failing = []
    for item in items:
        spec = item.get("spec") if isinstance(item.get("spec"), dict) else {}
        assert isinstance(spec, dict)
        error = str(spec.get("error") or "")
        if error or spec.get("stage") == 3:
            metadata = item.get("metadata") if isinstance(item.get("metadata"), dict) else {}
            assert isinstance(metadata, dict)
            failing.append(
                {
                    "id": str(metadata.get("id", "")),
                    "status": spec.get("status"),
                    "error": error or "FAILED",
                }
            )
    return failing


class _DeadlineOmnictl:
    """An Omnictl whose every call gets the time left before the probe's deadline."""

    def __init__(self, omnictl: Any, deadline: Deadline) -> None:
        self._omnictl = omnictl
        self._deadline = deadline

    def get(self, *args: Any, **kwargs: Any) -> Any:
        self._omnictl.timeout = self._deadline.remaining()
        return self._omnictl.get(*args, **kwargs)


def proxmox_probe(project: Project, entry: ProviderEntry) -> ProbeFn:
    def probe(deadline: Deadline) -> Probe:

        config_path = project.compose_file.parent / (entry.config_name or "config.yaml")
        if not config_path.is_file():
            return Probe(
                "proxmox",
                entry.provider_id,
                FAIL,
                f"{project.relative(config_path)} does not exist",
                fix="omni-scale provider setup",
            )
        config = load_provider_config(config_path)
        if config.auth_mode == "none":
            return Probe(
                "proxmox",
                entry.provider_id,
                FAIL,
                "no credentials in the config (every call would get 401 No ticket)",
                {"url": config.url},
                fix="set tokenID and tokenSecret (omni-scale provider setup)",
            )
        result = check_proxmox(config, timeout=deadline.remaining())
        details: dict[str, Any] = {"url": config.url, "auth": config.auth_mode, **result}
        text = f"reachable, PVE {result.get('version')}, {len(result.get('nodes') or [])} node(s)"
        # The privilege audit of `proxmox check`: a token that lacks rights is not healthy.
        report = check_sync(
            config,
            entry.provider_id,
            loadable_machine_classes(project),
            provider_version=resolve_release(entry.image),
            timeout=deadline.remaining(),
        )
        details["missing"] = [r.to_json() for r in report.missing]
        details["grant"] = grant_commands(report)
        if not report.ok:
            errors = [p.message for p in report.problems if p.severity == "error"]
            what = [f"{len(report.missing)} privilege(s) missing"] if report.missing else []
            return Probe(
                "proxmox",
                entry.provider_id,
                FAIL,
                f"{text}; " + "; ".join(what + errors),
                details,
                fix=grant_hint(report) or "see omni-scale proxmox check",
            )
        if config.auth_mode == "password" or config.insecure_skip_verify:
            why = []
            if config.auth_mode == "password":
                why.append("password auth (2 h ticket, prefer a token)")
            if config.insecure_skip_verify:
                why.append("insecureSkipVerify: true")
            return Probe("proxmox", entry.provider_id, WARN, f"{text}; {', '.join(why)}", details)
        return Probe("proxmox", entry.provider_id, OK, text, details)

    return probe


def logs_probe(project: Project, entry: ProviderEntry) -> ProbeFn:
    def probe(deadline: Deadline) -> Probe:
        compose = Compose(project, timeout=deadline.remaining())
        text = compose.logs([entry.service], tail=LOG_TAIL, timeout=deadline.remaining())
        entries = parse_text(text)
        errors = [e for e in entries if e.is_error]
        found = diagnose_all(entry_text(e) for e in errors)
        details = {
            "lines": len(entries),
            "errors": len(errors),
            "recent_errors": [e.to_json() for e in errors[-5:]],
        }
        if not errors:
            return Probe(
                "logs", entry.provider_id, OK, f"no errors in the last {LOG_TAIL} lines", details
            )
        last = errors[-1]
        summary = f"{len(errors)} error line(s); last: {(last.error or last.message)[:160]}"
        return Probe(
            "logs",
            entry.provider_id,
            WARN,
            summary,
            details,
            [d.to_json() for d in found],
            fix=found[0].fix if found else "omni-scale provider logs --diagnose",
        )

    return probe


def ids_probe(project: Project, entries: list[ProviderEntry]) -> ProbeFn:
    def probe(deadline: Deadline) -> Probe:
        ids = [e.provider_id for e in entries]
        problems: list[str] = []
        fixes: list[str] = []
        env = parse_env(read_unstamped(project.env_file) or "")
        keys: dict[str, str | None] = {}
        for entry in entries:
            key = env.get(entry.key_variable or "")
            if not key:
                keys[entry.provider_id] = None
                problems.append(f"{entry.key_variable or 'the key variable'} is not set in .env")
                fixes.append("omni-scale provider setup --key-file FILE (or --create-key)")
                continue
            name = key_identity(key)
            keys[entry.provider_id] = name
            if name and name.startswith("infra-provider:"):
                if name.split(":", 1)[1] != entry.provider_id:
                    problems.append(
                        f"service {entry.service} runs --id={entry.provider_id} but its key was "
                        f"created for '{name.split(':', 1)[1]}'"
                    )
                    fixes.append(
                        f"set --id={name.split(':', 1)[1]} or create a key for {entry.provider_id}"
                    )
            elif name:
                problems.append(
                    f"{entry.key_variable} holds the key of service account "
                    f"'{name}', not of an infra provider"
                )
                fixes.append(f"omnictl infraprovider create {entry.provider_id}")
        classes: dict[str, str | None] = {}
        if project.machine_classes_dir.is_dir():
            try:
                for mc in load_machine_classes([project.machine_classes_dir]):
                    classes[mc.id] = mc.providerid
            except InputError as exc:
                problems.append(f"machine classes unreadable: {exc.one_line()}")
        for class_id, providerid in sorted(classes.items()):
            if providerid is not None and providerid not in ids:
                near = [i for i in ids if i.lower() == providerid.lower()]
                problems.append(
                    f"machine class {class_id} uses providerid '{providerid}', the project runs "
                    f"{', '.join(repr(i) for i in ids)}"
                    + (" (ids are case-sensitive)" if near else "")
                )
                fixes.append(f"set providerid: {near[0] if near else ids[0]} in {class_id}")
        try:
            state_id = read_state(project.state_file).get("provider_id")
        except InputError:
            state_id = None
        if state_id and state_id not in ids:
            problems.append(f"state provider_id '{state_id}' is not run by docker/compose.yaml")
            fixes.append(f"omni-scale state set provider_id={ids[0]}")
        details = {
            "compose": {e.service: e.provider_id for e in entries},
            "keys": keys,
            "machine_classes": classes,
            "state": state_id,
        }
        if problems:
            return Probe("ids", None, FAIL, "; ".join(problems), details, fix="; ".join(fixes))
        return Probe("ids", None, OK, f"provider id(s) agree: {', '.join(ids)}", details)

    return probe


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds}s"
    if seconds < 7200:
        return f"{seconds // 60}m"
    if seconds < 172800:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


# -- the whole status ----------------------------------------------------------------

CORE_CHECKS = ("container", "omni")


def collect(
    project: Project,
    entries: list[ProviderEntry],
    *,
    timeout: float,
    checks: tuple[str, ...] = ("container", "omni", "proxmox", "logs", "ids"),
    started: float | None = None,
) -> list[Probe]:
    """Every check of every provider, concurrently; `timeout` counts from `started`."""
    makers = {
        "container": container_probe,
        "omni": omni_probe,
        "proxmox": proxmox_probe,
        "logs": logs_probe,
    }
    jobs: list[tuple[str, str | None, ProbeFn]] = []
    for entry in entries:
        for check in checks:
            if check in makers:
                jobs.append((check, entry.provider_id, makers[check](project, entry)))
    if "ids" in checks:
        jobs.append(("ids", None, ids_probe(project, entries)))
    return run_probes(jobs, timeout, started)


def exit_code(probes: list[Probe]) -> int:
    """0 healthy; 1 degraded (a failure, or a check without answer); 3 nothing could be checked."""
    core = [p for p in probes if p.check in CORE_CHECKS]
    if core and all(p.status == UNKNOWN for p in core):
        return EXIT_ENVIRONMENT
    if any(p.status in (FAIL, UNKNOWN) for p in probes):
        return EXIT_PROBLEMS
    return EXIT_OK


def summary(probes: list[Probe], code: int) -> dict[str, Any]:
    """What the state file keeps for the plugin's session hook (no secrets)."""

    health = {EXIT_OK: "healthy", EXIT_PROBLEMS: "degraded", EXIT_ENVIRONMENT: "unknown"}[code]
    providers: dict[str, dict[str, str]] = {}
    for probe in probes:
        if probe.provider_id is not None:
            providers.setdefault(probe.provider_id, {})[probe.check] = probe.status
    problems = [
        f"{p.provider_id + ': ' if p.provider_id else ''}{p.check}: {p.summary}"
        for p in probes
        if p.status in (FAIL, UNKNOWN)
    ]
    return {
        "checked_at": now_iso(),
        "health": health,
        "exit_code": code,
        "providers": providers,
        "ids": next((p.status for p in probes if p.check == "ids"), None),
        "problems": problems[:10],
    }


@dataclass(frozen=True)
class StatusReport:
    """`provider status`: the providers checked, every probe, the exit code and what the state
    file keeps (`kept`, also stored as last_status)."""

    providers: list[str]
    probes: list[Probe]
    code: int
    kept: dict[str, Any]


def check_status(
    project: Project,
    provider_id: str | None,
    *,
    timeout: float,
    checks: tuple[str, ...] = (),
    started: float | None = None,
    note: Callable[[str], None],
    warn: Callable[[str], None],
) -> StatusReport:
    """Run the checks (all when `checks` is empty) on the selected providers and keep the
    summary in the state file (a state file that cannot be written is a warning)."""
    entries = select_providers(project, provider_id)
    selected = checks or ("container", "omni", "proxmox", "logs", "ids")
    note(f"checking {', '.join(e.provider_id for e in entries)} (timeout {timeout:g}s) ...")
    probes = collect(project, entries, timeout=timeout, checks=selected, started=started)
    code = exit_code(probes)
    kept = summary(probes, code)
    try:
        update_state(project.state_file, {"last_status": kept})
    except InputError as exc:
        warn(f"state file not updated: {exc.one_line()}")
    return StatusReport([e.provider_id for e in entries], probes, code, kept)
