"""`provider logs`: the provider's log lines (docker compose, or pasted text) parsed, filtered
and matched against the known errors."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from omni_scale.adapters.docker import Compose
from omni_scale.core.diagnosis import Diagnosis, diagnose, diagnose_all
from omni_scale.core.provider.logs import LogEntry, entry_text, parse_line, parse_lines
from omni_scale.project import Project
from omni_scale.services.provider_lifecycle import select_providers
from omni_scale.textio import read_text_file

MAX_LOG_BYTES = 64 * 1024 * 1024


@dataclass
class Logs:
    entries: list[LogEntry]
    several: bool  # more than one provider service: show which one each line is from
    diagnoses: list[Diagnosis] = field(default_factory=list)


def read_log_file(path: Path) -> str:
    return read_text_file(path, what="log file", max_bytes=MAX_LOG_BYTES)


def _services(project: Project, provider_id: str | None) -> list[str]:
    return [e.service for e in select_providers(project, provider_id)]


def read_logs(
    project: Project,
    provider_id: str | None,
    *,
    tail: int,
    since: str | None,
    text: str | None = None,
    errors_only: bool = False,
    with_diagnoses: bool = False,
) -> Logs:
    """The last `tail` lines of each provider service (or `text`, pasted from a log viewer),
    parsed; with `with_diagnoses`, the known errors they contain."""
    if text is not None:
        lines: Sequence[str] = text.splitlines()
        several = False
    else:
        services = _services(project, provider_id)
        several = len(services) > 1
        lines = Compose(project).logs(services, tail=tail, since=since).splitlines()
    entries = parse_lines(list(lines))
    if errors_only:
        entries = [e for e in entries if e.is_error]
    logs = Logs(entries, several)
    if with_diagnoses:
        logs.diagnoses = diagnose_all(
            entry_text(e) for e in entries if e.is_error or e.form == "text"
        )
    return logs


def follow_logs(
    project: Project,
    provider_id: str | None,
    *,
    tail: int,
    since: str | None,
    errors_only: bool = False,
) -> tuple[bool, Iterator[LogEntry]]:
    """(several services?, the entries as the provider writes them, until it stops)."""
    services = _services(project, provider_id)

    def entries() -> Iterator[LogEntry]:
        for line in Compose(project).follow_logs(services, tail=tail, since=since):
            entry = parse_line(line)
            if entry is not None and not (errors_only and not entry.is_error):
                yield entry

    return len(services) > 1, entries()


def new_diagnoses(entry: LogEntry, seen: set[str]) -> list[Diagnosis]:
    """The known errors in an error `entry` not reported yet (`seen` is updated)."""
    if not entry.is_error:
        return []
    found = [d for d in diagnose(entry_text(entry)) if d.id not in seen]
    seen.update(d.id for d in found)
    return found
