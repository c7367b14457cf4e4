"""`machineclass create`: a new MachineClass in machine-classes/NAME.yaml.

The providerdata values come from the caller (options over `--from FILE` over the state file's
defaults, see `state_defaults` and `values_from_file`); they are checked against the provider's
schema, rendered, linted as the file they will become, refused on lint errors or an id already
used by another file, and written (an existing file only with `force`, keeping a .bak).
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omni_scale.core.machineclass.model import is_dns_label
from omni_scale.core.machineclass.providerdata import ProviderData, from_mapping, issue_hint
from omni_scale.core.machineclass.providerdata_schema import schema_issues
from omni_scale.core.machineclass.render import providerdata_from_document, render_machine_class
from omni_scale.errors import InputError
from omni_scale.fs.safe_write import write_new
from omni_scale.lint.context import LintContext, build_context
from omni_scale.lint.document import read_source
from omni_scale.lint.engine import LintReport, lint_files
from omni_scale.lint.problem import Problem
from omni_scale.project import Project
from omni_scale.state import read_state
from omni_scale.textio import read_text_file
from omni_scale.yamlio import load_all


def check_name(name: str) -> None:
    if not is_dns_label(name):
        raise InputError(
            f"machine class name '{name}' is not a DNS-1123 label",
            hint="use lowercase letters, digits and '-', start and end with a letter or digit, "
            "at most 63 characters (e.g. worker-ssd)",
        )


def state_defaults(project: Project, keys: Mapping[str, str]) -> dict[str, Any]:
    """{providerdata key: value} of the state file's defaults (`keys`: key -> state key)."""
    state = read_state(project.state_file)
    return {key: state[skey] for key, skey in keys.items() if state.get(skey) is not None}


def values_from_file(path: Path) -> dict[str, Any]:
    """providerdata values of a `--from` file: providerdata keys, a MachineClass or a legacy
    class (one YAML document)."""
    docs = load_all(read_text_file(path, what="--from file"), path=path)
    docs = [d for d in docs if d is not None]
    if len(docs) != 1:
        raise InputError(
            f"--from file holds {len(docs)} YAML documents, expected one",
            path=path,
            hint="keep one providerdata mapping or one MachineClass in the file",
        )
    return providerdata_from_document(docs[0], path=str(path))


def model(
    values: Mapping[str, Any], option_for: Callable[[tuple[str | int, ...]], str | None]
) -> ProviderData:
    """The values checked against the provider's schema (the first issue names its option)."""
    issues = schema_issues(dict(values))
    if issues:
        first = issues[0]
        option = option_for(first.path)
        raise InputError(
            f"{first.message}" + (f" (from {option})" if option else ""),
            hint=issue_hint(first),
        )
    return from_mapping(dict(values))


@dataclass
class NewClass:
    name: str
    target: Path
    providerid: str
    text: str
    warnings: list[Problem]
    backup: Path | None = None
    written: bool = False


def create_machine_class(
    project: Project,
    name: str,
    values: Mapping[str, Any],
    *,
    option_for: Callable[[tuple[str | int, ...]], str | None],
    providerid: str | None,
    force: bool,
    dry_run: bool,
    warn: Callable[[str], None],
) -> NewClass:
    ctx = build_context(project)
    if providerid is None:
        _require_readable_compose(project)
    provider = providerid or _default_providerid(ctx)
    text = render_machine_class(name, provider, model(values, option_for))
    target = project.machine_classes_dir / f"{name}.yaml"
    report = _lint(text, name, target, ctx)
    _refuse_on_errors(report, project, target, warn)
    _check_duplicate(ctx, name, target, project)
    created = NewClass(name, target, provider, text, list(report.problems))
    if not dry_run:
        target.parent.mkdir(parents=True, exist_ok=True)
        outcome = write_new(target, text, force=force)
        created.written, created.backup = True, outcome.backup
    return created


def _require_readable_compose(project: Project) -> None:
    """The default providerid comes from docker/compose.yaml: an unreadable one is an error,
    not "no provider" (which would quietly fall back to the state file's or 'proxmox')."""
    compose = project.compose_file
    if compose.is_file():
        error = read_source(compose).error
        if error is not None:
            raise error


def _default_providerid(ctx: LintContext) -> str:
    ids = sorted(ctx.provider_ids)
    if len(ids) > 1:
        raise InputError(
            f"the project runs several providers ({', '.join(ids)})",
            hint="choose one with --providerid",
        )
    return ids[0]


def _lint(text: str, name: str, target: Path, ctx: LintContext) -> LintReport:
    """Lint the new file's text as if it were `target` (in a temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="omni-scale-") as tmp:
        path = Path(tmp) / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        report = lint_files([path], ctx)
    report.problems = [dataclasses.replace(p, path=str(target)) for p in report.problems]
    return report


def _refuse_on_errors(
    report: LintReport, project: Project, target: Path, warn: Callable[[str], None]
) -> None:
    errors = [p for p in report.problems if p.severity == "error"]
    if not errors:
        return
    for problem in errors[1:]:
        warn(f"{problem.rule}: {problem.message}")
    first = errors[0]
    raise InputError(
        f"refusing to write {project.relative(target)}: {first.message}"
        + (f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""),
        hint=first.hint,
    )


def _check_duplicate(ctx: LintContext, name: str, target: Path, project: Project) -> None:
    if ctx.machine_class_ids and name in ctx.machine_class_ids and not target.exists():
        raise InputError(
            f"machine class id '{name}' is already defined in another file of "
            f"{project.relative(target.parent)}/",
            hint="choose another NAME (omni-scale machineclass list shows the ids)",
        )
