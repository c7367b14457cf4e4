"""Where a write may land: THE check every write of omni-scale passes (via `atomic_write`).

* A write never follows a symlink (the file's or a folder's) out of the project.
* A secret (`.env`, `docker/config*.yaml`) is written only to a regular file that is not a
  symlink, not tracked by git and ignored by git (when the project is a git work tree and
  git is installed): a committed `.env` symlinked to a tracked file would otherwise carry the
  provider key into the next `git commit -a`.
* Folders created for 0600 files are created 0700 whatever the umask.
* A mode is changed only on a file inside the project, never through a link to outside.

The project root is registered once per command (`fs.root.set_project_root`), by the CLI when
it resolves the project. Without one (library use) the symlink confinement has no root to apply.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from omni_scale.errors import InputError
from omni_scale.fs.root import project_root

PRIVATE_DIR_MODE = 0o700


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _lexical_root(path: Path, root: Path) -> bool:
    """`path` as written names something in the project (before following any link)."""
    absolute = Path(os.path.normpath(path.absolute()))
    return _inside(absolute, root) or _inside(absolute, Path(os.path.normpath(root.absolute())))


def checked_target(path: Path, *, secret: bool = False) -> Path:
    """The real file a write to `path` replaces (a symlink's target, so the link survives),
    after refusing a link out of the project, and for a secret any link or a git-tracked or
    not-ignored file. InputError (one line, exit 2) otherwise."""
    root = project_root()
    real = Path(os.path.realpath(path))
    in_project = root is not None and _lexical_root(path, root)
    if in_project and root is not None and not _inside(real, root):
        raise InputError(
            f"refusing to write {path}: it leads through a symlink to {real}, outside the project",
            hint="replace the link with a regular file in the project",
        )
    if secret:
        if path.is_symlink():
            raise InputError(
                f"refusing to write a secret through the symlink {path} -> {path.readlink()}",
                hint=f"remove the link (rm {path}) and re-run; the file is then created 0600",
            )
        if in_project and root is not None:
            _check_git(real, root)
    return real if path.is_symlink() else path


def _check_git(real: Path, root: Path) -> None:
    status = git_status(real, root)
    if status is None:
        return
    tracked, ignored = status
    rel = real.relative_to(root)
    if tracked:
        raise InputError(
            f"refusing to write a secret into {rel}: git tracks it, so it would be committed",
            hint=f"untrack it with: git rm --cached -- {rel} (it stays on disk), then re-run",
        )
    if not ignored:
        raise InputError(
            f"refusing to write a secret into {rel}: git does not ignore it",
            hint=f"add the line '{rel}' to .gitignore (and remove any '!{rel}'), then re-run",
        )


def git_status(path: Path, root: Path) -> tuple[bool, bool] | None:
    """(tracked, ignored) of `path` in the git work tree at `root`; None when git is not
    installed or `root` is not a work tree (then nothing can be committed by accident)."""
    git = shutil.which("git")
    if git is None or not (root / ".git").exists():
        return None
    rel = str(path.relative_to(root))
    # no hooks, no fsmonitor: a repo's own config must not run anything while we ask
    base = [git, "-c", "core.fsmonitor=false", "-C", str(root)]
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        inside = subprocess.run(
            [*base, "rev-parse", "--is-inside-work-tree"],
            capture_output=True, text=True, timeout=10, env=env, check=False,
        )  # fmt: skip
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return None
        tracked = subprocess.run(
            [*base, "ls-files", "--error-unmatch", "--", rel],
            capture_output=True, timeout=10, env=env, check=False,
        ).returncode == 0  # fmt: skip
        ignored = subprocess.run(
            [*base, "check-ignore", "-q", "--no-index", "--", rel],
            capture_output=True, timeout=10, env=env, check=False,
        ).returncode == 0  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return tracked, ignored


def make_dirs(directory: Path, *, private: bool) -> None:
    """Create `directory` and missing parents; private ones 0700 whatever the umask.
    Existing folders keep their mode (they may be the user's, or outside the project)."""
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    umask = os.umask(0o022)
    os.umask(umask)
    # never group/world-writable, even under umask 000: others could swap files in it
    mode = PRIVATE_DIR_MODE if private else 0o777 & ~(umask | 0o022)
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=mode)
        except FileExistsError:
            continue
        folder.chmod(mode)


def safe_chmod(path: Path, mode: int) -> None:
    """chmod a file of the project; never through a symlink to a file outside it."""
    target = checked_target(path)
    if target.is_symlink():
        return
    target.chmod(mode)
