"""`cluster template validate | sync | diff`: lint the template, then ask omnictl.

Each lints the template first. `validate` then asks omnictl (offline and authoritative) when an
omnictl is found or may be installed; `sync` and `diff` stop on lint errors and run omnictl from
the template's directory, so `file:` patches resolve the same way with old and new omnictl.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omni_scale.adapters.omnictl.errors import error_text
from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.adapters.omnictl.version import read_version
from omni_scale.errors import EnvironmentProblem, InputError
from omni_scale.lint.context import LintContext, build_context
from omni_scale.lint.document import Kind
from omni_scale.lint.engine import LintReport, lint_files
from omni_scale.project import Project
from omni_scale.services.omnictl_ensure import Confirm, ensure_client, find_for_project

Note = Callable[[str], None]

# omnictl's sync lines (client/pkg/template/operations/sync.go, v1.10.4): `* creating <Type>(<id>)`,
# `* updating ...`, `* tearing down ...`, each with ` (dry run)` before the resource on a dry run;
# `* destroyed <Type>(<id>)` once a torn-down resource is gone. Colour codes are dropped first.
_ACTION_RE = re.compile(
    r"^\* (?P<action>creating|updating|tearing down|destroyed)(?P<dry> \(dry run\))? "
    r"(?P<type>[\w.]+)\((?P<id>[^)]*)\)\s*$"
)
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Prompts:
    """How omnictl may be installed on first use (see `ensure_client`)."""

    note: Note
    warn: Note
    interactive: bool = False
    assume_yes: bool = False
    confirm: Confirm | None = None


def template_path(project: Project, file: Path) -> Path:
    """FILE as given (relative to the working directory), else relative to the project root."""
    path = file if file.is_absolute() else Path.cwd() / file
    if not path.exists() and not file.is_absolute():
        in_project = project.root / file
        path = in_project if in_project.exists() else path
    if not path.is_file():
        raise InputError(
            f"{file} does not exist",
            hint="give a template file, e.g. clusters/<name>.yaml",
            path=file,
        )
    return path.resolve()


def lint_template(project: Project, path: Path) -> LintReport:
    """Our lint rules on one template (all rules: ct-* and yaml-syntax apply to it)."""
    report = lint_files([path], build_context_with_omnictl(project))
    source = report.files[0]
    if source.error is None and Kind.CLUSTER_TEMPLATE not in source.kinds:
        raise InputError(
            "not a cluster template (no document with kind: Cluster, ControlPlane, Workers or "
            "Machine)",
            path=path,
            hint="omni-scale cluster create NAME writes one",
        )
    return report


def build_context_with_omnictl(project: Project) -> LintContext:
    """The lint context, with the installed omnictl's release when one is found (template fields
    depend on it: ct-omnictl-version)."""
    ctx = build_context(project)
    found = find_for_project(project)
    if found is not None:
        try:
            ctx.omnictl_version = read_version(found.path).tag
        except EnvironmentProblem:
            ctx.omnictl_version = None  # the omnictl steps report a broken binary
    return ctx


def _client(project: Project, prompts: Prompts) -> Omnictl:
    return ensure_client(
        project,
        interactive=prompts.interactive,
        note=prompts.note,
        assume_yes=prompts.assume_yes,
        confirm=prompts.confirm,
        timeout=300,
    )


@dataclass(frozen=True)
class Validation:
    report: LintReport
    omnictl: dict[str, Any]  # {"available", "ok", "output"[, "path"]}

    @property
    def ok(self) -> bool:
        return self.report.errors == 0 and self.omnictl["ok"] is not False


def validate(project: Project, path: Path, prompts: Prompts) -> Validation:
    """Lint, then `omnictl cluster template validate` (offline) when omnictl is found; it is
    installed first with `assume_yes` or after asking on a terminal, else only the lint runs."""
    report = lint_template(project, path)
    found = find_for_project(project, prompts.note)
    client: Omnictl | None = Omnictl(found.path) if found is not None else None
    if client is None and (prompts.assume_yes or prompts.interactive):
        # Installed on first use, as the other omnictl commands do (docs/omnictl.md): with
        # --yes, or after asking on a terminal. Without either, validation is lint-only.
        client = _client(project, prompts)
    omnictl: dict[str, Any] = {"available": client is not None, "ok": None, "output": None}
    if client is not None:
        omnictl["path"] = str(client.binary)
        result = client.template_validate(path, check=False)
        omnictl["ok"] = result.code == 0
        if result.code != 0:  # offline: any failure is omnictl's verdict on the template
            omnictl["output"] = error_text(result.stderr) or result.stdout.strip()
    return Validation(report, omnictl)


@dataclass(frozen=True)
class Outcome:
    """`sync` or `diff`: `output` is None when lint errors stopped omnictl from running."""

    report: LintReport
    output: str | None = None
    actions: list[dict[str, str]] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return self.output is None


def sync_actions(stdout: str) -> list[dict[str, str]]:
    """The `* creating Clusters.omni.sidero.dev(x)` lines of `omnictl cluster template sync`."""
    return [
        {"action": m.group("action"), "type": m.group("type"), "id": m.group("id")}
        for m in (_ACTION_RE.match(_ANSI_RE.sub("", line)) for line in stdout.splitlines())
        if m
    ]


def sync(project: Project, path: Path, prompts: Prompts, *, dry_run: bool) -> Outcome:
    """Lint, and when there are no errors, `omnictl cluster template sync` the file."""
    report = lint_template(project, path)
    if report.errors:
        return Outcome(report)
    prompts.note(f"omnictl cluster template sync{' --dry-run' if dry_run else ''} -f {path.name}")
    result = _client(project, prompts).template_sync(path, dry_run=dry_run)
    for warning in result.warnings:
        prompts.warn(f"omnictl: {warning}")
    return Outcome(report, result.stdout, sync_actions(result.stdout))


def diff(project: Project, path: Path, prompts: Prompts) -> Outcome:
    """Lint, and when there are no errors, `omnictl cluster template diff` the file."""
    report = lint_template(project, path)
    if report.errors:
        return Outcome(report)
    result = _client(project, prompts).template_diff(path)
    for warning in result.warnings:
        prompts.warn(f"omnictl: {warning}")
    return Outcome(report, result.stdout)
