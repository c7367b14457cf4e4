"""MachineClass loading, positions of providerdata in the file, and lookup by id."""

from __future__ import annotations

import pytest

from omni_scale.core.machineclass.model import is_dns_label


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("worker", True),
        ("w-1", True),
        ("Worker", False),
        ("-w", False),
        ("a/b", False),
        ("..", False),
        ("a" * 63, True),
        ("a" * 64, False),
        ("", False),
    ],
)
def test_dns_label(name: str, ok: bool) -> None:
    assert is_dns_label(name) is ok
