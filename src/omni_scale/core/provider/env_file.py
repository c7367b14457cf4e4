"""A compose .env file: read as python-dotenv (Compose's own reader) reads it, checked line by
line, and merged with new values.

python-dotenv is imported when a .env is read, not with this module: its package imports
logging and tempfile (about a bare interpreter's start), and a project without a compose file
never reads a .env (lint of a machine class, `lint FILE`; bench/startup.py).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

from omni_scale.errors import InputError

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~1x a bare start
if TYPE_CHECKING:
    from pathlib import Path

_ENV_LINE_RE = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=(?P<value>.*)$")
_ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def parse_env(text: str, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The variables of a compose .env file, read by python-dotenv.

    python-dotenv is the reader Docker Compose 1.x itself uses for .env (and Compose 2's own
    parser agrees on the lines setup and users write): `export` prefixes, quotes, inline `#`
    comments after a value, quoted values over several lines, `\\"` and `\\t`/`\\n` escapes in
    double quotes, and `${VAR}` / `${VAR:-default}` expanded from earlier lines, then from
    `environ` (the shell's variables; none unless given, so this stays free of I/O). Lines
    python-dotenv cannot read are skipped here; `check_env` names them.
    """

    if not text.strip():
        return {}
    from dotenv.parser import parse_stream
    from dotenv.variables import Literal, Variable, parse_variables

    values: dict[str, str] = {}
    for binding in parse_stream(io.StringIO(text)):
        if binding.error or binding.key is None or binding.value is None:
            continue
        # As dotenv_values(interpolate=True): the file's own earlier values win over environ.
        scope = {**(environ or {}), **values}
        parts = []
        for atom in parse_variables(binding.value):
            # python-dotenv's own rules (Literal / Variable.resolve), spelled out here
            if isinstance(atom, Variable):  # unset -> the default (or "")
                parts.append(scope.get(atom.name, atom.default or ""))
            elif isinstance(atom, Literal):
                parts.append(atom.value)
        values[binding.key] = "".join(parts)
    return values


ENV_HINT = (
    "each line of .env is KEY=VALUE, a # comment or blank; fix or remove this line "
    "(setup never rewrites a .env it cannot read)"
)


def check_env(text: str, *, path: Path | str | None, line_offset: int = 0) -> None:
    """InputError naming the first line python-dotenv (the reader) cannot read.

    A quoted value may run over several lines (`K="a\nb"` across lines). The line itself is
    never quoted in the message: it may hold a secret.
    """

    from dotenv.parser import parse_stream

    for binding in parse_stream(io.StringIO(text)):
        bare = binding.value is None and binding.key is not None  # a line without `=`
        if not binding.error and not (bare and not _ENV_NAME_RE.match(binding.key or "")):
            # (`NAME` alone passes NAME from the shell in Compose; anything else alone, e.g.
            # a pasted secret, is no variable)
            continue
        number = binding.original.line
        first = binding.original.string.split("\n", 1)[0]
        match = _ENV_LINE_RE.match(first)
        value = match.group("value").strip() if match else ""
        if value[:1] in ("'", '"'):
            raise InputError(
                f"the value opened with {value[0]} is never closed",
                path=path,
                line=number + line_offset,
                hint=f"add the closing {value[0]}",
            )
        raise InputError(
            "not a KEY=VALUE line", path=path, line=number + line_offset, hint=ENV_HINT
        )


def _env_value(value: str) -> str:
    """A .env value as compose reads it back: plain, or single-quoted. A line break or any
    other control character is refused: it would start a second variable in .env (a key
    from $OMNI_INFRA_PROVIDER_KEY with a newline injected `EVIL=...`)."""
    if re.search(r"[\x00-\x1f\x7f\x85\u2028\u2029]", value):
        raise InputError(
            "a value for .env holds a line break or a control character",
            hint="pass the value on one line (a provider key is one line of base64)",
        )
    if re.fullmatch(r"[A-Za-z0-9_./:@+=,!-]*", value):
        return value
    return "'" + value.replace("'", "") + "'"


def merge_env(text: str | None, updates: Mapping[str, str]) -> str:
    """`text` with each KEY of `updates` set (replaced in place, else appended)."""
    lines = (text or "").splitlines()
    done: set[str] = set()
    out: list[str] = []
    for line in lines:
        match = _ENV_LINE_RE.match(line)
        if match and not line.lstrip().startswith("#") and match.group("key") in updates:
            key = match.group("key")
            if key in done:
                continue
            out.append(f"{key}={_env_value(updates[key])}")
            done.add(key)
        else:
            out.append(line)
    for key, value in updates.items():
        if key not in done:
            out.append(f"{key}={_env_value(value)}")
    return "\n".join(out) + "\n"
