"""The user's home folder, or one line saying why there is none.

`Path.home()` raises RuntimeError when HOME is unset and the uid has no passwd entry (a
container started with `--user 12345`, a systemd DynamicUser). Every use goes through here.
"""

from __future__ import annotations

import os
from pathlib import Path

from omni_scale.errors import EnvironmentProblem


def home() -> Path:
    try:
        return Path.home()
    except (RuntimeError, KeyError, OSError):
        uid = os.getuid() if hasattr(os, "getuid") else "?"
        raise EnvironmentProblem(
            f"cannot tell the home folder: HOME is not set and uid {uid} has no passwd entry",
            hint="set HOME to a folder you own (or XDG_DATA_HOME for omnictl's folder)",
        ) from None


def expand_user(path: str | Path) -> Path:
    """`Path(path).expanduser()`, with the same one-line error when `~` cannot be expanded."""
    candidate = Path(path)
    if not str(candidate).startswith("~"):
        return candidate
    try:
        return candidate.expanduser()
    except (RuntimeError, KeyError, OSError):
        if str(candidate) == "~" or str(candidate).startswith("~/"):
            return home() / str(candidate)[2:]
        raise EnvironmentProblem(
            f"cannot expand {path}: no such user", hint="write the full path instead"
        ) from None
