"""The project root writes are confined to (`fs.guard`), registered once per command.

Its own module, without the guard's git and process imports: the CLI registers the root for
every command that resolves its project, including `lint FILE`, which writes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

_ROOT: list[Path] = []


def set_project_root(root: Path | None) -> None:
    """The folder writes are confined to (None: no confinement)."""
    _ROOT.clear()
    if root is not None:
        _ROOT.append(Path(os.path.realpath(root)))


def project_root() -> Path | None:
    return _ROOT[0] if _ROOT else None
