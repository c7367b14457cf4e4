"""Pure template helpers: versions, sizes, machine-set IDs, NodeRestriction, rendering."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omni_scale.core.template.model import (
    is_incomplete_version,
    machine_set_id,
    parse_size,
    version_problem,
)
from omni_scale.core.template.render import (
    ClusterSpec,
    newest_versions,
    normalize_version,
    render_template,
)


@pytest.mark.parametrize(
    ("value", "need_v", "expected"),
    [
        ("v1.12.0", True, None),
        ("1.12.0", True, "version should start with 'v'"),
        ("1.34.2", False, None),
        ("v1.35", False, None),  # tolerant, like semver.ParseTolerant
        (None, False, "version is required"),
        ("v1.x", True, "version should be in semver format: 'v1.x' is not a version"),
    ],
)
def test_version_problem(value: str | None, need_v: bool, expected: str | None) -> None:
    assert version_problem(value, need_v=need_v) == expected


def test_incomplete_versions() -> None:
    assert is_incomplete_version("v1.35") and is_incomplete_version("1")
    assert not is_incomplete_version("v1.35.0") and not is_incomplete_version("garbage")


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (3, 3),
        ("3", 3),
        ("unlimited", "unlimited"),
        ("∞", "unlimited"),
        ("Static", 0),
        (None, 0),
        ("three", None),
        (-1, None),
        (True, None),
    ],
)
def test_parse_size(size: object, expected: object) -> None:
    assert parse_size(size) == expected


def test_machine_set_ids() -> None:
    assert machine_set_id("t", "ControlPlane", "") == "t-control-planes"
    assert machine_set_id("t", "Workers", "") == "t-workers"
    assert machine_set_id("t", "Workers", "gpu") == "t-gpu"


def test_normalize_version() -> None:
    assert normalize_version("1.34.2") == "v1.34.2"
    assert normalize_version("v1.34.2") == "v1.34.2"
    assert normalize_version("1.34") == "1.34"


def test_newest_versions_ignores_prereleases_and_deprecated() -> None:
    found = newest_versions(
        [
            {"spec": {"version": "1.9.0", "compatiblekubernetesversions": ["1.32.0"]}},
            {"spec": {"version": "1.12.1", "compatiblekubernetesversions": ["1.34.9", "1.35.1"]}},
            {"spec": {"version": "1.13.0-beta.0", "compatiblekubernetesversions": ["1.36.0"]}},
            {
                "spec": {
                    "version": "1.20.0",
                    "deprecated": True,
                    "compatiblekubernetesversions": ["1.40.0"],
                }
            },
        ]
    )
    assert found == ("v1.12.1", "v1.35.1")
    assert newest_versions([]) is None


@settings(deadline=None, max_examples=30)
@given(
    name=st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True),
    cps=st.sampled_from([1, 3, 5]),
    workers=st.integers(min_value=0, max_value=50),
    cni=st.sampled_from(["default", "none"]),
)
def test_rendered_templates_always_lint_clean(name: str, cps: int, workers: int, cni: str) -> None:
    import tempfile
    from pathlib import Path

    from omni_scale.lint.context import LintContext
    from omni_scale.lint.engine import lint_files

    text = render_template(
        ClusterSpec(name, "v1.12.0", "v1.34.2", cps, workers, "cp", "worker", cni)
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.yaml"
        path.write_text(text)
        assert lint_files([path], LintContext()).problems == []
    assert text.count("kind: Workers") == (1 if workers else 0)
