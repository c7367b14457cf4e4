"""Reading secrets: from a file (`-` = stdin), an environment variable, or a hidden prompt.

Never from a command-line value (argv is visible to every user of the machine).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from omni_scale.errors import InputError


def read_secret_file(path: Path, what: str) -> str:
    """The first non-empty line of `path` (`-` reads stdin), stripped."""
    if str(path) == "-":
        text = sys.stdin.read()
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(f"{what} file not found", path=path, hint="check the path") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {what} file: {exc}", path=path) from None
    return text


def first_line(text: str, what: str, path: Path | None = None) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    raise InputError(f"{what} file is empty", path=path, hint=f"write the {what} on one line")


def from_env(*names: str) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value and value.strip():
            return value.strip()
    return None


def prompt_secret(label: str, *, required: bool = True) -> str | None:
    """A hidden prompt on the terminal (stderr, so stdout stays clean)."""
    import click

    value: str = click.prompt(
        label, hide_input=True, err=True, default="" if not required else None, show_default=False
    )
    value = value.strip()
    if not value and required:
        raise InputError(f"{label} is required")
    return value or None
