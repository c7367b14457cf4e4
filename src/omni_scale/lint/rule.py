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

from omni_scale.lint import rules as package
from omni_scale.lint.document import Document, Kind, SourceFile
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rules._index import RULES as INDEX

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


def rule_modules() -> list[str]:
    """The names of the rule modules in `omni_scale.lint.rules`, sorted."""
    names = (i.name for i in pkgutil.iter_modules(package.__path__))
    return sorted(n for n in names if not n.startswith("_"))


@cache
def load_rule(name: str) -> Rule:
    """The rule in module `omni_scale.lint.rules.<name>` (imported on first use)."""
    module = importlib.import_module(f"{package.__name__}.{name}")
    return Rule(
        id=module.ID,
        severity=Severity(getattr(module, "SEVERITY", Severity.ERROR)),
        kinds=frozenset(getattr(module, "KINDS", ())),
        project_scope=getattr(module, "SCOPE", "document") == "project",
        module=module,
    )


@cache
def all_rules() -> tuple[Rule, ...]:
    found = tuple(load_rule(name) for name in rule_modules())
    ids = [rule.id for rule in found]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"duplicate rule IDs: {duplicates}"
    return found


def rules_for(ids: Iterable[str], kinds: Iterable[Kind]) -> list[Rule]:
    """The rules among `ids` that can report on documents of `kinds`: those looking at one of
    these kinds, and those looking at none in particular (yaml-syntax). Only their modules
    are imported, from the index (`lint/rules/_index.py`): the template rules and the
    modules they use are not loaded to lint one machine class (bench/startup.py)."""
    wanted, present = set(ids), {str(k) for k in kinds}
    return [
        load_rule(module)
        for rule_id, module, looks_at in INDEX
        if rule_id in wanted and (not looks_at or present.intersection(looks_at))
    ]


def rule_ids() -> list[str]:
    """Every rule ID, from the index (no rule module imported)."""
    return [rule_id for rule_id, _, _ in INDEX]


def render_index() -> str:
    """The source of `lint/rules/_index.py`: each rule's ID, module and kinds."""
    lines = [
        '"""Every lint rule: its ID, its module and the document kinds it looks at.',
        "",
        "Generated from the rule modules by `python -m omni_scale.lint.docs`; do not edit (a test",
        'fails when it differs from the rules). The engine imports only the rules it needs."""',
        "",
        "RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (",
    ]
    for name in rule_modules():
        rule = load_rule(name)
        kinds = [f'"{k}"' for k in sorted(str(k) for k in rule.kinds)]
        looks_at = f"({kinds[0]},)" if len(kinds) == 1 else f"({', '.join(kinds)})"
        lines.append(f'    ("{rule.id}", "{name}", {looks_at}),')
    lines.append(")")
    return "\n".join(lines) + "\n"


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
