"""cel-expr-python -> cel-go text: wrapper, follow-up errors, type names, runtime errors, %q."""

from __future__ import annotations

import pytest

from omni_scale.core.selector.errors import (
    Located,
    display,
    go_quote,
    go_runtime_error,
    go_type_name,
    parse_compile_error,
)
from omni_scale.core.selector.evaluate import Storage, pick_storage
from omni_scale.core.selector.lexer import collapse_redundant_parens, tokenize


def test_wrapper_stripped_and_error_follow_ups_dropped() -> None:
    raw = (
        "INVALID_ARGUMENT: ERROR: <input>:1:1: undeclared reference to 'storage' (in container '')"
        "\n | storage.filter(s, s)\n | ^\nERROR: <input>:1:1: expression of type '*error*' cannot"
        " be the range of a comprehension (must be list, map, or dynamic)\n | storage.filter(s, s)"
        "\n | ^ [INVALID_ARGUMENT]"
    )
    assert parse_compile_error(raw) == [
        Located(1, 0, "undeclared reference to 'storage' (in container '')")
    ]


def test_errors_sorted_by_position_like_cel_go() -> None:
    raw = "INVALID_ARGUMENT: ERROR: <input>:1:9: b\n | x\n | ^\nERROR: <input>:1:2: a [X]"
    assert [e.message for e in parse_compile_error(raw)] == ["a", "b"]


def test_display_matches_cel_go_format() -> None:
    assert display(Located(1, 3, "m"), "a\tbcd") == "ERROR: <input>:1:4: m\n | a bcd\n | ...^"
    assert display(Located(1, 1, "m"), "éa") == "ERROR: <input>:1:2: m\n | éa\n | \uff0e^"
    assert display(Located(1, 0, "m"), "éa") == "ERROR: <input>:1:1: m\n | éa\n | \uff3e"
    assert display(Located(1, -1, "m"), "") == "ERROR: <input>:1:0: m"
    long_line = "x" * 20000
    assert display(Located(1, 0, "m"), long_line) == "ERROR: <input>:1:1: m"


@pytest.mark.parametrize(
    ("cpp", "go"),
    [
        ("BOOL", "bool"),
        ("STRING", "string"),
        ("UINT", "uint"),
        ("DYN", "dyn"),
        ("NULL", "null_type"),
        ("LIST<STRING>", "list(string)"),
        ("MAP<STRING, INT>", "map(string, int)"),
        ("MAP<STRING, LIST<UINT>>", "map(string, list(uint))"),
        ("TYPE<STRING>", "type(string)"),
        ("DURATION", "google.protobuf.Duration"),
        ("TIMESTAMP", "google.protobuf.Timestamp"),
    ],
)
def test_type_names(cpp: str, go: str) -> None:
    assert go_type_name(cpp) == go


@pytest.mark.parametrize(
    ("cpp", "go"),
    [
        ("INVALID_ARGUMENT: divide by zero", "division by zero"),
        ("INVALID_ARGUMENT: modulus by zero", "modulus by zero"),
        ("OUT_OF_RANGE: unsigned integer overflow", "unsigned integer overflow"),
        ("OUT_OF_RANGE: integer overflow", "integer overflow"),
        ("OUT_OF_RANGE: int64 out of uint64 range", "unsigned integer overflow"),
        ("OUT_OF_RANGE: uint64 out of int64 range", "integer overflow"),
        (
            "INVALID_ARGUMENT: invalid regular expression: missing ]: [",
            "error parsing regexp: missing closing ]: `[`",
        ),
        (
            "INVALID_ARGUMENT: invalid regular expression: missing ): (",
            "error parsing regexp: missing closing ): `(`",
        ),
        ('NOT_FOUND: Key not found in map : "b"', "no such key: b"),
        ("SOMETHING_ELSE: new text", "new text"),
    ],
)
def test_runtime_error_wording(cpp: str, go: str) -> None:
    assert go_runtime_error(cpp) == go


@pytest.mark.parametrize(
    ("expr", "error"),
    [
        ("uint(-1) > 1u", "unsigned integer overflow"),
        ("1 % 0 > 1", "modulus by zero"),
        ("int(availableSpace) > 1", "integer overflow"),
        ('name.matches("(")', "error parsing regexp: missing closing ): `(`"),
    ],
)
def test_runtime_errors_end_to_end(expr: str, error: str) -> None:
    pick = pick_storage(expr, [Storage("s", "dir", 2**64 - 1)], "pve1")
    assert pick.error == error
    assert pick.results[0].error == error


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('name == "a"', '"name == \\"a\\""'),
        ("a\\b", '"a\\\\b"'),
        ("tab\there\nnl", '"tab\\there\\nnl"'),
        ("\x00\x07\x1f\x7f", '"\\x00\\a\\x1f\\x7f"'),
        ("é ü 日本", '"é ü 日本"'),
        ("\u00a0\u200b", '"\\u00a0\\u200b"'),
        ("\U0001f600", '"\U0001f600"'),
        ("\U000e0001", '"\\U000e0001"'),
    ],
)
def test_go_quote(text: str, quoted: str) -> None:
    assert go_quote(text) == quoted


def test_lexer_skips_strings_and_comments() -> None:
    tokens = tokenize('name == "(((" // ((\n&& r"\\" == x')
    assert [t.text for t in tokens] == ["name", "==", '"((("', "&&", 'r"\\"', "==", "x"]
    assert tokens[3].line == 2 and tokens[3].column == 1
    unclosed = tokenize('name == "abc && x')
    assert [t.kind for t in unclosed] == ["ident", "op", "badstring"]


def test_collapse_redundant_parens_keeps_positions() -> None:
    assert collapse_redundant_parens('((name == "a"))') == '( name == "a" )'
    assert collapse_redundant_parens("size((name)) > 1") == "size( name ) > 1"
    assert collapse_redundant_parens("f((a, b))") == "f((a, b))"  # not a grouping: left alone
    assert collapse_redundant_parens("(a) && (b)") == "(a) && (b)"
    assert collapse_redundant_parens('"((x))"') == '"((x))"'
