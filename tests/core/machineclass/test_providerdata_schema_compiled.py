"""The compiled schema check (fastjsonschema) agrees with jsonschema on every value.

`schema_issues` trusts the compiled check's "valid" and asks jsonschema only about values it
refuses, so the two must never disagree: generated providerdata values, near the schema's edges
(minimums, enums, patterns, lengths, integers written as floats, booleans, nulls, nesting).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from omni_scale.core.machineclass import providerdata_validator
from omni_scale.core.machineclass.providerdata_schema import (
    SCHEMA,
    _validator,
    is_valid,
    schema_issues,
    validator_source,
)

FASTJSONSCHEMA = "2.22.3"  # the dev dependency's pin in pyproject.toml


def test_the_generated_validator_is_current() -> None:
    """providerdata_validator.py is SCHEMA compiled by the pinned fastjsonschema."""
    path = Path(providerdata_validator.__file__)
    wanted = validator_source(FASTJSONSCHEMA)
    if os.environ.get("OMNI_SCALE_REGENERATE") == "1":
        path.write_text(wanted)
    assert path.read_text() == wanted, (
        "SCHEMA changed: OMNI_SCALE_REGENERATE=1 uv run pytest "
        "tests/core/machineclass/test_providerdata_schema_compiled.py"
    )


def _values_for(spec: dict[str, Any]) -> st.SearchStrategy[Any]:
    edges: list[st.SearchStrategy[Any]] = [
        st.none(),
        st.booleans(),
        st.integers(min_value=-3, max_value=5000),
        st.sampled_from([0.0, 1.0, 2.0, 2.5, 2048.0, -1.0]),
        st.text(alphabet="ab-_0Z ", max_size=6),
    ]
    if "enum" in spec:
        edges.append(st.sampled_from(spec["enum"]))
    if spec.get("type") == "array" and isinstance(spec.get("items"), dict):
        edges.append(st.lists(_values_for(spec["items"]), max_size=17))
    if spec.get("type") == "object" and "properties" in spec:
        edges.append(_objects(spec))
    if spec.get("maxLength"):
        edges.append(st.just("x" * (int(spec["maxLength"]) + 1)))
    return st.one_of(edges)


def _objects(spec: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    fields = {name: _values_for(sub) for name, sub in spec["properties"].items()}
    return st.fixed_dictionaries({}, optional={**fields, "unknown_key": st.integers()})


# the required keys with valid values, so that many generated classes pass (or fail by one key)
VALID_BASE = st.fixed_dictionaries(
    {
        "cores": st.integers(min_value=1, max_value=64),
        "memory": st.sampled_from([2048, 4096, 2048.0]),
        "disk_size": st.integers(min_value=5, max_value=500),
        "storage_selector": st.just('name == "local-lvm"'),
    }
)
PROVIDERDATA = st.one_of(
    _objects(SCHEMA),
    st.builds(lambda base, more: {**base, **more}, VALID_BASE, _objects(SCHEMA)),
    st.builds(lambda base, more: {**more, **base}, VALID_BASE, _objects(SCHEMA)),
)


@settings(max_examples=600, deadline=None)
@given(PROVIDERDATA)
def test_compiled_check_and_jsonschema_agree(data: dict[str, Any]) -> None:
    errors = list(_validator().iter_errors(data))
    assert is_valid(data) == (not errors), (data, [e.message for e in errors])
    assert (schema_issues(data) == []) == (not errors)


def test_a_valid_class_and_an_invalid_one() -> None:
    good = {"cores": 2, "memory": 4096, "disk_size": 40, "storage_selector": 'name == "x"'}
    assert is_valid(good) and schema_issues(good) == []
    bad = {**good, "memory": 1024.0}
    assert not is_valid(bad)
    assert [i.message for i in schema_issues(bad)] == [
        'config value ".memory": must be at least 2048'
    ]
