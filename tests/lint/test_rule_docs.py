"""Every lint rule documents itself yamllint-style: an ID, a failing and a passing example."""

from __future__ import annotations

import re

import pytest

from conftest import REPO
from omni_scale.lint.docs import TABLES, render_table, severities, summary, table_in
from omni_scale.lint.rule import Rule, all_rules


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_rule_docstring_names_its_id_and_shows_both_examples(rule: Rule) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.id)
    doc = rule.doc
    assert doc.startswith(f"{rule.id}:"), "the docstring's first line starts with the rule ID"
    if rule.id != "yaml-syntax":  # reported by the engine itself (unparsable files)
        assert re.search(r"^Failing[^\n]*::$", doc, re.MULTILINE), "a failing example"
        assert re.search(r"^Passing[^\n]*::$", doc, re.MULTILINE), "a passing example"


@pytest.mark.parametrize("docs", sorted(TABLES))
def test_docs_tables_are_generated_from_the_rules(docs: str) -> None:
    """Edit the rule's docstring (first paragraph) or its severities, then regenerate with
    `uv run python -m omni_scale.lint.docs`."""
    prefix, header = TABLES[docs]
    text = (REPO / docs).read_text(encoding="utf-8")
    assert table_in(text, prefix) == render_table(prefix, header), f"regenerate {docs}"


def test_every_family_rule_has_a_row() -> None:
    for prefix, header in TABLES.values():
        table = render_table(prefix, header)
        for rule in all_rules():
            if rule.id.startswith(prefix):
                assert f"| `{rule.id}` |" in table
                assert summary(rule) and "\n" not in summary(rule)


def test_severities_include_every_severity_a_rule_reports() -> None:
    by_id = {rule.id: rule for rule in all_rules()}
    assert severities(by_id["mc-spec-keys"]) == ["error", "warning"]
    assert severities(by_id["provider-config-tls"]) == ["warning", "error"]
    assert severities(by_id["mc-sockets-missing"]) == ["warning"]


def test_rules_reference_is_generated_from_the_docstrings() -> None:
    from conftest import REPO
    from omni_scale.lint.docs import REFERENCE, reference_in
    from omni_scale.lint.rule import render_markdown

    body = reference_in((REPO / REFERENCE).read_text(encoding="utf-8"))
    assert body == render_markdown(), "regenerate: uv run python -m omni_scale.lint.docs"
    for rule in all_rules():
        assert f"### `{rule.id}`" in body


def test_rule_index_is_generated_from_the_rules() -> None:
    """The engine loads rules by the index: a rule missing from it, or with other kinds,
    would silently not run."""
    from conftest import REPO
    from omni_scale.lint.docs import INDEX
    from omni_scale.lint.rule import render_index, rule_ids

    text = (REPO / INDEX).read_text(encoding="utf-8")
    assert text == render_index(), "regenerate: uv run python -m omni_scale.lint.docs"
    assert rule_ids() == [rule.id for rule in all_rules()]


def test_only_the_rules_of_the_kinds_present_are_loaded() -> None:
    """Linting one machine class imports no template or provider rule (a fresh process)."""
    import subprocess
    import sys

    from conftest import EXAMPLE

    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from omni_scale.lint.context import LintContext\n"
        "from omni_scale.lint.engine import lint_files\n"
        "lint_files([Path(sys.argv[1])], LintContext())\n"
        "print(' '.join(sorted(m.rsplit('.', 1)[1] for m in sys.modules\n"
        "    if m.startswith('omni_scale.lint.rules.') and not m.endswith('._index'))))\n"
    )
    target = EXAMPLE / "machine-classes" / "homelab-worker.yaml"
    out = subprocess.run(
        [sys.executable, "-c", probe, str(target)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    assert out and all(m.startswith(("mc_", "_mc", "yaml_", "unexpected_")) for m in out), out
    assert "yaml_syntax" in out and "mc_duplicate_id" in out
