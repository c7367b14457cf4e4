"""Keep the project's secret files out of git."""

from __future__ import annotations

from pathlib import Path

from omni_scale.fs.atomic import atomic_write

SECRET_ENTRIES = (
    ".env",
    "docker/config.yaml",
    "docker/config-*.yaml",
    ".claude/*.local.md",
    ".claude/*.lock",
    "*.bak",
)
HEADER = "# omni-scale: secrets and local state (never commit these)"


def ensure_gitignore(root: Path, entries: tuple[str, ...] = SECRET_ENTRIES) -> list[str]:
    """Add each missing entry to `<root>/.gitignore` once; return the entries added."""
    from omni_scale.fs.read import read_capped_or_none
    from omni_scale.yamlio import decode_text

    path = root / ".gitignore"
    raw = read_capped_or_none(path, what=".gitignore")
    text = "" if raw is None else decode_text(raw, path=path, what=".gitignore")
    present = {line.strip() for line in text.splitlines()}
    present |= {p.lstrip("/") for p in present}
    # "!entry" means the user deliberately un-ignored it: respect that, add nothing.
    negated = {p[1:].lstrip("/") for p in present if p.startswith("!")}
    missing = [e for e in entries if e not in present and e not in negated]
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
