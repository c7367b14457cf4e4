from __future__ import annotations

from omni_scale.errors import (
    EXIT_ENVIRONMENT,
    EXIT_USAGE,
    EnvironmentProblem,
    FileConflict,
    InputError,
    OmniScaleError,
)


def test_one_line_with_location_and_hint() -> None:
    error = InputError(
        "bad value\n  for cores", path="machine-classes/w.yaml", line=7, column=3, hint="use 2"
    )
    assert error.one_line() == "machine-classes/w.yaml:7:3: bad value for cores (hint: use 2)"
    assert "\n" not in error.one_line()


def test_location_parts_are_optional() -> None:
    assert OmniScaleError("x").one_line() == "x"
    assert OmniScaleError("x", path="f").one_line() == "f: x"
    assert OmniScaleError("x", path="f", line=2).one_line() == "f:2: x"


def test_exit_codes() -> None:
    assert InputError("x").exit_code == EXIT_USAGE
    assert FileConflict("x").exit_code == EXIT_USAGE
    assert EnvironmentProblem("x").exit_code == EXIT_ENVIRONMENT
    assert InputError("x", exit_code=EXIT_ENVIRONMENT).exit_code == EXIT_ENVIRONMENT


def test_to_json() -> None:
    doc = EnvironmentProblem("omnictl not found", hint="omni-scale omnictl install").to_json()
    assert doc == {
        "message": "omnictl not found",
        "hint": "omni-scale omnictl install",
        "path": None,
        "line": None,
        "column": None,
        "exit_code": 3,
    }
