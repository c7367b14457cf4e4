"""The rule tables of docs/ (machine classes, templates, provider files), generated from the rules.

Each row is a rule module's ID, the severities it reports (its SEVERITY first, then every other
`Severity.X` it uses) and the first paragraph of its docstring (after `ID:`), so the docs say
what the code does. `python -m omni_scale.lint.docs` rewrites the tables between their
`<!-- BEGIN rule table PREFIX -->` and `<!-- END rule table PREFIX -->` markers; a test fails
when a table differs from the rules.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
from pathlib import Path

from omni_scale.lint.rule import Rule, all_rules, render_index, render_markdown

# docs file (relative to the repository) -> rule-ID prefix of its table, and its header
TABLES: dict[str, tuple[str, str]] = {
    "docs/machineclasses.md": ("mc-", "| rule | severity | catches |"),
    "docs/clusters.md": ("ct-", "| rule | severity | checks |"),
    "docs/provider.md": ("provider-", "| rule | severity | what |"),
}
_SEVERITY_RE = re.compile(r"^Severity\.([A-Z]+)$")


def summary(rule: Rule) -> str:
    """The docstring's first paragraph without its `ID:`, on one line."""
    first = rule.doc.split("\n\n", 1)[0]
    return " ".join(first.split()).removeprefix(f"{rule.id}:").strip()


def severities(rule: Rule) -> list[str]:
    """The rule's default severity, then every other one its module reports."""
    found = [rule.severity.value]
    tree = ast.parse(inspect.getsource(rule.module))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            match = _SEVERITY_RE.match(f"{node.value.id}.{node.attr}")
            if match and match.group(1).lower() not in found:
                found.append(match.group(1).lower())
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_table(prefix: str, header: str) -> str:
    lines = [header, "|---|---|---|"]
    for rule in all_rules():
        if rule.id.startswith(prefix):
            lines.append(
                f"| `{rule.id}` | {' / '.join(severities(rule))} | {_cell(summary(rule))} |"
            )
    return "\n".join(lines) + "\n"


def markers(prefix: str) -> tuple[str, str]:
    return (
        f"<!-- BEGIN rule table {prefix} (generated from the rules: python -m "
        "omni_scale.lint.docs) -->",
        f"<!-- END rule table {prefix} -->",
    )


def table_in(text: str, prefix: str) -> str:
    """The generated part of a docs file (between its markers)."""
    begin, end = markers(prefix)
    start = text.index(begin) + len(begin) + 1
    return text[start : text.index(end)]


def update(text: str, prefix: str, header: str) -> str:
    begin, end = markers(prefix)
    start = text.index(begin) + len(begin) + 1
    return text[:start] + render_table(prefix, header) + text[text.index(end) :]


REFERENCE = "docs/lint-rules.md"
INDEX = "src/omni_scale/lint/rules/_index.py"
REFERENCE_BEGIN = "<!-- BEGIN rules (generated from the rules: python -m omni_scale.lint.docs) -->"
REFERENCE_END = "<!-- END rules -->"


def reference_in(text: str) -> str:
    """The generated part of the rules reference (between its markers)."""
    start = text.index(REFERENCE_BEGIN) + len(REFERENCE_BEGIN) + 1
    return text[start : text.index(REFERENCE_END)]


def update_reference(text: str) -> str:
    start = text.index(REFERENCE_BEGIN) + len(REFERENCE_BEGIN) + 1
    return text[:start] + render_markdown() + text[text.index(REFERENCE_END) :]


def main(repo: Path) -> int:
    """Rewrite the rule tables of the domain docs, the whole rules reference and the rule
    index the engine loads rules by (src/omni_scale/lint/rules/_index.py)."""
    index = repo / INDEX
    if index.read_text(encoding="utf-8") != render_index():
        index.write_text(render_index(), encoding="utf-8")
        print(f"updated {INDEX}")
    reference = repo / REFERENCE
    text = reference.read_text(encoding="utf-8")
    new = update_reference(text)
    if new != text:
        reference.write_text(new, encoding="utf-8")
        print(f"updated {REFERENCE}")
    for name, (prefix, header) in TABLES.items():
        path = repo / name
        text = path.read_text(encoding="utf-8")
        new = update(text, prefix, header)
        if new != text:
            path.write_text(new, encoding="utf-8")
            print(f"updated {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()))
