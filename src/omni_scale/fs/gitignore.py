"""Keep the project's secret files out of git."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pathspec

from omni_scale.fs.atomic import atomic_write
from omni_scale.fs.read import read_capped_or_none
from omni_scale.textio import decode_text

SECRET_ENTRIES = (
    ".env",
    "docker/config.yaml",
    "docker/config-*.yaml",
    ".claude/*.local.md",
    ".claude/*.lock",
    "*.bak",
)
HEADER = "# omni-scale: secrets and local state (never commit these)"


# Files each entry stands for: an entry is needed unless git already ignores all of them.
SAMPLES = {
    ".env": (".env",),
    "docker/config.yaml": ("docker/config.yaml",),
    "docker/config-*.yaml": ("docker/config-lab.yaml", "docker/config-x-2.yaml"),
    ".claude/*.local.md": (".claude/omni-scale.local.md",),
    ".claude/*.lock": (".claude/omni-scale.local.md.lock", ".claude/x.lock"),
    "*.bak": (".env.bak", "docker/config.yaml.bak", "docker/compose.yaml.bak"),
}


def _spec(directory: Path) -> Any:
    """The patterns of `directory/.gitignore` (None when there is none)."""

    path = directory / ".gitignore"
    if not directory.is_dir() or path.is_dir():
        return None
    raw = read_capped_or_none(path, what=".gitignore")  # capped; a device or FIFO refused
    if raw is None:
        return None
    return pathspec.GitIgnoreSpec.from_lines(raw.decode("utf-8", errors="replace").splitlines())


def is_ignored(root: Path, relative: str) -> bool:
    """Whether git ignores `relative` by the project's own .gitignore files.

    gitignore rules as git applies them (pathspec's GitIgnoreSpec: wildcards, `**`, directory
    patterns, negation, last match wins), in the root's .gitignore and those of the folders on
    the way, the deeper one deciding. Global excludes and .git/info/exclude are left out on
    purpose: they are not shared with the people who clone the project.
    """
    parts = relative.split("/")
    ignored = False
    for depth in range(len(parts)):
        base = root.joinpath(*parts[:depth])
        spec = _spec(base)
        if spec is None:
            continue
        # a folder on the way that is ignored hides everything in it (git does not look in)
        for sub in range(depth + 1, len(parts)):
            folder = "/".join(parts[depth:sub]) + "/"
            if spec.check_file(folder).include:
                return True
        result = spec.check_file("/".join(parts[depth:]))
        if result.include is not None:
            ignored = bool(result.include)
    return ignored


def covered(root: Path, entry: str) -> bool:
    """Whether git already ignores every file the entry stands for."""
    samples = SAMPLES.get(entry) or (entry.replace("*", "x"),)
    return all(is_ignored(root, sample) for sample in samples)


def ensure_gitignore(root: Path, entries: tuple[str, ...] = SECRET_ENTRIES) -> list[str]:
    """Add each entry git does not already cover to `<root>/.gitignore`; return those added.

    An entry is left out when a line of the project's .gitignore files already ignores what
    it stands for (`.env*` covers `.env`, `docker/` covers `docker/config.yaml`), or when the
    user un-ignored it on purpose (`!.env`).
    """

    path = root / ".gitignore"
    raw = read_capped_or_none(path, what=".gitignore")
    text = "" if raw is None else decode_text(raw, path=path, what=".gitignore")
    present = {line.strip() for line in text.splitlines()}
    present |= {p.lstrip("/") for p in present}
    # "!entry" means the user deliberately un-ignored it: respect that, add nothing.
    negated = {p[1:].lstrip("/") for p in present if p.startswith("!")}
    missing = [e for e in entries if e not in present and e not in negated and not covered(root, e)]
    if not missing:
        return []
    block = "" if HEADER in present else HEADER + "\n"
    block += "\n".join(missing) + "\n"
    if text and not text.endswith("\n"):
        text += "\n"
    if text and HEADER not in present:
        text += "\n"
    atomic_write(path, text + block)
    return missing
