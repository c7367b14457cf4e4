"""The provider's selector semantics: compile rules, pick order, abort on error, no match."""

from __future__ import annotations

import re
import time

import pytest

from omni_scale.core.selector.evaluate import (
    CompiledSelector,
    Pick,
    SelectorCompileError,
    Storage,
    StorageResult,
    compile_selector,
    pick_storage,
    selector_problem,
)

GIB = 1024**3
LOCAL = Storage("local", "dir", 50 * GIB)
LVM = Storage("local-lvm", "lvmthin", 200 * GIB)
CEPH = Storage("ceph-pool", "rbd", 2048 * GIB)
TINY = Storage("vm_data", "zfspool", 100)
ALL = [LOCAL, LVM, CEPH, TINY]


# --- compile ----------------------------------------------------------------------------------


def test_valid_selector_compiles_and_is_cached() -> None:
    first = compile_selector('storageType == "rbd"')
    assert isinstance(first, CompiledSelector)
    assert compile_selector('storageType == "rbd"') is first
    assert selector_problem('storageType == "rbd"') is None


def test_compile_error_carries_the_problem() -> None:
    with pytest.raises(SelectorCompileError) as caught:
        compile_selector("availableSpace > 100")
    problem = caught.value.problem
    assert problem.summary == "found no matching overload for '_>_' applied to '(uint, int)'"
    assert (problem.line, problem.column) == (1, 16)
    assert problem.message.splitlines() == [
        "ERROR: <input>:1:16: found no matching overload for '_>_' applied to '(uint, int)'",
        " | availableSpace > 100",
        " | ...............^",
    ]
    assert problem.hint is not None and "100u" in problem.hint
    assert str(caught.value) == problem.message


@pytest.mark.parametrize(
    ("expr", "output"),
    [
        ("name", "string"),
        ('"local-lvm"', "string"),
        ("availableSpace", "uint"),
        ("dyn(true)", "dyn"),
        ("[name]", "list(string)"),
        ('{"a": 1}', "map(string, int)"),
        ("null", "null_type"),
        ("type(name)", "type(string)"),
        ('duration("1s")', "google.protobuf.Duration"),
        ('timestamp("2024-01-01T00:00:00Z")', "google.protobuf.Timestamp"),
        ("1.5", "double"),
        ('b"x"', "bytes"),
    ],
)
def test_output_type_must_be_exactly_bool(expr: str, output: str) -> None:
    problem = selector_problem(expr)
    assert problem is not None
    assert problem.message == f"expression output type is {output}, expected bool"
    assert problem.summary == problem.message
    assert (problem.line, problem.column) == (1, 1)


@pytest.mark.parametrize(
    "expr",
    [
        'name == "local-lvm"',
        "name == 'local-lvm'",
        "availableSpace > 107374182400u",
        'storageType in ["rbd", "lvmthin"]',
        'name.startsWith("ceph") || name.matches("^vm_.*")',
        'matches(name, "^local")',
        "int(availableSpace) > 100",
        "dyn(availableSpace) > 100",
        '// comment\nname == "local"',
        'node == "pve1" && storageType == "lvmthin"',
        "availableSpace >= uint(100) * 1024u * 1024u * 1024u",
    ],
)
def test_valid_selectors(expr: str) -> None:
    assert selector_problem(expr) is None


def test_no_extensions_loaded() -> None:
    for expr in (
        'name.lowerAscii() == "a"',
        'name.replace("a", "b") == "b"',
        "math.greatest(1, 2) > 1",
    ):
        problem = selector_problem(expr)
        assert problem is not None and "undeclared reference" in problem.summary


def test_multi_line_selector_reports_line_and_column() -> None:
    problem = selector_problem('name == "x"\n  && bar')
    assert problem is not None
    assert (problem.line, problem.column) == (2, 6)
    assert problem.message.splitlines()[1:] == [" |   && bar", " | .....^"]


def test_wide_characters_get_wide_dots_like_cel_go() -> None:
    problem = selector_problem('name == "é" && foo')
    assert problem is not None
    assert problem.column == 16  # code points, not bytes
    assert problem.message.splitlines()[2] == " | .........\uff0e.....^"


# --- the 7 known differences of cel-cpp from cel-go: normalised to cel-go's text ---------------


