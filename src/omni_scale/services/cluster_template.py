"""`cluster template validate | sync | diff`: lint the template, then ask omnictl.

`validate` runs omnictl (offline and authoritative) when one is found; `sync` and `diff` stop on
lint errors and run omnictl from the template's directory, so `file:` patches resolve the same
way with old and new omnictl.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omni_scale.adapters.omnictl.errors import error_text
from omni_scale.adapters.omnictl.run import Omnictl, RunResult
from omni_scale.errors import InputError
from omni_scale.lint.context import build_context
from omni_scale.lint.document import Kind
from omni_scale.lint.engine import LintReport, lint_files
from omni_scale.project import Project
from omni_scale.services.omnictl_ensure import find_for_project

_ACTION_RE = re.compile(
    r"^\* (?P<action>creating|updating|tearing down|destroying|deleting) "
    r"(?P<type>[\w.]+)\((?P<id>[^)]*)\)(?P<dry> \(dry run\))?"
)


def lint_template(project: Project, path: Path) -> LintReport:
    """Our lint rules on one template (all rules: ct-* and yaml-syntax apply to it)."""
    report = lint_files([path], build_context(project))
    source = report.files[0]
    if source.error is None and Kind.CLUSTER_TEMPLATE not in source.kinds:
        raise InputError(
            "not a cluster template (no document with kind: Cluster, ControlPlane, Workers or "
            "Machine)",
            path=path,
            hint="omni-scale cluster create NAME writes one",
        )
    return report


@dataclass
class Validation:
    report: LintReport
    omnictl: dict[str, Any]  # {"available", "ok", "output"[, "path"]}

    @property
    def ok(self) -> bool:
        return self.report.errors == 0 and self.omnictl["ok"] is not False


def validate(project: Project, path: Path, note: Callable[[str], None]) -> Validation:
    report = lint_template(project, path)
    found = find_for_project(project, note)
    omnictl: dict[str, Any] = {"available": found is not None, "ok": None, "output": None}
    if found is not None:
        omnictl["path"] = str(found.path)
        result = Omnictl(found.path).template_validate(path, check=False)
        omnictl["ok"] = result.code == 0
        if result.code != 0:  # offline: any failure is omnictl's verdict on the template
            omnictl["output"] = error_text(result.stderr) or result.stdout.strip()
    return Validation(report, omnictl)


def sync_actions(stdout: str) -> list[dict[str, str]]:
    """`* creating Clusters.omni.sidero.dev(x)` lines of `omnictl cluster template sync`."""
    return [
        {"action": m.group("action"), "type": m.group("type"), "id": m.group("id")}
        for m in (_ACTION_RE.match(line) for line in stdout.splitlines())
        if m
    ]


def sync(client: Omnictl, path: Path, *, dry_run: bool) -> RunResult:
    return client.template_sync(path, dry_run=dry_run)


def diff(client: Omnictl, path: Path) -> RunResult:
    return client.template_diff(path)
