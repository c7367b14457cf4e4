from __future__ import annotations

from typing import Any


def test_version(cli: Any) -> None:
    result = cli("--version")
    assert result.code == 0
    assert result.out.startswith("omni-scale, version ")


def test_help_lists_command_groups(cli: Any) -> None:
    result = cli("--help")
    assert result.code == 0
    for group in ("lint", "state"):
        assert group in result.out
