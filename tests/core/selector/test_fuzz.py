"""Random text never crashes the selector checker, and positions stay inside the expression."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from omni_scale.core.selector.evaluate import Storage, pick_storage, selector_problem

PIECES = st.sampled_from(
    [
        "name",
        "node",
        "storageType",
        "availableSpace",
        "type",
        "storage",
        "size",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ".",
        "==",
        "=",
        "!=",
        "<",
        ">",
        "&&",
        "||",
        "and",
        "!",
        "?",
        ":",
        "+",
        "-",
        "/",
        "%",
        "1",
        "100u",
        "1.5",
        '"rbd"',
        "'x",
        '"',
        "r'\\d'",
        "\\",
        "\n",
        "\t",
        " ",
        "//",
        "é",
        "日",
        "in",
        "matches",
        "startsWith",
        "has",
        ".?",
        "null",
        "true",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=25).map(" ".join) | st.text(max_size=60))
def test_any_text_gets_a_verdict(expr: str) -> None:
    problem = selector_problem(expr)
    if problem is None:
        pick = pick_storage(expr, [Storage("a", "dir", 100), Storage("b", "rbd", 0)], "pve1")
        assert len(pick.results) == 2
        assert (pick.storage is None) == (pick.error is not None)
        return
    assert problem.message and problem.summary
    assert "\n" not in problem.summary
    lines = expr.split("\n")
    assert 1 <= problem.line <= max(len(lines), 1)
    assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1
    assert problem.summary.split(" ")[0] in problem.message
