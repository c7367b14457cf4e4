"""Property tests: whatever YAML (or bytes) the linter gets, it reports problems or one
InputError line, never a traceback."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omni_scale.errors import InputError
from omni_scale.lint.context import LintContext
from omni_scale.lint.engine import lint_files

KEYS = [
    "metadata",
    "spec",
    "namespace",
    "type",
    "id",
    "name",
    "autoprovision",
    "matchlabels",
    "providerid",
    "providerdata",
    "kernelargs",
    "metavalues",
    "grpctunnel",
    "cores",
    "memory",
    "disk_size",
    "storage_selector",
    "sockets",
    "additional_disks",
    "pci_devices",
    "ha",
    "apiVersion",
    "kind",
    "MachineClasses.omni.sidero.dev",
    "default",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.sampled_from([*KEYS, 'name == "x"', "type == 1", "availableSpace > 1", "", "|", "*"]),
    st.text(max_size=20),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=25,
)


def _yaml(value: Any) -> str:
    from omni_scale.yamlio import dump

    return dump(value)


def _machine_class(metadata: Any, auto: Any, providerdata: Any) -> dict[str, Any]:
    data = auto if isinstance(auto, dict) else {}
    data = {
        **data,
        "providerdata": _yaml(providerdata) if not isinstance(providerdata, str) else providerdata,
    }
    return {
        "metadata": {
            "namespace": "default",
            "type": "MachineClasses.omni.sidero.dev",
            **(metadata if isinstance(metadata, dict) else {}),
        },
        "spec": {"autoprovision": data},
    }


def _check(path: Path) -> None:
    try:
        report = lint_files([path], LintContext())
    except InputError as exc:  # allowed: one line
        assert "\n" not in exc.one_line()
        return
    for problem in report.problems:
        assert problem.line >= 1 and problem.column >= 1
        assert problem.message
        json.dumps(problem.to_json())


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(values)
def test_random_yaml_documents(value: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.yaml"
        path.write_text(_yaml(value))
        _check(path)


@SETTINGS
@given(values, values, values)
def test_random_machine_classes(metadata: Any, auto: Any, providerdata: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mc.yaml"
        path.write_text(_yaml(_machine_class(metadata, auto, providerdata)))
        _check(path)


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list("ab:-[]{}|>&*!'\" \n\t#%@`,?0")), max_size=200))
def test_random_yaml_like_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.yaml"
        path.write_text(text)
        _check(path)


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b.yaml"
        path.write_bytes(raw)
        _check(path)
