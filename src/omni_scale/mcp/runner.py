"""Run one omni-scale command in this process and keep its JSON document and exit code.

The MCP tools answer with exactly what `omni-scale --json COMMAND` prints, so they call the CLI's
own entry point (the same command functions, error handling and exit codes) with --json, the
project directory and arguments as separate argv items: no shell is involved, and values come
after `--` or as `--option=value`, so a value is never read as an option.

Standard streams are process-wide: one command runs at a time (a lock), with stdout and stderr
captured and stdin empty (a command never reads the MCP client's messages).
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omni_scale.errors import EXIT_ENVIRONMENT, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

_LOCK = threading.Lock()

MEANING = {
    EXIT_OK: "ok",
    EXIT_PROBLEMS: "problems found or unhealthy",
    EXIT_USAGE: "bad usage or bad input",
    EXIT_ENVIRONMENT: "environment: a tool missing, an endpoint unreachable, credentials refused",
}


@dataclass(frozen=True)
class Outcome:
    """What one command run produced."""

    args: tuple[str, ...]
    exit_code: int
    document: Any  # the one JSON document on stdout, None when there was none
    stderr: str

    @property
    def error(self) -> dict[str, Any] | None:
        """The CLI's error document (`{"ok": false, "error": {...}}`), if this is one."""
        doc = self.document
        if isinstance(doc, dict) and doc.get("ok") is False:
            error = doc.get("error")
            if isinstance(error, dict):
                return error
        return None

    @property
    def meaning(self) -> str:
        return MEANING.get(self.exit_code, "interrupted or unexpected")


@contextmanager
def _empty_stdin() -> Iterator[None]:
    import sys

    saved = sys.stdin
    sys.stdin = io.StringIO("")
    try:
        yield
    finally:
        sys.stdin = saved


def run_json(project: Path, args: Sequence[str]) -> Outcome:
    """`omni-scale --project-dir PROJECT --json ARGS...`, in-process."""
    from omni_scale.cli.main import main

    argv = ["--project-dir", str(project), "--json", *args]
    out, err = io.StringIO(), io.StringIO()
    with _LOCK, redirect_stdout(out), redirect_stderr(err), _empty_stdin():
        code = main(argv)
    text = out.getvalue().strip()
    try:
        document = json.loads(text) if text else None
    except ValueError:
        document = None
    return Outcome(tuple(args), code, document, err.getvalue())
