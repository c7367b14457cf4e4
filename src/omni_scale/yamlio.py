"""YAML loading with the safety limits every reader of user files shares.

ruamel.yaml is imported lazily: it costs tens of milliseconds and most commands that start
fast (`--version`, the session hook) never need it.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omni_scale.errors import InputError

if TYPE_CHECKING:
    from ruamel.yaml import YAML

MAX_FILE_BYTES = 1024 * 1024  # 1 MiB: far above any real MachineClass, template or config
MAX_ALIASES = 100  # anchors/aliases are legal, but a "billion laughs" file is not a config
MAX_DEPTH = 64


def round_trip_yaml() -> YAML:
    """A YAML instance that keeps comments, key order and quoting (for files we update)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def safe_yaml() -> YAML:
    from ruamel.yaml import YAML

    return YAML(typ="rt", pure=True)


def read_text_file(path: Path, *, what: str = "file", max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a user's text file with the size, binary and UTF-8 checks, as one-line errors."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{what} not found", path=path, hint="check the path") from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", path=path) from exc
    if size > max_bytes:
        raise InputError(
            f"{what} is {size} bytes, over the {max_bytes}-byte limit",
            path=path,
            hint="is this the right file? configuration files are a few KiB",
        )
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{what} is a directory", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", path=path) from exc
    return decode_text(raw, path=path, what=what)


def decode_text(raw: bytes, *, path: Path | str | None, what: str = "file") -> str:
    if b"\x00" in raw:
        raise InputError(f"{what} is binary, not text", path=path, hint="point at a YAML file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{what} is not valid UTF-8 (byte {exc.start})",
            path=path,
            line=line,
            hint="save the file as UTF-8",
        ) from None


def yaml_error(exc: Exception, *, path: Path | str | None, line_offset: int = 0) -> InputError:
    """Turn a ruamel.yaml error into a one-line InputError with the line and column."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    line = column = None
    if mark is not None:
        line = int(mark.line) + 1 + line_offset
        column = int(mark.column) + 1
    return InputError(
        f"invalid YAML: {problem}",
        path=path,
        line=line,
        column=column,
        hint="fix the YAML syntax (indentation, quotes, a missing ':')",
    )


def count_aliases(text: str) -> int:
    """A cheap upper bound on the number of aliases (`*name`) in a YAML text."""
    import re

    return len(re.findall(r"(?:^|[\s\[{,:-])\*[^\s,\]}]+", text))


def load_all(text: str, *, path: Path | str | None, line_offset: int = 0) -> list[Any]:
    """Round-trip load every document of `text`, with alias and depth limits."""
    from ruamel.yaml.error import YAMLError

    if count_aliases(text) > MAX_ALIASES:
        raise InputError(
            f"too many YAML aliases (over {MAX_ALIASES}): refusing a possible alias bomb",
            path=path,
            hint="expand the anchors by hand",
        )
    yaml = round_trip_yaml()
    try:
        docs = list(yaml.load_all(StringIO(text)))
    except YAMLError as exc:
        raise yaml_error(exc, path=path, line_offset=line_offset) from None
    except RecursionError:
        raise InputError("YAML nested too deeply", path=path) from None
    for doc in docs:
        if _depth(doc) > MAX_DEPTH:
            raise InputError(f"YAML nested more than {MAX_DEPTH} levels", path=path)
    return docs


def _depth(node: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(node, dict):
        return max((_depth(v, level + 1) for v in node.values()), default=level + 1)
    if isinstance(node, list):
        return max((_depth(v, level + 1) for v in node), default=level + 1)
    return level


def line_of(node: Any, key: Any = None) -> tuple[int, int] | None:
    """1-based (line, column) of a mapping key or sequence item in a round-trip document."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if key is None:
            return int(lc.line) + 1, int(lc.col) + 1
        pos = lc.key(key) if isinstance(node, dict) else lc.item(key)
        return int(pos[0]) + 1, int(pos[1]) + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return None


def dump(data: Any) -> str:
    out = StringIO()
    round_trip_yaml().dump(data, out)
    return out.getvalue()
