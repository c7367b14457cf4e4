"""`omni-scale ... --help` without click: the page click would print, looked up.

Importing click costs about four bare interpreters, so the help of every command is rendered
through click ahead of time (help_render.py writes help_pages.py) and printed from there when
argv is exactly a known command path and `--help` or `-h` (global options anywhere, as
globals.py allows them) and click would format the page at a stored width. Anything else
returns None and goes through click. tests/cli/test_help_pages.py keeps the pages equal to
click's rendering.
"""

from __future__ import annotations

import os
import sys

from omni_scale.cli.globals import extract

# main.py's root context setting (max_content_width): click formats help to at most this
MAX_CONTENT_WIDTH = 100
HELP_OPTIONS = ("-h", "--help")
# click answers shell completion first when this is set (commands/completion.py's COMPLETE_VAR)
COMPLETE_VAR = "_OMNI_SCALE_COMPLETE"


def terminal_columns() -> int:
    """shutil.get_terminal_size().columns (what click asks), without importing shutil: the
    COLUMNS variable when it is a positive number, else the terminal on stdout, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    if stdout is None:
        return 80
    try:
        size = os.get_terminal_size(stdout.fileno())
    except (AttributeError, ValueError, OSError):
        return 80
    return size.columns or 80


def help_width(columns: int) -> int:
    """The width click's HelpFormatter wraps to for a terminal this many columns wide."""
    return max(min(columns, MAX_CONTENT_WIDTH) - 2, 50)


def help_page(argv: list[str]) -> str | None:
    """The text `omni-scale ARGV` prints (newline included), or None to ask click."""
    rest = extract(argv).rest
    if not rest or rest[-1] not in HELP_OPTIONS or os.environ.get(COMPLETE_VAR):
        return None
    from omni_scale.cli.help_pages import PAGES

    page = PAGES.get((tuple(rest[:-1]), help_width(terminal_columns())))
    if page is None:
        return None
    if not page.isascii() and (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
        return None  # click picks the encoding and the error handling for other streams
    return page
