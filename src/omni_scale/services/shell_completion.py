"""Shell completion: the project's names a command line can complete, and installing the
script into the user's shell.

Completion runs on every TAB press, inside the user's shell: it must never fail loudly. Each
`*_ids`/`*_names` function answers what it can and an empty list when the project cannot be
read.
"""

from __future__ import annotations

import os
from pathlib import Path

from omni_scale.errors import OmniScaleError
from omni_scale.fs.atomic import atomic_write
from omni_scale.project import Project, home
from omni_scale.services.cluster_catalog import read_templates
from omni_scale.services.project_files import loadable_machine_classes, provider_targets
from omni_scale.textio import read_text_file

RC_FILES = {"bash": ".bashrc", "zsh": ".zshrc"}
MARKER = "# omni-scale shell completion"


def class_ids(project: Project, incomplete: str = "") -> list[str]:
    """The sorted ids of the project's machine classes (the files that load, as plan and
    apply read them: backups skipped) starting with `incomplete`."""
    try:
        classes = loadable_machine_classes(project)
    except (OmniScaleError, OSError):
        return []
    return sorted({c.id for c in classes if c.id and c.id.startswith(incomplete)})


def provider_ids(project: Project, incomplete: str = "") -> list[str]:
    """The ids of the providers in the project's docker/compose.yaml (else the default one)
    starting with `incomplete`, in the compose file's order."""
    try:
        targets = provider_targets(project)
    except (OmniScaleError, OSError):
        return []
    return [t.provider_id for t in targets if t.provider_id.startswith(incomplete)]


def cluster_names(project: Project, incomplete: str = "") -> list[str]:
    """The sorted cluster names of the project's templates in clusters/ starting with
    `incomplete` (no Omni call while completing)."""
    try:
        templates = read_templates(project)
    except (OmniScaleError, OSError):
        return []
    return sorted({t.name for t in templates if t.name and t.name.startswith(incomplete)})


def script_path(shell: str) -> Path:
    """Where `install` puts the script (fish autoloads its completions directory)."""
    if shell == "fish":
        config = Path(os.environ.get("XDG_CONFIG_HOME") or home() / ".config")
        return config / "fish" / "completions" / "omni-scale.fish"
    data = Path(os.environ.get("XDG_DATA_HOME") or home() / ".local" / "share")
    return data / "omni-scale" / f"completion.{shell}"


def install(shell: str, script: str) -> dict[str, object]:
    """Write the script file, and for bash/zsh source it once from the shell's rc file.

    Re-running changes nothing: the script is rewritten only when it differs, and the rc
    file gets its one line only when it lacks the marker. Returns {"script_file",
    "script_changed", "rc_file", "rc_changed"}."""
    target = script_path(shell)
    old = _text(target)
    if old != script:
        atomic_write(target, script)
    result: dict[str, object] = {"script_file": str(target), "script_changed": old != script}
    rc_name = RC_FILES.get(shell)
    if rc_name is None:
        result.update(rc_file=None, rc_changed=False)
        return result
    rc = home() / rc_name
    text = _text(rc) or ""
    line = f'[ -f "{target}" ] && . "{target}"  {MARKER}'
    changed = MARKER not in text
    if changed:
        prefix = text if not text or text.endswith("\n") else text + "\n"
        atomic_write(rc, prefix + line + "\n")
    result.update(rc_file=str(rc), rc_changed=changed)
    return result


def _text(path: Path) -> str | None:
    """A file's text, None when it does not exist; a binary or non-UTF-8 file is one-line bad
    input (it is not ours to rewrite)."""
    if not path.exists():
        return None
    return read_text_file(path, what=path.name)
