"""The result types of a placement plan (the release replayed is core.placement.release)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from omni_scale.core.placement.release import Release

GIB = 1024**3
MIB = 1024**2


# The provider's steps in the order it runs them (placement.md §6): it stops at the first error.
# "create"/"start" are what Proxmox refuses after the provider's own checks passed.
STEPS = ("node", "nextid", "iso_storage", "iso", "scsi0", "pool", "disks", "create", "start", "ha")


@dataclass(frozen=True)
class PlanProblem:
    severity: str  # "error" | "warning" | "info"
    message: str
    hint: str | None = None
    step: str | None = None  # one of STEPS: where the provider (or Proxmox) meets it

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "step": self.step,
        }


def first_error(problems: list[PlanProblem]) -> PlanProblem | None:
    """The error the provider would show: it stops at the first failing step (STEPS order)."""
    errors = [p for p in problems if p.severity == "error"]
    if not errors:
        return None
    rank = {step: i for i, step in enumerate(STEPS)}
    return min(errors, key=lambda p: rank.get(p.step or "create", len(STEPS)))


def dedupe(problems: list[PlanProblem]) -> list[PlanProblem]:
    """Each problem once, first occurrence order."""
    return list(dict.fromkeys(problems))


@dataclass(frozen=True)
class DiskPlan:
    slot: str  # scsi0, scsi1, ...
    storage: str | None
    size_gb: int
    selector: str
    matches: tuple[str, ...] = ()
    bytes: int | None = None  # exact size when not whole GiB (efidisk0)

    @property
    def size_bytes(self) -> int:
        return self.bytes if self.bytes is not None else self.size_gb * GIB

    def to_json(self) -> dict[str, Any]:
        return {
            "slot": self.slot,
            "storage": self.storage,
            "size_gb": self.size_gb,
            "size_bytes": self.size_bytes,
            "selector": self.selector,
            "matches": list(self.matches),
        }


@dataclass(frozen=True)
class MachinePlan:
    """One request of a machine set: the node it lands on and its disks there."""

    request: str
    node: str | None
    disks: tuple[DiskPlan, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "request": self.request,
            "node": self.node,
            "disks": [d.to_json() for d in self.disks],
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
    machines: list[MachinePlan] = field(default_factory=list)
    release: Release | None = None
    memory: int = 0  # MiB per VM

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def provider_error(self) -> PlanProblem | None:
        return first_error(self.problems)

    def to_json(self) -> dict[str, Any]:
        shown = self.provider_error
        return {
            "id": self.id,
            "providerid": self.providerid,
            "node": self.node,
            "disks": [d.to_json() for d in self.disks],
            "replicas": [{"request": m.request, "node": m.node} for m in self.machines],
            "ok": self.ok,
            "provider_error": shown.message if shown else None,
            "problems": [p.to_json() for p in self.problems],
            "path": self.path,
            "source": self.source,
            "release": self.release.to_json() if self.release else None,
        }
