"""`provider setup` re-run over a project whose files it wrote earlier, one now corrupt.

Setup reads its own earlier output (compose, config, .env, state) to show what would change;
a corrupt one must stop it with one line naming the file (exit 2) and leave every file as it
was, never be replaced without --force. An empty file has nothing to lose: setup fills it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from robustness.conftest import CORRUPTIONS

COMPOSE, CONFIG, ENV = "docker/compose.yaml", "docker/config.yaml", ".env"
STATE = ".claude/omni-scale.local.md"


def _params() -> list[Any]:
    params = []
    for target in (COMPOSE, CONFIG, ENV, STATE):
        for corruption in sorted(set(CORRUPTIONS) - {"json-wrong-types"}):
            params.append(pytest.param(target, corruption))
    return params


@pytest.mark.parametrize(("target", "corruption"), _params())
def test_setup_over_a_corrupt_file(
    target: str,
    corruption: str,
    provider_project: Callable[..., Path],
    cli: Any,
    snapshot_tree: Callable[[Path], Callable[[], list[str]]],
) -> None:
    root = provider_project()
    path = root / target
    path.write_bytes(CORRUPTIONS[corruption])
    changed = snapshot_tree(root)

    result = cli("--project-dir", root, "provider", "setup", "--offline")

    output = result.err + result.out
    assert "Traceback" not in output and "internal error" not in output, output
    if corruption == "empty":
        # 1: the .env's provider key is gone; 2: the config's credentials are (no terminal)
        assert result.code in (0, 1, 2), output
        return
    assert result.code == 2, output
    assert path.name in result.err.strip().splitlines()[-1], output
    assert [c for c in changed() if not c.endswith(".lock")] == []
