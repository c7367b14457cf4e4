"""Property: every value written to the state file reads back identically.

Over all of Unicode (surrogates, NEL, U+2028/U+2029, C0/C1 controls, BOM, YAML indicators
included), for a text key, an unknown key and the summaries' nested mappings and lists. A value
must never break the file for later commands (the U+2028 + '---' line once did).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from omni_scale.state import read_state, update_state

ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=40)
TRICKY = st.sampled_from(
    ["\u2028", "\u2029", "\x85", "\r", "\n", "\x0b", "\x0c", "\x1c", "\x1e", "\ufeff", "\x00",
     "\x1b[2J", "\x9b", "---", "...", "- ", "? ", ": ", "#", "&a", "*a", "!!int", "'", '"',
     "\\", "\t", " ", "null", "~", "0x1F", "1e3", "yes", "2026-12-04", "{", "["]
)  # fmt: skip
VALUES = st.one_of(ANY_TEXT, st.lists(st.one_of(TRICKY, ANY_TEXT), max_size=6).map("".join))

SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(value=VALUES)
@example(value="a\u2028---\u2029b")
@example(value="x\x85y")
@example(value="\n---\n")
def test_text_value_reads_back(tmp_path: Path, value: str) -> None:
    path = tmp_path / ".claude" / "omni-scale.local.md"
    path.unlink(missing_ok=True)
    update_state(path, {"omni_endpoint": value, "storage_selector": value})
    update_state(path, {"default_cores": 3})  # a later command still reads and rewrites it
    state = read_state(path)
    assert state["omni_endpoint"] == value
    assert state["storage_selector"] == value
    assert state["default_cores"] == 3


@SETTINGS
@given(key_value=VALUES, items=st.lists(VALUES, max_size=3))
def test_nested_summary_values_read_back(tmp_path: Path, key_value: str, items: list[str]) -> None:
    path = tmp_path / ".claude" / "omni-scale.local.md"
    path.unlink(missing_ok=True)
    summary = {"health": key_value, "problems": items, "nested": {"detail": key_value}}
    update_state(path, {"last_status": summary, "my_note": key_value}, allow_unknown=True)
    state = read_state(path)
    assert state["last_status"] == summary
    assert state["my_note"] == key_value
