"""Where the user's infra project is, and the paths inside it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from omni_scale.errors import EnvironmentProblem, InputError

STATE_FILE = Path(".claude/omni-scale.local.md")
COMPOSE_FILE = Path("docker/compose.yaml")
PROVIDER_CONFIG = Path("docker/config.yaml")
ENV_FILE = Path(".env")
MACHINE_CLASSES_DIR = Path("machine-classes")
CLUSTERS_DIR = Path("clusters")
SNAPSHOT_FILE = Path("proxmox-snapshot.json")

# Paths that hold secrets: always gitignored, always written 0600.
SECRET_PATTERNS = (".env", "docker/config.yaml", "docker/config-*.yaml", ".claude/*.local.md")


# `Path.home()` raises RuntimeError when HOME is unset and the uid has no passwd entry (a
# container started with `--user 12345`, a systemd DynamicUser). Every use goes through here.


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


def find_git_root(start: Path) -> Path | None:
    """The nearest parent of `start` (or itself) holding a `.git` entry, without running git."""
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def resolve_project_dir(
    option: str | Path | None,
    env: dict[str, str] | os._Environ[str] | None = None,
    cwd: Path | None = None,
) -> Path:
    """`--project-dir` > `$CLAUDE_PROJECT_DIR` > git root of the current directory > cwd."""
    environ = os.environ if env is None else env
    here = (cwd or Path.cwd()).resolve()
    if option is not None and not str(option).strip():
        raise InputError(
            "--project-dir is empty", hint="pass a folder, e.g. --project-dir examples/homelab"
        )
    if option:
        chosen = expand_user(option)
        source = "--project-dir"
    elif environ.get("CLAUDE_PROJECT_DIR"):
        chosen = expand_user(environ["CLAUDE_PROJECT_DIR"])
        source = "CLAUDE_PROJECT_DIR"
    else:
        return find_git_root(here) or here
    if not chosen.is_absolute():
        chosen = here / chosen
    if not chosen.is_dir():
        raise InputError(
            f"project directory {chosen} does not exist or is not a directory (from {source})",
            hint="pass an existing folder with --project-dir",
        )
    return chosen.resolve()


@dataclass(frozen=True)
class Project:
    """The user's infra repository and the well-known paths in it."""

    root: Path

    @property
    def state_file(self) -> Path:
        return self.root / STATE_FILE

    @property
    def compose_file(self) -> Path:
        return self.root / COMPOSE_FILE

    @property
    def provider_config(self) -> Path:
        return self.root / PROVIDER_CONFIG

    @property
    def env_file(self) -> Path:
        return self.root / ENV_FILE

    @property
    def machine_classes_dir(self) -> Path:
        return self.root / MACHINE_CLASSES_DIR

    @property
    def clusters_dir(self) -> Path:
        return self.root / CLUSTERS_DIR

    @property
    def snapshot_file(self) -> Path:
        return self.root / SNAPSHOT_FILE

    def relative(self, path: Path) -> str:
        """`path` relative to the project when inside it (for messages), else as given."""
        resolved = path.resolve()
        for root in (self.root, self.root.resolve()):
            try:
                return str(resolved.relative_to(root))
            except ValueError:
                continue
        return str(path)
