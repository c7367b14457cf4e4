"""The read-only loader (libyaml's nodes -> dicts/lists with .lc) against ruamel's round trip.

The reference is ruamel's own RoundTripConstructor on the same libyaml nodes: what
`load_all(..., keep_comments=False)` returned before the read-only loader existed. Values,
types, key order and every position must be the same, and the safety limits must hold.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import YAMLError

from omni_scale import yamlfast
from omni_scale.errors import InputError
from omni_scale.yamlio import _shared_round_trip_loader, fast_composer, line_of, load_all

pytestmark = pytest.mark.skipif(not yamlfast.available(), reason="ruamel.yaml.clib missing")


def reference(text: str) -> list[Any]:
    loader = _shared_round_trip_loader()
    nodes = list(fast_composer().compose_all(text))
    return [RoundTripConstructor(loader=loader).construct_document(node) for node in nodes]


def assert_same(got: Any, want: Any, where: str = "") -> None:
    if isinstance(want, dict):
        assert isinstance(got, dict), where
        assert list(got) == list(want), where
        assert (got.lc.line, got.lc.col) == (want.lc.line, want.lc.col), where
        for key in want:
            assert got.lc.key(key) == want.lc.key(key), (where, key)
            assert got.lc.value(key) == want.lc.value(key), (where, key)
            assert line_of(got, key) == line_of(want, key), (where, key)
            assert_same(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), where
        assert (got.lc.line, got.lc.col) == (want.lc.line, want.lc.col), where
        for index, item in enumerate(want):
            assert got.lc.item(index) == want.lc.item(index), (where, index)
            assert_same(got[index], item, f"{where}[{index}]")
    elif type(want).__name__ == "TaggedScalar":  # no __eq__: compare what it holds
        assert (got.value, str(got.tag)) == (want.value, str(want.tag)), where
    elif isinstance(want, str):
        assert isinstance(got, str) and str(got) == str(want), where
    elif isinstance(want, float) and want != want:
        assert got != got, where  # NaN
    else:
        assert got == want and type(got) is type(want), (where, got, want)


def assert_same_docs(got: list[Any], want: list[Any], where: str = "") -> None:
    assert len(got) == len(want), where
    for index, (doc, expected) in enumerate(zip(got, want, strict=True)):
        assert_same(doc, expected, f"{where} document {index}")


SCALARS = [
    *("0", "00", "007", "0o7", "0x1F", "0b101", "1_000", "+1", "-0", "-12", "12", "1.5", "1e3"),
    *(".inf", "-.inf", ".nan", "True", "true", "FALSE", "yes", "on", "~", "null", "Null", ""),
    *("2026-01-01", "2001-12-14t21:59:43.10-05:00", "'q'", '"d"', "!!str 1", "!!int '3'"),
    *("!Ref x", "=", "<<", "&a 1", "12:30", "+.5"),
]


@pytest.mark.parametrize("scalar", SCALARS)
@pytest.mark.parametrize("shape", ["k: {}\n", "- {}\n- x\n", "outer:\n  k: {}\n"])
def test_scalars_and_positions_match_the_round_trip_constructor(scalar: str, shape: str) -> None:
    text = shape.format(scalar)
    assert_same_docs(
        yamlfast.load_all(text, rt_loader=_shared_round_trip_loader()), reference(text), text
    )


STRUCTURES = [
    "a: &x {b: 1}\nc: *x\n",
    "a: &x [1, 2]\nc: *x\nd: *x\n",
    "---\n---\na: 1\n...\n---\n- 1\n",
    "a:\n- 1\n-   - 2\n    - 3\n",
    "{a: 1, b: [x, y], c: {}}\n",
    "a: []\nb: {}\n",
    "- &s hello\n- *s\n",
    "2: two\nfalse: no\n~: nothing\n",
    "a: 1\r\nb:\r\n  - x\r\n  - {c: d}\r\n",  # CRLF line ends
    'k: "é ü 漢"\nl: ["ä", 1]\n',  # positions count characters, not bytes
    "a: |\n  x\n  y\nb: >\n  folded\n  text\nc: |-\n  kept\n",
    "metadata:\n  id: w\nspec:\n  autoprovision:\n    providerdata: |\n      cores: 2\n",
]


@pytest.mark.parametrize("text", STRUCTURES)
def test_structures_match_the_round_trip_constructor(text: str) -> None:
    assert_same_docs(
        yamlfast.load_all(text, rt_loader=_shared_round_trip_loader()), reference(text), text
    )


@pytest.mark.parametrize(
    "text",
    [
        "<<: {a: 1}\nb: 2\n",  # merge key
        "a: 1\na: 2\n",  # duplicate key (ruamel words the error)
        "? [1, 2]\n: v\n",  # a sequence as a key
        "a: !!set {x, y}\n",  # tagged collection
        "a: &r [*r]\n",  # recursive alias
        "%YAML 1.1\n---\na: yes\n",  # YAML 1.1 rules
        "a: 2026-02-30\n",  # a value ruamel cannot build
    ],
)
def test_what_it_does_not_build_is_left_to_ruamel(text: str) -> None:
    with pytest.raises(yamlfast.Unsupported):
        yamlfast.load_all(text, rt_loader=_shared_round_trip_loader())


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    text = 'l0: &l0 "lol"\n'
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * width)
        text += f"l{level}: &l{level} [{refs}]\n"
    return text


def test_an_alias_bomb_is_refused_on_the_read_only_path_too() -> None:
    # 10^8 values once expanded: refused while counting (shared nodes are counted once each,
    # with their expanded size), never built or walked
    text = billion_laughs()
    with pytest.raises(yamlfast.Unsupported):
        yamlfast.load_all(text, rt_loader=_shared_round_trip_loader())
    with pytest.raises(InputError, match="aliases"):
        load_all(text, path="bomb.yaml", keep_comments=False)


def test_nesting_past_the_limit_is_refused_on_the_read_only_path_too() -> None:
    deep = "a: " + "[" * 80 + "]" * 80 + "\n"
    with pytest.raises(InputError, match="nested"):
        load_all(deep, path="deep.yaml", keep_comments=False)
    block = "".join("  " * level + f"k{level}:\n" for level in range(70)) + "  " * 70 + "v: 1\n"
    with pytest.raises(InputError, match="nested"):
        load_all(block, path="deep.yaml", keep_comments=False)


TOKENS = [
    *"-:#&*![]{}|>'\"\n\t ab1_?%@`,.=\\",
    *("---\n", "...\n", "&a ", "*a", "<<: ", "? ", "2026-02-30", "2026-01-01T25:61:00"),
    *("!!int ", "!!bool ", "!!float ", "!!str ", "!x ", "0x", "0o9", "1e999", ".nan", "~"),
    *("k: ", "  ", "- ", "true", "12", "0", "1_0"),
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join))
def test_any_text_gives_what_the_round_trip_constructor_gives(text: str) -> None:
    try:
        want = reference(text)
    except (YAMLError, Exception):
        want = None  # ruamel refuses it: the read-only path must not build something else
    try:
        got = yamlfast.load_all(text, rt_loader=_shared_round_trip_loader())
    except (yamlfast.Unsupported, YAMLError):
        return  # left to ruamel's loader, which gives `want` or the error
    assert want is not None, text
    assert_same_docs(got, want, repr(text))
