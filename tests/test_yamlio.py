"""Shared YAML reading: size, binary, encoding, syntax, alias bombs, depth."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omni_scale.errors import InputError
from omni_scale.yamlio import (
    count_aliases,
    dump,
    line_of,
    load_all,
    yaml_files,
)


def test_load_all_multi_document_keeps_lines() -> None:
    docs = load_all("kind: Cluster\nname: a\n---\nkind: Workers\nname: w\n", path="t.yaml")
    assert [d["kind"] for d in docs] == ["Cluster", "Workers"]
    assert line_of(docs[1], "name") == (5, 1)  # lines count from the start of the text
    assert line_of(docs[0]) == (1, 1)
    assert line_of({"plain": 1}, "plain") is None


def test_syntax_error_names_line_and_column_with_offset() -> None:
    with pytest.raises(InputError) as info:
        load_all("a: 1\nb: [1,\n", path="f.yaml", line_offset=10)
    error = info.value
    assert error.path == "f.yaml"
    assert error.line is not None and error.line > 10
    assert error.column is not None
    assert "\n" not in error.one_line()


def test_duplicate_key_is_an_error_with_its_line() -> None:
    with pytest.raises(InputError, match="duplicate") as info:
        load_all("a: 1\nb: 2\na: 3\n", path="d.yaml")
    assert info.value.line == 3
    assert "rename" in (info.value.hint or "")


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    text = 'l0: &l0 "lol"\n'
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * width)
        text += f"l{level}: &l{level} [{refs}]\n"
    return text


def test_alias_bomb_under_the_alias_count_is_still_refused_fast() -> None:
    text = billion_laughs()
    assert count_aliases(text) <= 100  # far under the cheap pre-check limit
    started = time.monotonic()
    with pytest.raises(InputError, match="aliases"):
        load_all(text, path="bomb.yaml")
    assert time.monotonic() - started < 2


def test_too_many_aliases_refused_before_parsing() -> None:
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * 1100) + "]\n"
    with pytest.raises(InputError, match="too many YAML aliases"):
        load_all(text, path="x.yaml")


def test_ordinary_anchors_are_fine() -> None:
    docs = load_all("base: &b {cores: 2}\nw1: *b\nw2: *b\n", path="ok.yaml")
    assert docs[0]["w2"]["cores"] == 2


def test_depth_limit() -> None:
    deep = "a: " + "[" * 80 + "]" * 80 + "\n"
    with pytest.raises(InputError, match="nested"):
        load_all(deep, path="deep.yaml")


def test_dump_round_trip_keeps_comments_and_order() -> None:
    text = "# head\nz: 1  # keep me\na: 2\n"
    (doc,) = load_all(text, path=None)
    doc["a"] = 3
    assert dump(doc) == "# head\nz: 1  # keep me\na: 3\n"


TOKENS = [
    *"-:#&*![]{}|>'\"\n\t ab1_?%@`,.=\\",
    *("---\n", "...\n", "&a ", "*a", "<<: ", "? ", "2026-02-30", "2026-01-01T25:61:00"),
    *("!!int ", "!!bool ", "!!float ", "!!binary ", "!!timestamp ", "!!set ", "!!omap ", "!x "),
    *("%YAML 1.1\n", "%TAG ! !y\n", "0x", "0o9", "1e999", ".nan", "~"),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=80).map("".join))
def test_any_text_loads_or_is_one_input_error(text: str) -> None:
    try:
        docs = load_all(text, path="fuzz.yaml")
    except InputError as exc:
        assert "\n" not in exc.one_line()
        assert exc.path == "fuzz.yaml"
    else:
        assert isinstance(docs, list)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("kind: Cluster\ndate: 2026-02-30\n", 2),
        ("a: 1\nb: !!int abc\n", 2),
        ("a:\n  - !!bool maybe\n", 2),
        ("a: !!float x\n", 1),
    ],
)
def test_unbuildable_values_are_input_errors_with_line(text: str, line: int) -> None:
    with pytest.raises(InputError, match="invalid YAML value") as info:
        load_all(text, path="v.yaml")
    assert info.value.line == line
    assert "quote" in (info.value.hint or "")


def test_many_ordinary_aliases_are_fine() -> None:
    text = "base: &b {cores: 2}\n" + "".join(f"w{n}: *b\n" for n in range(300))
    assert load_all(text, path="many.yaml")[0]["w299"]["cores"] == 2


def test_yaml_files_is_recursive_sorted_and_skips_backups(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("b.yaml", "a.yml", "sub/c.yaml", "b.yaml.bak", "b.bak.yaml", "notes.txt"):
        (tmp_path / name).write_text("x: 1\n")
    (tmp_path / "dir.yaml").mkdir()  # a folder named like a file is not a file
    assert [p.relative_to(tmp_path).as_posix() for p in yaml_files(tmp_path)] == [
        "a.yml",
        "b.yaml",
        "sub/c.yaml",
    ]
