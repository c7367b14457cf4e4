"""Where the omnictl binary is: the state file's path, then PATH, then the XDG bin directory.

Every command that needs omnictl calls `locate_omnictl`. (The omnictl-install issue extends
this with a verified download when nothing is found.)
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from omni_scale.errors import EnvironmentProblem


@dataclass(frozen=True)
class Located:
    path: Path
    source: str  # "state", "PATH", "xdg", "installed"


def xdg_bin_dir() -> Path:
    """`${XDG_DATA_HOME:-$HOME/.local}/bin` (the issue's install location)."""
    data_home = os.environ.get("XDG_DATA_HOME")
    base = Path(data_home) if data_home else Path.home() / ".local"
    return base / "bin"


def find_omnictl(state_path: str | None = None) -> Located | None:
    if state_path:
        candidate = Path(state_path).expanduser()
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return Located(candidate, "state")
    on_path = shutil.which("omnictl")
    if on_path:
        return Located(Path(on_path), "PATH")
    candidate = xdg_bin_dir() / "omnictl"
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return Located(candidate, "xdg")
    return None


def locate_omnictl(state_path: str | None = None) -> Located:
    found = find_omnictl(state_path)
    if found is None:
        raise EnvironmentProblem(
            "omnictl not found (state file, PATH, ~/.local/bin)",
            hint="run: omni-scale omnictl install",
        )
    return found
