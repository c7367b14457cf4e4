"""Where the omnictl binary is: the state file's path, then PATH, then the XDG bin directory.

Every command that needs omnictl calls `locate_omnictl` (or `ensure_omnictl` in
`omni_scale.services.omnictl_ensure`, which also installs a verified one when nothing is found).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from omni_scale.errors import EnvironmentProblem

SOURCES = ("state", "PATH", "xdg", "installed")


@dataclass(frozen=True)
class Located:
    path: Path
    source: str  # "state", "PATH", "xdg", "installed"


def binary_name() -> str:
    return "omnictl.exe" if os.name == "nt" else "omnictl"


def xdg_bin_dir() -> Path:
    """`${XDG_DATA_HOME:-$HOME/.local}/bin` (the issue's install location)."""
    data_home = os.environ.get("XDG_DATA_HOME")
    from omni_scale.project import home

    base = Path(data_home) if data_home else home() / ".local"
    return base / "bin"


def default_install_path() -> Path:
    return xdg_bin_dir() / binary_name()


def is_executable_file(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def state_path_problem(state_path: str | None, root: Path | None = None) -> str | None:
    """Why the state file's `omnictl_path` is not used (None when it is usable or unset)."""
    if not state_path:
        return None
    candidate = resolve_state_path(state_path, root)
    if not candidate.exists():
        return f"omnictl_path {state_path} (state file) does not exist"
    if not is_executable_file(candidate):
        return f"omnictl_path {state_path} (state file) is not an executable file"
    untrusted = untrusted_reason(candidate, root)
    if untrusted:
        return f"omnictl_path {state_path} (state file): {untrusted}"
    return None


def untrusted_reason(candidate: Path, root: Path | None) -> str | None:
    """Why a path named by the state file must not be run (None when it may).

    The state file travels with the repository, so the path it names is repository content:
    it is run only from a trusted location, i.e. outside the project (a file of the clone
    could be a script of whoever committed it), owned by this user or root, and in a folder
    and a file nobody else may write."""
    real = Path(os.path.realpath(candidate))
    if root is not None:
        project = Path(os.path.realpath(root))
        if real == project or project in real.parents:
            return "it is inside the project, and a program from the repository is never run"
    uid = os.getuid() if hasattr(os, "getuid") else None
    for item in (real, real.parent):
        try:
            info = item.stat()
        except OSError:
            return f"{item} cannot be checked"
        if uid is not None and info.st_uid not in (0, uid):
            return f"{item} belongs to another user"
        if info.st_mode & 0o022 and not (item.is_dir() and info.st_mode & 0o1000):
            return f"{item} is writable by other users"
    return None


def resolve_state_path(state_path: str, root: Path | None = None) -> Path:
    from omni_scale.project import expand_user

    candidate = expand_user(state_path)
    if not candidate.is_absolute() and root is not None:
        candidate = root / candidate
    return candidate


def find_omnictl(state_path: str | None = None, root: Path | None = None) -> Located | None:
    """The first of: `state_path` (relative to `root`), `omnictl` on PATH, the XDG bin dir."""
    if state_path:
        candidate = resolve_state_path(state_path, root)
        if is_executable_file(candidate) and untrusted_reason(candidate, root) is None:
            return Located(candidate, "state")
    on_path = shutil.which("omnictl")
    if on_path:
        return Located(Path(on_path), "PATH")
    candidate = default_install_path()
    if is_executable_file(candidate):
        return Located(candidate, "xdg")
    return None


def locate_omnictl(state_path: str | None = None, root: Path | None = None) -> Located:
    found = find_omnictl(state_path, root)
    if found is None:
        raise EnvironmentProblem(
            f"omnictl not found (state file omnictl_path, PATH, {xdg_bin_dir()})",
            hint="run: omni-scale omnictl install",
        )
    return found
