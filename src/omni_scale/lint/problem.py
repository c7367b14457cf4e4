"""A lint problem: where, how bad, what, and how to fix it."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    hint: str | None = None

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return {
            k: data[k] for k in ("rule", "severity", "path", "line", "column", "message", "hint")
        }
