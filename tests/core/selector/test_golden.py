"""Every case of tests/data/cel-go-golden.json: real cel-go v0.27 in the provider's environment.

Validity and every storage's result (true / false / error text) must agree. Compile error text
must equal cel-go's too: raw cel-expr-python differs from cel-go in 7 known cases (normalised in
omni_scale.core.selector_errors, tested in test_selector.py); none of
them is in the golden file's rejecting cases except the empty selector and `name.?foo`, which the
normalisation fixes, so ALL golden compile errors are asserted verbatim.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import DATA
from omni_scale.core.selector.evaluate import Storage, pick_storage, selector_problem

GOLDEN = json.loads((DATA / "cel-go-golden.json").read_text(encoding="utf-8"))
STORAGES = [Storage(s["name"], s["storageType"], s["availableSpace"]) for s in GOLDEN["storages"]]
NODE = GOLDEN["storages"][0]["node"]


def _id(case: dict[str, Any]) -> str:
    return case["expr"][:40] or "<empty>"


def test_golden_file_has_the_cases_the_facts_describe() -> None:
    assert len(GOLDEN["cases"]) == 42
    assert {s["node"] for s in GOLDEN["storages"]} == {NODE}


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=_id)
def test_golden_case(case: dict[str, Any]) -> None:
    problem = selector_problem(case["expr"])
    if case["compile_error"] is not None:
        assert problem is not None, "cel-go rejects this selector"
        assert problem.message == case["compile_error"]
        first_line = case["compile_error"].split("\n")[0]
        assert problem.summary in first_line
        return
    assert problem is None, problem and problem.message
    pick = pick_storage(case["expr"], STORAGES, NODE)
    got = [["ok", r.result] if r.error is None else ["err", r.error] for r in pick.results]
    assert got == case["evals"]
    # and the provider's decision follows from cel-go's per-storage results
    expected_pick = None
    for outcome, value in case["evals"]:
        if outcome == "err":
            assert pick.error == value
            break
        if value is True:
            expected_pick = STORAGES[case["evals"].index([outcome, value])].name
            break
    assert pick.storage == expected_pick