@pytest.mark.parametrize(
    ("expr", "first_line"),
    [
        (
            'name == "a" && availableSpace',
            "ERROR: <input>:1:16: expected type 'bool' but found 'uint'",
        ),
        (
            "name.contains(1)",
            "ERROR: <input>:1:14: found no matching overload for 'contains' applied to "
            "'string.(int)'",
        ),
        ("has(name)", "ERROR: <input>:1:5: invalid argument to has() macro"),
        ('name.?foo == "x"', "ERROR: <input>:1:5: unsupported syntax '.?'"),
        (
            "name == null",
            "ERROR: <input>:1:6: found no matching overload for '_==_' applied to '(string, null)'",
        ),
        (
            "",
            "ERROR: <input>:1:0: Syntax error: mismatched input '<EOF>' expecting {'[', '{', "
            "'(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, "
            "BYTES, IDENTIFIER}",
        ),
    ],
)
def test_known_cel_cpp_differences_are_normalised(expr: str, first_line: str) -> None:
    problem = selector_problem(expr)
    assert problem is not None
    assert problem.message.split("\n")[0] == first_line


def test_empty_selector_has_no_snippet_and_column_one() -> None:
    problem = selector_problem("")
    assert problem is not None
    assert "\n" not in problem.message
    assert (problem.line, problem.column) == (1, 1)


# --- nesting ----------------------------------------------------------------------------------


def test_forty_nested_parentheses_are_valid_like_cel_go() -> None:
    expr = "(" * 40 + 'name == "local"' + ")" * 40
    assert selector_problem(expr) is None
    assert pick_storage(expr, ALL, "pve1").storage == "local"


def test_beyond_cel_go_depth_limit_is_cel_go_error() -> None:
    expr = "(" * 300 + "true" + ")" * 300
    problem = selector_problem(expr)
    assert problem is not None
    assert problem.summary == "expression recursion limit exceeded: 250"
    # cel-go reports it at NoLocation (parser.go: p.errors.ReportError(common.NoLocation, ...))
    assert problem.message == "ERROR: <input>:-1:0: expression recursion limit exceeded: 250"
    # the 250th bracket: with the whole expression, that is the 251st nested `expr` rule
    assert (problem.line, problem.column) == (1, 250)
    assert problem.hint is not None


def test_cel_go_depth_boundary() -> None:
    assert selector_problem("(" * 249 + "true" + ")" * 249) is None
    assert selector_problem("(" * 250 + "true" + ")" * 250) is not None


def test_deep_but_legal_for_cel_go_says_so_plainly() -> None:
    expr = "[" * 40 + "1" + "]" * 40 + " == []"
    problem = selector_problem(expr)
    assert problem is not None
    assert "nested too deeply for omni-scale's CEL engine" in problem.summary
    assert "250" in problem.summary
    assert problem.column == 40
    long_sum = " + ".join(["1"] * 40) + " > 0"
    problem = selector_problem(long_sum)
    assert problem is not None and "nested too deeply" in problem.summary


def test_huge_selector_hits_cel_go_size_limit() -> None:
    problem = selector_problem("x" * 100_001)
    assert problem is not None
    assert problem.summary == "expression code point size exceeds limit: size: 100001, limit 100000"
    assert problem.message == "ERROR: <input>:-1:0: " + problem.summary


def test_undecodable_text_is_a_problem_not_a_crash() -> None:
    problem = selector_problem('name == "a"\nname == "\udcff"')
    assert problem is not None
    assert "not valid UTF-8" in problem.summary
    assert (problem.line, problem.column) == (2, 10)
    with pytest.raises(ValueError, match="Unicode"):
        Storage("bad\ud800", "dir", 1)


# --- storage values ---------------------------------------------------------------------------


@pytest.mark.parametrize("avail", [-1, 2**64, True, 1.5, "100", None])
def test_avail_must_be_a_uint64(avail: object) -> None:
    with pytest.raises(ValueError, match="avail"):
        Storage("local", "dir", avail)  # type: ignore[arg-type]


def test_avail_edges_are_accepted_and_evaluated_as_uint() -> None:
    top = Storage("big", "rbd", 2**64 - 1)
    zero = Storage("empty", "dir", 0)
    pick = pick_storage("availableSpace > 9223372036854775807u", [zero, top], "pve1")
    assert pick.storage == "big"
    overflow = pick_storage("availableSpace + 1u > 0u", [top], "pve1")
    assert overflow.error == "unsigned integer overflow"


def test_name_and_type_must_be_strings() -> None:
    with pytest.raises(ValueError, match="strings"):
        Storage(1, "dir", 0)  # type: ignore[arg-type]


# --- pick semantics ---------------------------------------------------------------------------


