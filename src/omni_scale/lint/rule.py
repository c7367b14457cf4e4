"""What a rule module is, and the rule registry (every module in `omni_scale.lint.rules`).

A rule module, yamllint-style, has:
  ID        stable kebab-case identifier, e.g. "mc-legacy-format"
  SEVERITY  the default Severity
  KINDS     the document Kinds it looks at (`check(doc, ctx)` is called for each), or
  SCOPE = "project" with `check_project(files, ctx)` for rules across files
  a docstring with a failing and a passing example
  check     a generator yielding Problems with line and column
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from omni_scale.lint.document import Document, Kind, SourceFile
from omni_scale.lint.problem import Problem, Severity

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    kinds: frozenset[Kind]
    project_scope: bool
    module: ModuleType

    @property
    def doc(self) -> str:
        return (self.module.__doc__ or "").strip()

    def check(self, doc: Document, ctx: LintContext) -> Iterator[Problem]:
        result: Iterable[Problem] = self.module.check(doc, ctx)
        yield from result

    def check_project(self, files: list[SourceFile], ctx: LintContext) -> Iterator[Problem]:
        result: Iterable[Problem] = self.module.check_project(files, ctx)
        yield from result


@cache
def all_rules() -> tuple[Rule, ...]:
    from omni_scale.lint import rules as package

    found: list[Rule] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found.append(
            Rule(
                id=module.ID,
                severity=Severity(getattr(module, "SEVERITY", Severity.ERROR)),
                kinds=frozenset(getattr(module, "KINDS", ())),
                project_scope=getattr(module, "SCOPE", "document") == "project",
                module=module,
            )
        )
    ids = [rule.id for rule in found]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"duplicate rule IDs: {duplicates}"
    return tuple(found)


def make_problem(
    rule_id: str,
    severity: Severity | str,
    doc: Document,
    message: str,
    *,
    hint: str | None = None,
    node: Any = None,
    key: Any = None,
    line: int | None = None,
    column: int | None = None,
) -> Problem:
    """A Problem at `key` of `node` in `doc` (or at an explicit line/column)."""
    if line is None:
        line, col = doc.position(node, key)
        column = column or col
    return Problem(
        path=str(doc.path),
        line=line,
        column=column or 1,
        rule=rule_id,
        severity=Severity(severity),
        message=message,
        hint=hint,
    )


def render_markdown() -> str:
    """The rules reference (docs/lint-rules.md), generated from the rules' own docstrings."""
    parts = []
    for rule in sorted(all_rules(), key=lambda r: r.id):
        title, _, body = rule.doc.partition("\n")
        what = title.split(":", 1)[1].strip() if ":" in title else title
        parts.append(
            f"### `{rule.id}`\n\n{what}\n\nDefault severity: {rule.severity}.\n\n{body.strip()}\n"
        )
    return "\n".join(parts)
