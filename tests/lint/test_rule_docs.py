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
