"""Command lines answered without click: `selector check EXPR` and `lint [FILE...]`.

These are the command lines people, hooks and Claude Code run most, and importing click
costs about four bare interpreter starts on its own (bench/startup.py). Only their exact
shapes are answered here: the command, then positional arguments only (global options are
already lifted out by `cli.globals`). Anything else (an option such as `--format`, `--help`, a
value starting with `-`, `--`) goes to click, so the two paths cannot parse a line
differently. Both call the same handler (`cli.handlers`), which calls the same service;
tests/cli/test_fast.py runs each shape both ways and compares output and exit code.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~1x a bare start
if TYPE_CHECKING:
    from omni_scale.cli.globals import GlobalOptions


def _positional(arg: str) -> bool:
    """What click would take as a value, not an option: not empty (click makes `""` the
    path `.`) and not starting with `-`."""
    return bool(arg) and not arg.startswith("-")


def shape(rest: list[str]) -> str | None:
    """The command `answer` runs for this command line, or None for click."""
    if len(rest) == 3 and rest[:2] == ["selector", "check"]:
        expr = rest[2]
        return "selector check" if expr == "-" or _positional(expr) else None
    if rest and rest[0] == "lint" and all(_positional(a) for a in rest[1:]):
        return "lint"
    return None


def answer(options: GlobalOptions) -> int | None:
    """Run the command when its shape is one of ours and return its exit code; None
    otherwise (click then parses the line)."""
    command = shape(options.rest)
    if command is None:
        return None
    from omni_scale.cli.app import AppContext

    app = AppContext(options)
    if command == "selector check":
        from omni_scale.cli.handlers.selector import check

        return check(app, options.rest[2], None, None, None)
    from pathlib import Path

    from omni_scale.cli.handlers.lint import lint

    return lint(app, tuple(Path(a) for a in options.rest[1:]), None, (), ())
