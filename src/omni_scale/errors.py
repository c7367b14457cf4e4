"""The one error type every layer raises, and the exit-code contract.

Exit codes (documented in the README):
  0  ok
  1  problems found, or something is unhealthy
  2  bad usage or bad input (a file, an option, a value)
  3  environment: a tool is missing, an endpoint is unreachable, credentials are refused
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~1x a bare start
if TYPE_CHECKING:
    from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_ENVIRONMENT = 3


class OmniScaleError(Exception):
    """An expected failure, shown to the user as one line with a fix hint (no traceback)."""

    exit_code: int = EXIT_USAGE

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        exit_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        if exit_code is not None:
            self.exit_code = exit_code

    def location(self) -> str:
        if self.path is None:
            return ""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def one_line(self) -> str:
        """The message as one line: `path:line: message (hint: ...)`."""
        text = " ".join(self.message.split())
        where = self.location()
        if where:
            text = f"{where}: {text}"
        if self.hint:
            text += f" (hint: {' '.join(self.hint.split())})"
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "message": self.message,
            "hint": self.hint,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "exit_code": self.exit_code,
        }


class InputError(OmniScaleError):
    """Bad input: a file, an option or a value the user gave (exit 2)."""

    exit_code = EXIT_USAGE


class EnvironmentProblem(OmniScaleError):
    """Something outside our control is missing or refusing (exit 3)."""

    exit_code = EXIT_ENVIRONMENT


class FileConflict(InputError):
    """A write would replace a file the user wrote or changed."""
