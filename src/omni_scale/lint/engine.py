"""Run the rules over files: expand paths, parse, dispatch by kind, filter, sort."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from omni_scale.errors import InputError
from omni_scale.lint.context import LintContext
from omni_scale.lint.document import SourceFile, read_source, reserve
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import Rule, rule_ids, rules_for
from omni_scale.yamlio import yaml_files

_IGNORE_RE = re.compile(r"#\s*omni-scale:\s*ignore=([A-Za-z0-9_,\s-]+)")


@dataclass
class LintReport:
    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.WARNING)

    def to_json(self) -> dict[str, object]:
        return {
            "problems": [p.to_json() for p in self.problems],
            "summary": {"files": len(self.files), "errors": self.errors, "warnings": self.warnings},
        }


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, directories as their *.yaml/*.yml files (recursively), no duplicates."""
    seen: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for child in yaml_files(path):
                seen.setdefault(child, None)
        elif path.exists():
            seen.setdefault(path, None)
        else:
            raise InputError(f"{path} does not exist", hint="check the path")
    return list(seen)


def select_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[str]:
    """The IDs of the rules to run: every rule, or `select`, without `ignore`."""
    ids = rule_ids()
    known = set(ids)
    for rule_id in (*select, *ignore):
        if rule_id not in known:
            raise InputError(
                f"unknown rule '{rule_id}'",
                hint=f"known rules: {', '.join(sorted(known))}",
            )
    if select:
        ids = [i for i in ids if i in select]
    return [i for i in ids if i not in ignore]


def lint_files(
    paths: Iterable[Path],
    ctx: LintContext,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> LintReport:
    selected = select_rules(select, ignore)
    report = LintReport()
    files = expand_paths(paths)
    reserve(len(files))
    for path in files:
        report.files.append(read_source(path))
    kinds = {doc.kind for source in report.files for doc in source.documents}
    return run_rules(report, rules_for(selected, kinds), ctx)


def run_rules(report: LintReport, rules: list[Rule], ctx: LintContext) -> LintReport:
    found: list[Problem] = []
    rule_ids = {r.id for r in rules}
    for source in report.files:
        if source.error is not None and "yaml-syntax" in rule_ids:
            err = source.error
            found.append(
                Problem(
                    path=str(source.path),
                    line=err.line or 1,
                    column=err.column or 1,
                    rule="yaml-syntax",
                    severity=Severity.ERROR,
                    message=err.message,
                    hint=err.hint,
                )
            )
        for doc in source.documents:
            for rule in rules:
                if not rule.project_scope and doc.kind in rule.kinds:
                    found.extend(rule.check(doc, ctx))
    for rule in rules:
        if rule.project_scope:
            found.extend(rule.check_project(report.files, ctx))
    by_path = {str(s.path): s for s in report.files}
    # set(): a patch file shared by several machine sets is reported once
    report.problems = sorted({p for p in found if not _ignored_inline(p, by_path.get(p.path))})
    return report


def _ignored_inline(problem: Problem, source: SourceFile | None) -> bool:
    """`# omni-scale: ignore=RULE[,RULE]` on the problem's line or the line above it, or, for
    a problem reported at a block scalar's key (`providerdata: >`, where the inner lines cannot
    be pinned), on a comment line inside that block."""
    if source is None:
        return False
    lines = [problem.line, problem.line - 1]
    key_line = source.line_text(problem.line)
    if _BLOCK_KEY_RE.search(key_line):
        indent = len(key_line) - len(key_line.lstrip(" "))
        file_lines = source.text.splitlines()
        for number in range(problem.line + 1, len(file_lines) + 1):
            text = file_lines[number - 1]
            if text.strip() and len(text) - len(text.lstrip(" ")) <= indent:
                break  # the block ended
            if text.lstrip().startswith("#"):
                lines.append(number)
    for line in lines:
        match = _IGNORE_RE.search(source.line_text(line))
        if match:
            ids = {part.strip() for part in match.group(1).split(",")}
            if problem.rule in ids or "all" in ids:
                return True
    return False


_BLOCK_KEY_RE = re.compile(r":\s*[|>][-+0-9]*\s*(#.*)?$")
