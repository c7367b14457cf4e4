"""Text from the repo or a peer is escaped, shortened and redacted before a terminal sees it.

Proxmox names, omnictl and docker output, file contents quoted in messages: any of them may
carry terminal escape sequences (ESC [ 2 J clears the screen, OSC 52 writes the clipboard, an
8-bit CSI works on some terminals) or bidi overrides that reorder what is shown. Everything
the CLI prints goes through here:

* `SafeConsole` (rich) escapes control characters in the *text* of every segment it renders,
  while rich's own styling codes still work; and redacts registered secrets;
* `clean_line` does the same for the one-line messages (errors, warnings, notes), and
  shortens them;
* JSON output needs no escaping (json.dumps escapes controls), only redaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment

from omni_scale.redact import redact

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


class SafeConsole(Console):
    """A rich Console whose rendered text can carry no escape sequence of a peer."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        # omni-scale prints no hyperlinks: a `[link=...]` in a peer's name that reached markup
        # would become an OSC 8 escape, so links are dropped from every style
        safe = (
            segment
            if segment.control
            else Segment(
                escape_terminal(redact(segment.text)),
                segment.style.update_link(None)
                if segment.style and segment.style.link
                else segment.style,
            )
            for segment in buffer
        )
        return super()._render_buffer(safe)


def safe_console(**kwargs: Any) -> Console:
    return SafeConsole(**kwargs)
