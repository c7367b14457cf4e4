"""Parse the provider's log lines into rows: time, level, request id, step, message, error.

Accepted forms (siderolabs/omni-infra-provider-proxmox):
  * zap production JSON, one object per line (`{"level":"error","ts":1768288274.96,...}`);
  * cobra start-up failures, plain `Error: <message>` lines;
  * what users paste from log viewers: `ERR qruntime/qruntime.go:295 > ts=... msg=reconcile
    failed controller=... error=... step=syncVM`, or bare `key=value` runs;
  * any of these behind a `docker compose logs` prefix (`provider-proxmox-1  | `) and/or an
    RFC 3339 timestamp (`--timestamps`).
Anything else becomes a plain text row, so nothing is ever dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from omni_scale.errors import InputError
from omni_scale.textio import load_json

LEVELS = {
    "debug": "debug",
    "dbg": "debug",
    "info": "info",
    "inf": "info",
    "warn": "warn",
    "warning": "warn",
    "wrn": "warn",
    "error": "error",
    "err": "error",
    "dpanic": "error",
    "panic": "error",
    "fatal": "error",
    "ftl": "error",
}

_PREFIX_RE = re.compile(r"^(?P<service>[A-Za-z0-9][\w.-]*)\s+\|\s?(?P<rest>.*)$")
_TIMESTAMP_RE = re.compile(
    r"^(?P<ts>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))\s+(?P<rest>.*)$"
)
_VIEWER_RE = re.compile(
    r"^(?:(?P<time>\S+T\S+|\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?)\s+)?"
    r"(?P<level>DBG|INF|WRN|ERR|FTL|DEBUG|INFO|WARN|WARNING|ERROR|FATAL)\s+"
    r"(?:(?P<caller>\S+\.go:\d+)\s+)?(?:>\s*)?(?P<rest>.*)$",
    re.IGNORECASE,
)
_KV_KEY_RE = re.compile(r"(?:^|\s)([A-Za-z_][\w.]*)=")
_CLI_ERROR_RE = re.compile(r"^Error:\s*(?P<msg>.*)$")


@dataclass
class LogEntry:
    """One provider log row."""

    raw: str
    form: str  # "json", "cli-error", "viewer", "text"
    level: str = "info"
    message: str = ""
    time: dt.datetime | None = None
    request_id: str | None = None
    step: str | None = None
    error: str | None = None
    caller: str | None = None
    service: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.level == "error" or self.error is not None

    def time_text(self) -> str:
        if self.time is None:
            return ""
        return self.time.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")

    def to_json(self) -> dict[str, Any]:
        return {
            "time": self.time.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
            if self.time
            else None,
            "level": self.level,
            "service": self.service,
            "request_id": self.request_id,
            "step": self.step,
            "message": self.message,
            "error": self.error,
            "caller": self.caller,
            "form": self.form,
        }


def _parse_time(value: Any) -> dt.datetime | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and value:
        try:
            return _parse_time(float(value))
        except ValueError:
            pass
        text = value.replace("Z", "+00:00")
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
        try:
            parsed.astimezone(dt.UTC)  # year 1 at +01:00 is before the first instant in UTC
        except OverflowError:
            return None
        return parsed
    return None


def _level(value: Any) -> str:
    return LEVELS.get(str(value).strip().lower(), str(value).strip().lower() or "info")


def _str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value)


def _from_fields(entry: LogEntry, data: dict[str, Any]) -> LogEntry:
    entry.fields = data
    if "level" in data:
        entry.level = _level(data["level"])
    entry.message = str(data.get("msg", data.get("message", "")) or "")
    stamp = _parse_time(data.get("ts", data.get("time")))
    entry.time = stamp or entry.time
    # `id` is the MachineRequest id on controller lines; `request_id` on provision steps.
    entry.request_id = _str(data.get("request_id")) or _str(data.get("id"))
    entry.step = _str(data.get("step"))
    entry.error = _str(data.get("error"))
    entry.caller = _str(data.get("caller")) or entry.caller
    return entry


def parse_logfmt(text: str) -> dict[str, str]:
    """`a=1 msg=reconcile failed b=x` -> {"a": "1", "msg": "reconcile failed", "b": "x"}.

    Values run to the next ` key=`; quoted values are unquoted. Tolerant by design: this is
    text people paste.
    """
    keys = list(_KV_KEY_RE.finditer(text))
    out: dict[str, str] = {}
    for index, match in enumerate(keys):
        start = match.end()
        end = keys[index + 1].start() if index + 1 < len(keys) else len(text)
        value = text[start:end].strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            try:
                value = json.loads(value) if value[0] == '"' else value[1:-1]
            except json.JSONDecodeError:
                value = value[1:-1]
        out[match.group(1)] = str(value)
    return out


def parse_line(line: str) -> LogEntry | None:
    """One line -> LogEntry (None for a blank line)."""
    text = line.rstrip("\r\n")
    if not text.strip():
        return None
    entry = LogEntry(raw=text, form="text")
    body = text
    prefix = _PREFIX_RE.match(body)
    if prefix and not body.lstrip().startswith("{"):
        entry.service = prefix.group("service")
        body = prefix.group("rest")
    stamp = _TIMESTAMP_RE.match(body)
    if stamp:
        entry.time = _parse_time(stamp.group("ts"))
        body = stamp.group("rest")
    body = body.strip()
    if body.startswith("{"):
        try:
            data = load_json(body, path=None, what="log line", hint="")
        except InputError:  # not JSON, or nested too deeply: kept as a plain text row
            data = None
        if isinstance(data, dict):
            entry.form = "json"
            return _from_fields(entry, data)
    cli = _CLI_ERROR_RE.match(body)
    if cli:
        entry.form = "cli-error"
        entry.level = "error"
        entry.message = cli.group("msg")
        entry.error = cli.group("msg")
        return entry
    viewer = _VIEWER_RE.match(body)
    if viewer and (viewer.group("caller") or "=" in viewer.group("rest")):
        entry.form = "viewer"
        entry.level = _level(viewer.group("level"))
        entry.caller = viewer.group("caller")
        rest = viewer.group("rest")
        fields = parse_logfmt(rest)
        if fields:
            head = rest[: _KV_KEY_RE.search(rest).start()].strip()  # type: ignore[union-attr]
            if head and "msg" not in fields:
                fields["msg"] = head
            level = entry.level
            _from_fields(entry, dict(fields))
            entry.level = level if "level" not in fields else entry.level
            if entry.time is None and viewer.group("time"):
                entry.time = _parse_time(viewer.group("time"))
        else:
            entry.message = rest
        return entry
    fields = parse_logfmt(body)
    if {"msg", "error"} & set(fields) and (set(fields) & {"level", "ts", "step", "msg"}):
        entry.form = "viewer"
        _from_fields(entry, dict(fields))
        if entry.error and "level" not in fields:
            entry.level = "error"
        return entry
    entry.message = body
    if re.search(r"\b(error|failed|fatal|panic)\b", body, re.IGNORECASE):
        entry.level = "error"
    return entry


def parse_lines(lines: Iterable[str]) -> list[LogEntry]:
    return [e for e in (parse_line(line) for line in lines) if e is not None]


def parse_text(text: str) -> list[LogEntry]:
    return parse_lines(text.splitlines())


def entry_text(entry: LogEntry) -> str:
    """The searchable text of an entry (message + error + raw), for diagnosis."""
    parts = [entry.message, entry.error or "", entry.raw]
    return "\n".join(p for p in parts if p)
