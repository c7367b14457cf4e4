"""The result types of a placement plan, and the provider-version test they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_VERSION_RE = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")
GIB = 1024**3
MIB = 1024**2


def version_tuple(version: str | None) -> tuple[int, int, int] | None:
    match = _VERSION_RE.match(version or "")
    if not match:
        return None
    return (int(match.group(1)), int(match.group(2)), int(match.group(3)))


def at_least(version: str | None, wanted: tuple[int, int, int]) -> bool:
    """True when the provider release is known and >= wanted (unknown: the 0d9fd58 behaviour)."""
    parsed = version_tuple(version)
    return parsed is not None and parsed >= wanted


@dataclass(frozen=True)
class PlanProblem:
    severity: str  # "error" | "warning" | "info"
    message: str
    hint: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"severity": self.severity, "message": self.message, "hint": self.hint}


@dataclass(frozen=True)
class DiskPlan:
    slot: str  # scsi0, scsi1, ...
    storage: str | None
    size_gb: int
    selector: str
    matches: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "slot": self.slot,
            "storage": self.storage,
            "size_gb": self.size_gb,
            "selector": self.selector,
            "matches": list(self.matches),
        }


@dataclass
class ClassPlan:
    id: str
    providerid: str | None
    node: str | None = None
    disks: list[DiskPlan] = field(default_factory=list)
    problems: list[PlanProblem] = field(default_factory=list)
    path: str | None = None
    source: str | None = None  # "snapshot" | "live"

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "providerid": self.providerid,
            "node": self.node,
            "disks": [d.to_json() for d in self.disks],
            "ok": self.ok,
            "problems": [p.to_json() for p in self.problems],
            "path": self.path,
            "source": self.source,
        }
