"""Omni's label-selector parser for matchlabels (siderolabs/omni v1.10.4 client/pkg/cosi/labels;
the expected errors are the wording of its parser.go)."""

from __future__ import annotations

import pytest

from omni_scale.core.omni.labels import SelectorError, Term, omni_error, parse_query


@pytest.mark.parametrize(
    ("selector", "terms"),
    [
        (
            "omni.sidero.dev/arch = amd64, omni.sidero.dev/cpus > 2",
            [
                Term("omni.sidero.dev/arch", "equal", ("amd64",), False),
                Term("omni.sidero.dev/cpus", "lte", ("2",), True),
            ],
        ),
        ("a in (x, y)", [Term("a", "in", ("x", "y"), False)]),
        ("a notin (x,,y)", [Term("a", "in", ("", "x", "y"), True)]),
        ("!a", [Term("a", "exists", (), True)]),
        ("a", [Term("a", "exists", (), False)]),
        ("a = b c", [Term("a", "equal", ("b c",), False)]),  # an operator makes spaces part of it
        ("a ==", [Term("a", "equal", ("",), False)]),
        ('"a b" = "c"', [Term("a b", "equal", ("c",), False)]),
        ("", []),
    ],
)
def test_parses_like_omni(selector: str, terms: list[Term]) -> None:
    assert parse_query(selector) == terms


@pytest.mark.parametrize(
    ("selector", "error"),
    [
        ("a in x", "unable to parse term: found 'x' expected: '('"),
        ("= b", "found '=', expected: !, identifier, or 'end of string'"),
        ("a, ,", "found ',', expected: identifier after ','"),
        ("a = b)", "found ')', expected: ',' or 'end of string'"),
        ("a =< b", "unable to parse term: found '<', expected: identifier"),
        (
            'a = "b',
            "unable to parse term: found 'unterminated quoted string', expected: identifier",
        ),
    ],
)
def test_errors_in_omnis_words(selector: str, error: str) -> None:
    with pytest.raises(SelectorError) as caught:
        parse_query(selector)
    assert str(caught.value) == error
    assert omni_error(caught.value) == (
        f"failed to parse matchLabels: rpc error: code = InvalidArgument desc = {error}"
    )
