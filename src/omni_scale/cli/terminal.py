"""Text from the repo or a peer is escaped, shortened and redacted before a terminal sees it.

Proxmox names, omnictl and docker output, file contents quoted in messages: any of them may
carry terminal escape sequences (ESC [ 2 J clears the screen, OSC 52 writes the clipboard, an
8-bit CSI works on some terminals) or bidi overrides that reorder what is shown. Everything
the CLI prints goes through here:

* `SafeConsole` (rich) escapes control characters in the *text* of every segment it renders,
  while rich's own styling codes still work; and redacts registered secrets;
* `cli.output` (no rich) escapes the plain lines, and `clean_line` the one-line messages
  (errors, warnings, notes), which it also shortens;
* JSON output needs no escaping (json.dumps escapes controls), only redaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment

from omni_scale.cli.output import escape_terminal
from omni_scale.redact import redact


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