def test_first_true_wins_in_the_given_order() -> None:
    pick = pick_storage("availableSpace > 1000u", ALL, "pve1")
    assert pick == Pick(
        storage="local",
        results=pick.results,
        matches=("local", "local-lvm", "ceph-pool"),
        error=None,
    )
    assert [r.result for r in pick.results] == [True, True, True, False]
    reordered = pick_storage("availableSpace > 1000u", [CEPH, LVM, LOCAL], "pve1")
    assert reordered.storage == "ceph-pool"


def test_node_variable_is_passed() -> None:
    assert pick_storage('node == "pve2"', ALL, "pve2").storage == "local"
    assert pick_storage('node == "pve2"', ALL, "pve1").storage is None


def test_error_before_a_match_aborts_the_pick() -> None:
    # vm_data (100 B) underflows; it comes before ceph-pool, which would match.
    expr = 'availableSpace - 200u > 0u && name != "local"'
    pick = pick_storage(expr, [LOCAL, TINY, CEPH], "pve1")
    assert pick.storage is None
    assert pick.error == "unsigned integer overflow"
    assert [(r.result, r.error) for r in pick.results] == [
        (False, None),
        (None, "unsigned integer overflow"),
        (True, None),
    ]
    assert pick.matches == ("ceph-pool",)
    # CEL's commutative && : an error next to false is false, not an error (as in cel-go)
    absorbed = pick_storage('availableSpace - 200u > 0u && name == "ceph-pool"', [TINY], "n")
    assert absorbed.results[0] == StorageResult("vm_data", False, None)


def test_error_after_the_match_does_not_matter() -> None:
    pick = pick_storage("availableSpace - 200u > 0u", [LOCAL, TINY], "pve1")
    assert pick.storage == "local"
    assert pick.error is None
    assert pick.results[1].error == "unsigned integer overflow"


def test_short_circuit_absorbs_errors_like_cel_go() -> None:
    assert pick_storage("true || availableSpace / 0u > 1u", [TINY], "pve1").storage == "vm_data"
    pick = pick_storage("availableSpace / 0u > 1u", [TINY], "pve1")
    assert pick.error == "division by zero"


def test_no_match_message_uses_go_quoting() -> None:
    pick = pick_storage('name == "nope"', ALL, "pve1")
    assert pick.storage is None
    assert pick.matches == ()
    assert (
        pick.error == 'failed to pick the disk: no matches for the condition "name == \\"nope\\""'
    )
    tabbed = pick_storage('name == "a"\t&& true\n', ALL, "pve1")
    assert tabbed.error == (
        'failed to pick the disk: no matches for the condition "name == \\"a\\"\\t&& true\\n"'
    )


def test_no_storages_is_no_match() -> None:
    pick = pick_storage("true", [], "pve1")
    assert pick == Pick(
        None, (), (), 'failed to pick the disk: no matches for the condition "true"'
    )


def test_pick_raises_on_invalid_selector() -> None:
    with pytest.raises(SelectorCompileError):
        pick_storage("type == 'rbd'", ALL, "pve1")


def test_compiling_is_cached_so_thousands_of_files_are_fast() -> None:
    start = time.perf_counter()
    for index in range(1000):
        selector_problem(f'name == "local-{index % 20}"')
        selector_problem("availableSpace > 100")
    assert time.perf_counter() - start < 1.0


# --- docs/selectors.md stays true -------------------------------------------------------------


def _doc_rows(section: str) -> list[list[str]]:
    from conftest import REPO

    text = (REPO / "docs" / "selectors.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in body.splitlines():
        if line.startswith("| `"):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            rows.append([c.strip().replace("\\|", "|") for c in cells])
    return rows


def test_worked_selectors_in_the_docs_pick_what_they_say() -> None:
    storages = [*ALL, Storage("nfs-backup", "nfs", 0)]
    rows = _doc_rows("Worked selectors")
    assert len(rows) >= 20
    for selector_cell, picks, _ in rows:
        expr = selector_cell.strip("`")
        assert selector_problem(expr) is None, expr
        expected = None if picks.startswith("(none") else picks
        assert pick_storage(expr, storages, "pve1").storage == expected, expr


def test_classic_mistakes_in_the_docs_are_rejected_with_a_hint() -> None:
    rows = _doc_rows("Classic mistakes")
    assert len(rows) >= 15
    for selector_cell, _, _ in rows:
        for expr in re.findall(r"`([^`]*)`", selector_cell):
            problem = selector_problem(expr)
            assert problem is not None and problem.hint, expr
