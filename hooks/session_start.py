#!/usr/bin/env python3
"""SessionStart hook of the omni-scale Claude Code plugin.

In a project with `.claude/omni-scale.local.md` it prints a short summary for Claude (provider
configured? last known status and when; the next step) as SessionStart `additionalContext`.
Anywhere else it prints nothing. It always exits 0, makes no network call, uses only the
standard library and reads at most one small file (plus a directory listing), so it finishes in
milliseconds. The front matter is parsed minimally (flat `key: value` lines and one level of
nested mappings); anything it cannot read is reported in one line, never raised.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

STATE_FILE = Path(".claude") / "omni-scale.local.md"
MAX_BYTES = 64 * 1024
STALE_AFTER = dt.timedelta(hours=24)


def scalar(text: str) -> Any:
    """A YAML-ish scalar: true/false, null, int, quoted or plain string."""
    text = text.strip()
    if " #" in text and not text.startswith(("'", '"')):
        text = text.split(" #", 1)[0].rstrip()
    if not text or text in ("~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            return str(json.loads(text))
        except ValueError:
            return text[1:-1]
    try:
        return int(text)
    except ValueError:
        pass
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        return [scalar(part) for part in inner.split(",")] if inner else []
    if text.startswith("{") and text.endswith("}"):
        inner = text[1:-1].strip()
        out: dict[str, Any] = {}
        for part in inner.split(","):
            key, sep, value = part.partition(":")
            if sep and key.strip():
                out[key.strip().strip("'\"")] = scalar(value)
        return out
    return text


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(line number, indentation, content) of the meaningful lines of a YAML block."""
    out = []
    for number, line in enumerate(text.splitlines(), start=2):
        content = line.strip()
        if content and not content.startswith("#"):
            out.append((number, len(line) - len(line.lstrip(" ")), content))
    return out


def _block(lines: list[tuple[int, int, str]], index: int, indent: int) -> tuple[Any, int]:
    """A mapping or a list of scalars starting at lines[index] (all at `indent`)."""
    if lines[index][2].startswith("- ") or lines[index][2] == "-":
        items: list[Any] = []
        while index < len(lines) and lines[index][1] == indent and lines[index][2][:1] == "-":
            text, index = _continued(lines, index, lines[index][2][1:].strip(), indent)
            items.append(scalar(text))
        return items, index
    mapping: dict[str, Any] = {}
    while index < len(lines) and lines[index][1] == indent:
        number, _, content = lines[index]
        key, sep, value = content.partition(":")
        key = key.strip().strip("'\"")
        if not sep or not key or (value and not value[0].isspace()):
            raise ValueError(f"line {number} is not 'key: value'")
        value = value.strip()
        index += 1
        if value:
            value, index = _continued(lines, index - 1, value, indent)
            mapping[key] = scalar(value)
        elif index < len(lines) and (
            lines[index][1] > indent or (lines[index][1] == indent and lines[index][2][:1] == "-")
        ):
            mapping[key], index = _block(lines, index, lines[index][1])
        else:
            mapping[key] = None
    return mapping, index


def _continued(
    lines: list[tuple[int, int, str]], index: int, text: str, indent: int
) -> tuple[str, int]:
    """A scalar plus its continuation lines (more indented, as YAML folds long scalars)."""
    index += 1
    while index < len(lines) and lines[index][1] > indent and not text.endswith(":"):
        if lines[index][2][:1] == "-" and lines[index - 1][2][:1] != "-":
            break
        text = f"{text} {lines[index][2]}"
        index += 1
    return text, index


