"""`omni-scale provider logs [--tail N] [--since T] [--follow] [--raw] [--diagnose]`"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.commands.completion import complete_provider
from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, EXIT_PROBLEMS, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.core.diagnosis import Diagnosis
    from omni_scale.core.provider.logs import LogEntry

LEVEL_STYLE = {"error": "red", "warn": "yellow", "info": "", "debug": "dim"}


def format_entry(entry: LogEntry, *, several: bool = False) -> str:
    """One readable row: time, level, [service], request id, step, message, error."""
    parts = [entry.time_text() or "-" * 19, f"{entry.level.upper():<5}"]
    if several and entry.service:
        parts.append(entry.service)
    if entry.request_id:
        parts.append(f"[{entry.request_id}]")
    if entry.step:
        parts.append(f"{entry.step}:")
    message = entry.message or ""
    if entry.error and entry.error != message:
        message = f"{message}: {entry.error}" if message else entry.error
    parts.append(message)
    return " ".join(parts)


def _print_entry(console: Console, entry: LogEntry, several: bool) -> None:
    style = LEVEL_STYLE.get(entry.level, "")
    text = format_entry(entry, several=several)
    if style:
        console.print(text, style=style, markup=False, highlight=False, soft_wrap=True)
    else:
        console.print(text, markup=False, highlight=False, soft_wrap=True)


def _print_diagnoses(console: Console, found: list[Diagnosis]) -> None:
    if not found:
        console.print("diagnosis: no known error in these lines")
        return
    console.print(f"diagnosis: {len(found)} known error(s)")
    for d in found:
        console.print(f"- [{d.id}] {d.matched}", markup=False, soft_wrap=True)
        console.print(f"  cause: {d.cause}", markup=False, soft_wrap=True)
        console.print(f"  fix:   {d.fix}", markup=False, soft_wrap=True)


@click.command("logs")
@click.option(
    "--provider",
    "provider_id",
    metavar="ID",
    shell_complete=complete_provider,
    help="Only this provider (default: all).",
)
@click.option(
    "--tail",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    help="Lines from the end of each log.",
)
@click.option(
    "--since", metavar="T", help="Only lines since T (e.g. 10m, 2h, 2026-01-13T07:00:00)."
)
@click.option("-f", "--follow", is_flag=True, help="Keep printing new lines (Ctrl-C to stop).")
@click.option("--raw", is_flag=True, help="Print the lines as the provider wrote them.")
@click.option("--diagnose", is_flag=True, help="Match known error strings: cause and fix.")
@click.option("--errors", "errors_only", is_flag=True, help="Only error lines.")
@click.option(
    "--from-file",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    metavar="FILE",
    help="Read pasted log text from FILE ('-' = stdin) instead of docker.",
)
@pass_app
def command(
    app: AppContext,
    provider_id: str | None,
    tail: int,
    since: str | None,
    follow: bool,
    raw: bool,
    diagnose: bool,
    errors_only: bool,
    from_file: Path | None,
) -> int:
    """Readable provider logs: time, level, request id, step, message, error.

    Accepts the provider's JSON lines, its plain `Error:` start-up lines and text pasted from
    log viewers (--from-file). With --diagnose, every known error is matched to its cause and
    fix; exit 1 when one is found.
    """
    from omni_scale.core.provider.logs import parse_lines

    if follow and app.json:
        raise InputError("--follow cannot be combined with --json", hint="drop one of them")
    if follow and from_file is not None:
        raise InputError("--follow reads from docker, not --from-file", hint="drop one of them")
    if from_file is not None:
        text = sys.stdin.read() if str(from_file) == "-" else _read(from_file)
        lines: Iterable[str] = text.splitlines()
        several = False
    else:
        from omni_scale.adapters.docker import Compose
        from omni_scale.services.provider_lifecycle import select_providers

        entries = select_providers(app.project, provider_id)
        services = [e.service for e in entries]
        several = len(services) > 1
        compose = Compose(app.project)
        if follow:
            return _follow(app, compose, services, tail, since, raw, diagnose, errors_only, several)
        lines = compose.logs(services, tail=tail, since=since).splitlines()
    raw_lines = list(lines)
    parsed = parse_lines(raw_lines)
    if errors_only:
        parsed = [e for e in parsed if e.is_error]
    found = _diagnose(parsed) if diagnose else []
    data: dict[str, Any] = {
        "entries": [e.to_json() for e in parsed],
        "errors": sum(1 for e in parsed if e.is_error),
    }
    if diagnose:
        data["diagnoses"] = [d.to_json() for d in found]

    def render(console: Console) -> None:
        if raw:
            for entry in parsed:
                console.print(entry.raw, markup=False, highlight=False, soft_wrap=True)
        else:
            for entry in parsed:
                _print_entry(console, entry, several)
        if diagnose:
            _print_diagnoses(console, found)

    app.emit(data, render)
    return EXIT_PROBLEMS if found else EXIT_OK


def _read(path: Path) -> str:
    from omni_scale.yamlio import read_text_file

    return read_text_file(path, what="log file", max_bytes=64 * 1024 * 1024)


def _diagnose(entries: list[LogEntry]) -> list[Diagnosis]:
    from omni_scale.core.diagnosis import diagnose_all
    from omni_scale.core.provider.logs import entry_text

    return diagnose_all(entry_text(e) for e in entries if e.is_error or e.form == "text")


def _follow(
    app: AppContext,
    compose: Any,
    services: list[str],
    tail: int,
    since: str | None,
    raw: bool,
    diagnose: bool,
    errors_only: bool,
    several: bool,
) -> int:
    from omni_scale.core.diagnosis import diagnose as match
    from omni_scale.core.provider.logs import entry_text, parse_line

    seen: set[str] = set()
    console = app.console
    try:
        for line in compose.follow_logs(services, tail=tail, since=since):
            entry = parse_line(line)
            if entry is None or (errors_only and not entry.is_error):
                continue
            if raw:
                console.print(entry.raw, markup=False, highlight=False, soft_wrap=True)
            else:
                _print_entry(console, entry, several)
            if diagnose and entry.is_error:
                for d in match(entry_text(entry)):
                    if d.id not in seen:
                        seen.add(d.id)
                        console.print(f"  -> [{d.id}] {d.cause}; fix: {d.fix}", markup=False)
    except KeyboardInterrupt:
        return EXIT_OK
    return EXIT_OK
