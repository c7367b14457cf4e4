"""Plain output, without click or rich: JSON documents, styled lines and one-line messages.

Everything the CLI prints goes through here or through `cli.terminal.SafeConsole` (rich, for
tables). This module imports neither click nor rich, so the commands answered without click
(`cli.fast`) print exactly what the click path prints (bench/startup.py measures why that
matters: `import click` costs about four bare interpreter starts, rich.console about five).

Text from the repo or a peer may carry terminal escape sequences (ESC [ 2 J clears the screen,
OSC 52 writes the clipboard, an 8-bit CSI works on some terminals) or bidi overrides that
reorder what is shown: `escape_terminal` shows every control character (but tab and newline)
as `\\xNN`, and `clean_line` also redacts and shortens one-line messages. JSON needs no escaping
(json.dumps escapes controls), only redaction.
"""

from __future__ import annotations

import json
import re
import sys

from omni_scale.redact import redact

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~1x a bare start
if TYPE_CHECKING:
    from typing import Any, TextIO

# C0 controls but tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_LINE = 2000


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_terminal(text: str) -> str:
    """`text` with every control character (but tab and newline) shown as `\\xNN`."""
    return _UNSAFE.sub(_visible, text)


def clean_line(text: str, limit: int = MAX_LINE) -> str:
    """One line for the terminal: redacted, escaped and at most `limit` characters."""
    text = escape_terminal(redact(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def isatty(stream: Any) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed or replaced streams
        return False


# The SGR codes click.style writes for the same arguments (click/termui.py `style`), so a line
# styled here looks the same as one click styled: tests/cli/test_output.py compares them.
_COLORS = {
    name: code
    for base, offset in ((30, ""), (90, "bright_"))
    for code, name in enumerate(
        (
            f"{offset}black",
            f"{offset}red",
            f"{offset}green",
            f"{offset}yellow",
            f"{offset}blue",
            f"{offset}magenta",
            f"{offset}cyan",
            f"{offset}white",
        ),
        start=base,
    )
}
_RESET = "\033[0m"


def style(text: str, *, fg: str | None = None, bold: bool = False, dim: bool = False) -> str:
    """`text` in a foreground colour, bold and/or dim (the subset of click.style we use)."""
    bits = []
    if fg is not None:
        bits.append(f"\033[{_COLORS[fg]}m")
    if bold:
        bits.append("\033[1m")
    if dim:
        bits.append("\033[2m")
    return "".join(bits) + text + _RESET


def echo(
    text: str,
    *,
    color: bool,
    err: bool = False,
    fg: str | None = None,
    bold: bool = False,
    dim: bool = False,
) -> None:
    """One line on stdout (stderr with `err`), its control characters escaped; styled when
    colours are on (`color`: no --no-color, no NO_COLOR) and the stream is a terminal."""
    stream: TextIO = sys.stderr if err else sys.stdout
    line = escape_terminal(text)
    if color and (fg or bold or dim) and isatty(stream):
        line = style(line, fg=fg, bold=bold, dim=dim)
    stream.write(line + "\n")
    stream.flush()


_json_documents = 0
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def print_json(data: Any) -> None:
    """Write one JSON document to stdout (the only way --json output should be printed)."""
    global _json_documents
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    ascii_only = encoding not in ("utf8", "utf8sig")  # e.g. a latin-1 terminal: \u escapes
    text = json.dumps(data, indent=2, default=str, ensure_ascii=ascii_only)
    if not ascii_only:  # DEL, C1 controls (an 8-bit CSI) and bidi overrides as \u escapes
        text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(redact(text) + "\n")
    sys.stdout.flush()
    _json_documents += 1


def json_documents_printed() -> int:
    """How many JSON documents this run printed (so an error adds none after a result)."""
    return _json_documents


def reset_json_count() -> None:
    global _json_documents
    _json_documents = 0
