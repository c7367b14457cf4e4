"""The known-error table: every fact-sheet error string is diagnosed, with cause and fix."""

from __future__ import annotations

import re

import pytest

from conftest import DATA
from omni_scale.core.diagnosis import KNOWN_ERRORS, diagnose, diagnose_all, render_markdown

# Rows of the known-error table (tests/data/provider-known-errors.md) too generic to match on
# their own text.
NOT_MATCHABLE = {"500 Internal Server Error"}


def _facts_error_strings() -> list[str]:
    text = (DATA / "provider-known-errors.md").read_text(encoding="utf-8")
    section = text.split("## 10. Known error strings", 1)[1]
    strings = []
    for line in section.splitlines():
        match = re.match(r"^\| `([^`]+)`", line)
        if match:
            strings.append(match.group(1))
    return strings


def test_ids_are_unique_and_kebab_case() -> None:
    ids = [k.id for k in KNOWN_ERRORS]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


@pytest.mark.parametrize("known", KNOWN_ERRORS, ids=lambda k: k.id)
def test_each_example_is_diagnosed_as_itself(known: object) -> None:
    found = diagnose(known.example)  # type: ignore[attr-defined]
    assert known.id in [d.id for d in found]  # type: ignore[attr-defined]
    first = next(d for d in found if d.id == known.id)  # type: ignore[attr-defined]
    assert first.cause and first.fix


def test_every_error_string_of_the_fact_sheet_is_known() -> None:
    strings = _facts_error_strings()
    assert len(strings) >= 30
    unmatched = [s for s in strings if s not in NOT_MATCHABLE and not diagnose(s)]
    assert unmatched == []


def test_placeholders_are_filled_from_the_match() -> None:
    [found] = diagnose('Error: resource ID must match the infra provider ID "Proxmox"')
    assert found.id == "provider-id-mismatch"
    assert "'Proxmox'" in found.cause
    assert "--id=Proxmox" in found.fix
    assert found.matched == 'resource ID must match the infra provider ID "Proxmox"'


def test_unrelated_text_has_no_diagnosis() -> None:
    assert diagnose("machine provision finished") == []
    assert diagnose("") == []


def test_escaped_quotes_in_a_selector() -> None:
    [found] = diagnose(r'failed to pick the disk: no matches for the condition "name == \"x\""')
    assert found.groups["sel"] == r"name == \"x\""


def test_diagnose_all_reports_each_error_once() -> None:
    lines = ["not authorized to access endpoint"] * 3 + ["no nodes available"]
    assert [d.id for d in diagnose_all(lines)] == ["proxmox-not-authorized", "node-none"]


def test_markdown_has_a_row_per_error() -> None:
    table = render_markdown()
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) == len(KNOWN_ERRORS)
    assert "omnictl infraprovider create" in table
    assert all(line.count("|") - line.count("\\|") == 5 for line in rows)


def test_to_json_has_the_contract_keys() -> None:
    [found] = diagnose("no nodes available")
    assert set(found.to_json()) == {"id", "matched", "where", "cause", "fix", "source"}


def test_docs_carry_the_current_table() -> None:
    from conftest import REPO

    docs = (REPO / "docs" / "provider.md").read_text(encoding="utf-8")
    start = docs.index("<!-- BEGIN diagnosis table")
    body = docs[docs.index("\n", start) + 1 : docs.index("<!-- END diagnosis table -->")]
    assert body == render_markdown(), "regenerate the table in docs/provider.md"
