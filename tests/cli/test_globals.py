"""Global options are lifted out of argv wherever they appear (up to `--`)."""

from __future__ import annotations

import pytest

from omni_scale.cli.globals import GlobalOptions, extract


def test_before_and_after_the_command() -> None:
    before = extract(["--json", "--project-dir", "/p", "lint", "a.yaml"])
    after = extract(["lint", "a.yaml", "--json", "--project-dir", "/p"])
    for opts in (before, after):
        assert opts.json is True
        assert opts.project_dir == "/p"
        assert opts.rest == ["lint", "a.yaml"]


def test_equals_form_and_short_verbose() -> None:
    opts = extract(["state", "-v", "show", "--project-dir=/x", "--no-color", "--verbose"])
    assert (opts.verbose, opts.no_color, opts.project_dir) == (True, True, "/x")
    assert opts.rest == ["state", "show"]


def test_double_dash_stops_extraction() -> None:
    opts = extract(["selector", "check", "--", "--json"])
    assert opts.json is False
    assert opts.rest == ["selector", "check", "--", "--json"]


def test_project_dir_without_value_is_left_for_click() -> None:
    opts = extract(["state", "show", "--project-dir"])
    assert opts.project_dir is None
    assert opts.rest == ["state", "show", "--project-dir"]


def test_last_project_dir_wins() -> None:
    assert extract(["--project-dir", "a", "x", "--project-dir", "b"]).project_dir == "b"


def test_other_options_pass_through() -> None:
    opts = extract(["lint", "--format", "json", "--select", "x"])
    assert opts == GlobalOptions(rest=["lint", "--format", "json", "--select", "x"])


@pytest.mark.parametrize(
    ("no_color", "env", "color"),
    [(False, None, True), (True, None, False), (False, "1", False), (False, "", True)],
)
def test_color(
    monkeypatch: pytest.MonkeyPatch, no_color: bool, env: str | None, color: bool
) -> None:
    if env is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", env)
    assert GlobalOptions(no_color=no_color).color is color
