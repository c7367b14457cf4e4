"""The summary behind the omni-scale SessionStart hook (hooks/session_start.py loads it).

In a project with `.claude/omni-scale.local.md` it prints a short summary for Claude (provider
configured? last known status and when; the next step) as SessionStart `additionalContext`.
It always exits 0, makes no network call, uses only the standard library and reads at most one
small file (plus a directory listing). To stay close to a bare interpreter start it imports
nothing heavy: no json (it writes its one JSON string itself), re, pathlib, typing or datetime.
Python 3.9+. Every value taken from the state file is escaped and shortened before it reaches
Claude's context (`clean`). The front matter is parsed minimally (flat `key: value` lines and
one level of nested mappings); anything it cannot read is reported in one line, never raised.
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False  # not `from typing import ...`: typing costs milliseconds at every start
if TYPE_CHECKING:
    from typing import Any

STATE_FILE = os.path.join(".claude", "omni-scale.local.md")
MAX_BYTES = 64 * 1024
STALE_AFTER = 24 * 3600  # seconds
VALUE_LIMIT = 80  # characters of one state value in the summary
YAML_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
# Characters that would change how the context reads: line and paragraph breaks, other controls,
# bidirectional overrides and zero-width characters (a state file is user-editable text).
INVISIBLE = frozenset(
    [
        *range(0x20),
        *range(0x7F, 0xA0),
        0xAD,
        *range(0x200B, 0x2010),
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2070),
        0xFEFF,
    ]
)


def split_lines(text: str) -> list[str]:
    """Lines as YAML and omni_scale.state see them: at '\\n' (and '\\r\\n') only. A U+2028 or
    U+0085 inside a value is not a line break (str.splitlines would cut the value there)."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def unquote(body: str) -> str:
    """The value of a YAML double-quoted scalar (its escapes), without importing json."""
    out = []
    index = 0
    while index < len(body):
        char = body[index]
        index += 1
        if char != "\\" or index >= len(body):
            out.append(char)
            continue
        code = body[index]
        index += 1
        if code in HEX_ESCAPES:
            width = HEX_ESCAPES[code]
            try:
                out.append(chr(int(body[index : index + width], 16)))
            except ValueError:
                out.append("\\" + code)
                continue
            index += width
        else:
            out.append(YAML_ESCAPES.get(code, "\\" + code))
    return "".join(out)