def parse_front_matter(text: str) -> dict[str, Any]:
    """The front matter between the first two `---` lines. Raises ValueError when unreadable.

    A small YAML subset, enough for what omni-scale writes: nested mappings, lists of scalars,
    flow mappings of scalars, quoted and folded scalars.
    """
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError("it does not start with a '---' front matter line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ValueError("its front matter is not closed by a second '---' line") from None
    body = _lines("\n".join(lines[1:end]))
    if not body:
        return {}
    data, index = _block(body, 0, body[0][1])
    if index < len(body) or not isinstance(data, dict):
        raise ValueError(f"line {body[min(index, len(body) - 1)][0]} is not 'key: value'")
    return data


def parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def age(moment: dt.datetime, now: dt.datetime) -> str:
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 90:
        return "just now"
    if seconds < 90 * 60:
        return f"{seconds // 60} min ago"
    if seconds < 36 * 3600:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


def health(status: dict[str, Any]) -> bool | None:
    """Healthy / unhealthy / unknown from a `last_status` summary."""
    for key in ("healthy", "ok"):
        if isinstance(status.get(key), bool):
            return bool(status[key])
    for key in ("health", "status", "overall", "state"):
        value = status.get(key)
        if isinstance(value, str):
            word = value.lower()
            if word in ("healthy", "ok", "connected", "running", "up"):
                return True
            if word in ("degraded", "unhealthy", "down", "failed", "fail", "error"):
                return False
    code = status.get("exit_code")
    if isinstance(code, int) and not isinstance(code, bool) and code in (0, 1):
        return code == 0
    return None


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(status: dict[str, Any]) -> str:
    """The interesting parts of a summary, e.g. `proxmox: container=fail, omni=ok; problems: …`."""
    skip = {"checked_at", "exit_code", "health", "healthy", "ok", "problems", "providers"}
    parts = [
        f"{key}={json.dumps(value) if not isinstance(value, str) else value}"
        for key, value in status.items()
        if key not in skip and isinstance(value, (str, int, bool)) and len(str(value)) < 60
    ][:5]
    providers = status.get("providers")
    if isinstance(providers, dict):
        for name, checks in list(providers.items())[:3]:
            if isinstance(checks, dict):
                pairs = ", ".join(f"{k}={v}" for k, v in checks.items() if isinstance(v, str))
                parts.insert(0, f"{name}: {pairs}")
    text = "; ".join(parts)
    problems = status.get("problems")
    if isinstance(problems, list) and problems:
        shown = [clip(str(p), 140) for p in problems[:3]]
        more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
        text += ("; " if text else "") + "problems: " + " | ".join(shown) + more
    return text


def summary(project: Path, now: dt.datetime) -> str | None:
    path = project / STATE_FILE
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return f"omni-scale: the state file {STATE_FILE} could not be read ({exc.strerror})."
    try:
        if len(raw) > MAX_BYTES:
            raise ValueError(f"it is larger than {MAX_BYTES // 1024} KiB")
        state = parse_front_matter(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return (
            f"omni-scale project, but its state file {STATE_FILE} is broken: {exc}. "
            "Run `omni-scale state show` for the exact error (file and line), fix or delete the "
            "file, then /omni-scale:provider-setup."
        )

    state = untrusted_state(state)
    lines = [
        "omni-scale project (Omni + Proxmox infra as code; state in .claude/omni-scale.local.md)."
    ]
    provider_id = state.get("provider_id") or "proxmox"
    configured = state.get("provider_configured") is True
    if configured:
        where = (
            f", Omni {state['omni_endpoint']}"
            if isinstance(state.get("omni_endpoint"), str)
            else ""
        )
        lines.append(f"Provider '{provider_id}' is configured{where}.")
    else:
        lines.append("The Proxmox provider is not configured yet.")

    status = state.get("last_status")
    healthy: bool | None = None
    stale = True
    if isinstance(status, dict) and status:
        healthy = health(status)
        checked = parse_time(status.get("checked_at"))
        when = (
            f"checked {status['checked_at']} ({age(checked, now)})" if checked else "time unknown"
        )
        stale = checked is None or now - checked > STALE_AFTER
        word = {True: "healthy", False: "NOT healthy", None: "unknown"}[healthy]
        detail = describe(status)
        lines.append(
            f"Last provider status: {word}, {when}" + (f" [{detail}]" if detail else "") + "."
        )
    elif configured:
        lines.append("No provider status recorded yet.")

    check = state.get("last_check")
    if isinstance(check, dict) and check:
        checked = parse_time(check.get("checked_at"))
        when = f" ({age(checked, now)})" if checked else ""
        detail = describe(check)
        lines.append(f"Last `omni-scale check`{when}: {detail or 'recorded'}.")

    if not configured:
        step = "/omni-scale:provider-setup to configure the provider"
    elif healthy is False:
        step = "/omni-scale:provider-status to see what fails (it includes the log diagnosis)"
    elif stale:
        step = "/omni-scale:provider-status to refresh the provider status"
    elif not any((project / "machine-classes").glob("*.y*ml")):
        step = "/omni-scale:machineclass-create to describe the VMs"
    else:
        step = "/omni-scale:check to lint and plan, then /omni-scale:cluster-status"
    lines.append(f"Next step: {step}. Never ask the user to paste secrets into the chat.")
    return clip(" ".join(lines), MAX_CONTEXT)


# -- repository text on its way into Claude's context ------------------------------------
# The state file is committed with the repository: its values are data from whoever wrote it.
# Each string is shortened, stripped of control and bidi characters, and the keys and list
# lengths are bounded, so a value can neither flood the context nor hide text from the user.
MAX_VALUE = 120
MAX_ITEMS = 12
MAX_CONTEXT = 1100  # every session pays for it
_HIDDEN = {c: " " for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))} | {
    c: None for c in (0x200B, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F),
                      *range(0x2066, 0x206A), 0xFEFF)
}  # fmt: skip


def untrusted_state(value: Any, depth: int = 0) -> Any:
    """`value` (the parsed state) with every string cleaned and clipped, collections bounded."""
    if isinstance(value, str):
        return clip(" ".join(value.translate(_HIDDEN).split()), MAX_VALUE)
    if isinstance(value, dict):
        if depth > 3:
            return {}
        return {
            untrusted_state(str(k), depth + 1): untrusted_state(v, depth + 1)
            for k, v in list(value.items())[:MAX_ITEMS * 2]
        }
    if isinstance(value, list):
        return [untrusted_state(v, depth + 1) for v in value[:MAX_ITEMS]] if depth <= 3 else []
    return value


def project_dir() -> Path:
    env = os.environ.get("CLAUDE_PROJECT_DIR")
    if env:
        return Path(env)
    if not sys.stdin.isatty():
        try:
            payload = json.loads(sys.stdin.read(MAX_BYTES) or "{}")
            if isinstance(payload, dict) and isinstance(payload.get("cwd"), str):
                return Path(payload["cwd"])
        except (ValueError, OSError):
            pass
    return Path.cwd()


def main() -> int:
    try:
        text = summary(project_dir(), dt.datetime.now(dt.UTC))
        if text:
            output = {
                "hookSpecificOutput": {"hookEventName": "SessionStart", "additionalContext": text}
            }
            sys.stdout.write(json.dumps(output) + "\n")
    except Exception as exc:  # a hook must never break the session
        sys.stderr.write(f"omni-scale session hook: {type(exc).__name__}: {exc}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
