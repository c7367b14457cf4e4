"""Every lint rule documents itself yamllint-style: an ID, a failing and a passing example."""

from __future__ import annotations

import re

import pytest

from omni_scale.lint.rule import Rule, all_rules


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_rule_docstring_names_its_id_and_shows_both_examples(rule: Rule) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.id)
    doc = rule.doc
    assert doc.startswith(f"{rule.id}:"), "the docstring's first line starts with the rule ID"
    if rule.id != "yaml-syntax":  # reported by the engine itself (unparsable files)
        assert re.search(r"^Failing[^\n]*::$", doc, re.MULTILINE), "a failing example"
        assert re.search(r"^Passing[^\n]*::$", doc, re.MULTILINE), "a passing example"


def test_rules_reference_is_generated_from_the_docstrings() -> None:
    from conftest import REPO
    from omni_scale.lint.rule import render_markdown

    docs = (REPO / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    start = docs.index("<!-- BEGIN rules")
    body = docs[docs.index("\n", start) + 1 : docs.index("<!-- END rules -->")]
    assert body == render_markdown(), "regenerate: uv run python scripts/gen_rule_docs.py"
    for rule in all_rules():
        assert f"### `{rule.id}`" in body