def clean(value: object, limit: int = VALUE_LIMIT) -> str:
    """A state value as it may appear in Claude's context: one line, no invisible characters
    (each shown as \\uXXXX), at most `limit` characters."""
    text = "".join(
        f"\\u{ord(c):04x}" if ord(c) in INVISIBLE else c for c in str(value)[: limit * 2]
    )
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_string(text: str) -> str:
    """`text` as a JSON string literal, ASCII only (what json.dumps writes by default)."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7F:
            out.append(char)
        elif code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    out.append('"')
    return "".join(out)


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
        return unquote(text[1:-1])
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
    for number, line in enumerate(split_lines(text), start=2):
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
    lines = split_lines(text)
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


def parse_time(value: object) -> float | None:
    """Seconds since the epoch of an ISO 8601 time as omni-scale writes it
    (`2026-11-25T20:06:35Z`, also with a fraction or a `+HH:MM` offset; no zone = UTC)."""
    if not isinstance(value, str) or len(value) < 19 or value[10] not in "Tt ":
        return None
    try:
        year, month, day = int(value[0:4]), int(value[5:7]), int(value[8:10])
        hour, minute, second = int(value[11:13]), int(value[14:16]), int(value[17:19])
        if value[4] != "-" or value[7] != "-" or value[13] != ":" or value[16] != ":":
            return None
        rest = value[19:]
        if rest.startswith("."):
            digits = len(rest) - len(rest[1:].lstrip("0123456789"))
            rest = rest[digits:]
        offset = 0
        if rest in ("Z", "z", ""):
            pass
        elif len(rest) == 6 and rest[0] in "+-" and rest[3] == ":":
            offset = (int(rest[1:3]) * 60 + int(rest[4:6])) * 60 * (1 if rest[0] == "+" else -1)
        else:
            return None
        if not (1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60 and second < 61):
            return None
    except ValueError:
        return None
    # Days from 1970-01-01 to the date (proleptic Gregorian; Howard Hinnant's days_from_civil).
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    return days * 86400 + hour * 3600 + minute * 60 + second - offset


def age(moment: float, now: float) -> str:
    seconds = max(0, int(now - moment))
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


def describe(status: dict[str, Any]) -> str:
    """The interesting parts of a summary, e.g. `proxmox: container=fail, omni=ok; problems: …`."""
    skip = {"checked_at", "exit_code", "health", "healthy", "ok", "problems", "providers"}
    parts = [
        f"{clean(key, 30)}={clean(value if isinstance(value, str) else repr(value).lower(), 40)}"
        for key, value in status.items()
        if key not in skip and isinstance(value, (str, int, bool)) and len(str(value)) < 60
    ][:5]
    providers = status.get("providers")
    if isinstance(providers, dict):
        for name, checks in list(providers.items())[:3]:
            if isinstance(checks, dict):
                pairs = ", ".join(
                    f"{clean(k, 20)}={clean(v, 20)}"
                    for k, v in list(checks.items())[:8]
                    if isinstance(v, str)
                )
                parts.insert(0, f"{clean(name, 40)}: {pairs}")
    text = "; ".join(parts)
    problems = status.get("problems")
    if isinstance(problems, list) and problems:
        shown = [clean(p, 140) for p in problems[:3]]
        more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
        text += ("; " if text else "") + "problems: " + " | ".join(shown) + more
    return text


def has_machine_classes(project: str) -> bool:
    try:
        names = os.listdir(os.path.join(project, "machine-classes"))
    except OSError:
        return False
    return any(n.endswith((".yaml", ".yml")) for n in names)


def summary(project: str, now: float) -> str | None:
    path = os.path.join(project, STATE_FILE)
    try:
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        return f"omni-scale: the state file {STATE_FILE} could not be read ({exc.strerror})."
    try:
        if len(raw) > MAX_BYTES:
            raise ValueError(f"it is larger than {MAX_BYTES // 1024} KiB")
        state = parse_front_matter(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        return (
            f"omni-scale project, but its state file {STATE_FILE} is broken: {clean(exc, 120)}. "
            "Run `omni-scale state show` for the exact error (file and line), fix or delete the "
            "file, then /omni-scale:provider-setup."
        )

    lines = [
        "omni-scale project (Omni + Proxmox infra as code; state in .claude/omni-scale.local.md)."
    ]
    provider_id = clean(state.get("provider_id") or "proxmox", 63)
    configured = state.get("provider_configured") is True
    if configured:
        where = (
            f", Omni {clean(state['omni_endpoint'])}"
            if isinstance(state.get("omni_endpoint"), str)
            else ""
        )
        lines.append(f"Provider '{provider_id}' is configured{where}.")
    else:
        lines.append("The Proxmox provider is not configured yet.")

    status = state.get("last_status")
    healthy: bool | None = None
    recorded = isinstance(status, dict) and bool(status)
    stale = True
    if isinstance(status, dict) and status:
        healthy = health(status)
        checked = parse_time(status.get("checked_at"))
        when = (
            f"checked {clean(status['checked_at'], 40)} ({age(checked, now)})"
            if checked is not None
            else "time unknown"
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
        when = f" ({age(checked, now)})" if checked is not None else ""
        detail = describe(check)
        lines.append(f"Last `omni-scale check`{when}: {detail or 'recorded'}.")

    if not configured:
        step = "/omni-scale:provider-setup to configure the provider"
    elif healthy is False:
        step = "/omni-scale:provider-status to see what fails (it includes the log diagnosis)"
    elif recorded and healthy is None:
        step = (
            "/omni-scale:provider-status to find out (the last check could not reach docker, "
            "omnictl or Omni; it names what is missing)"
        )
    elif stale:
        step = "/omni-scale:provider-status to refresh the provider status"
    elif not has_machine_classes(project):
        step = "/omni-scale:machineclass-create to describe the VMs"
    else:
        step = "/omni-scale:check to lint and plan, then /omni-scale:cluster-status"
    lines.append(f"Next step: {step}. Never ask the user to paste secrets into the chat.")
    return " ".join(lines)


def project_from_stdin() -> str:
    """The SessionStart payload's `cwd` (when CLAUDE_PROJECT_DIR is missing), else the cwd."""
    if not sys.stdin.isatty():
        try:
            import json

            payload = json.loads(sys.stdin.read(MAX_BYTES) or "{}")
            if isinstance(payload, dict) and isinstance(payload.get("cwd"), str):
                return str(payload["cwd"])
        except (ValueError, OSError):
            pass
    return os.getcwd()


def main(project: str | None = None) -> int:
    try:
        text = summary(project or project_from_stdin(), time.time())
        if text:
            sys.stdout.write(
                '{"hookSpecificOutput": {"hookEventName": "SessionStart", "additionalContext": '
                + json_string(text)
                + "}}\n"
            )
    except Exception as exc:  # a hook must never break the session
        sys.stderr.write(f"omni-scale session hook: {type(exc).__name__}: {exc}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(os.environ.get("CLAUDE_PROJECT_DIR")))
