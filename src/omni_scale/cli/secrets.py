"""Reading secrets: from a file (`-` = stdin), an environment variable, or a hidden prompt.

Never from a command-line value (argv is visible to every user of the machine).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from omni_scale.errors import InputError

MAX_SECRET_BYTES = 64 * 1024  # a key, a token secret or a password: a few hundred bytes


def read_secret_file(path: Path, what: str) -> str:
    """The text of `path` (`-` reads stdin), capped; a FIFO or a device is refused."""
    from omni_scale.fs.read import read_capped
    from omni_scale.textio import decode_text

    if str(path) == "-":
        text = sys.stdin.read(MAX_SECRET_BYTES + 1)
        if len(text) > MAX_SECRET_BYTES:
            raise InputError(
                f"{what} on stdin is over {MAX_SECRET_BYTES} bytes",
                hint=f"pipe only the {what} itself",
            )
        return text
    raw = read_capped(path, what=f"{what} file", max_bytes=MAX_SECRET_BYTES)
    return decode_text(raw, path=path, what=f"{what} file")


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
