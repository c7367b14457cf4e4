"""Reading the files of a project: capped, decoded, and JSON parsed, as one-line errors.

The lowest layer that reads files (yamlio builds on it for YAML). No YAML library here:
commands that read only JSON or text (`selector check`, the snapshot) do not pay for one.
"""

from __future__ import annotations

import json
import os
import stat

from omni_scale.errors import InputError

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~1x a bare start
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

MAX_FILE_BYTES = 1024 * 1024  # 1 MiB: far above any real MachineClass, template or config
MAX_DEPTH = 64
MAX_NODES = 100_000  # collections + scalars after expanding aliases (a config has hundreds)
DEPTH_HINT = "is this the right file? real configuration is a few levels deep"


def read_text_file(path: Path, *, what: str = "file", max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a user's text file with the size, binary and UTF-8 checks, as one-line errors."""
    return decode_text(read_capped(path, what=what, max_bytes=max_bytes), path=path, what=what)


# -- THE capped reader ---------------------------------------------------------------------
# Every file omni-scale did not write is read here: opened without blocking (a FIFO would wait
# for a writer forever), the opened descriptor (not the name, which a symlink or a swap could
# change between a check and the read) must be a regular file, and at most `max_bytes + 1`
# bytes are read, so `.gitignore -> /dev/zero`, `--token-secret-file /dev/zero`, a FIFO or a
# 10 GB file end with one line instead of reading forever.

MAX_READ_BYTES = 1024 * 1024  # 1 MiB: far above any file a project holds


def read_capped(path: Path, *, what: str = "file", max_bytes: int = MAX_READ_BYTES) -> bytes:
    """The bytes of `path`; InputError when missing, not a regular file, or over `max_bytes`.

    FileNotFoundError is raised as an InputError whose `missing` attribute is True, so callers
    that treat a missing file as empty can tell it apart.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        error = InputError(f"{what} not found", path=path, hint="check the path")
        error.missing = True  # type: ignore[attr-defined]
        raise error from None
    except IsADirectoryError:
        raise InputError(f"{what} is a directory", path=path, hint="point at a file") from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", path=path) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(f"{what} is a directory", path=path, hint="point at a file")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(
                f"{what} is not a regular file (a pipe or a device)",
                path=path,
                hint="save the content to a file first",
            )
        if info.st_size > max_bytes:
            raise _too_big(path, what, max_bytes, info.st_size)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 16, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:  # it grew while we read it
            raise _too_big(path, what, max_bytes, None)
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", path=path) from None
    finally:
        os.close(fd)


def read_capped_or_none(
    path: Path, *, what: str = "file", max_bytes: int = MAX_READ_BYTES
) -> bytes | None:
    """`read_capped`, but None for a missing file."""
    try:
        return read_capped(path, what=what, max_bytes=max_bytes)
    except InputError as exc:
        if getattr(exc, "missing", False):
            return None
        raise


def _too_big(path: Path, what: str, limit: int, size: int | None) -> InputError:
    amount = f"{size} bytes, over" if size is not None else "over"
    return InputError(
        f"{what} is {amount} the {limit}-byte limit",
        path=path,
        hint="is this the right file? configuration files are a few KiB",
    )


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


def load_json(text: str, *, path: Path | str | None, what: str, hint: str) -> Any:
    """Parse a user's JSON file: one-line errors for bad syntax and for nesting too deep.

    The json module recurses once per nesting level: `[[[[...` a few thousand levels deep
    raises RecursionError, which must become an input error, not an internal one.
    """

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{what} is not valid JSON: {exc.msg}",
            path=path,
            line=exc.lineno,
            column=exc.colno,
            hint=hint,
        ) from None
    except RecursionError:
        raise InputError(f"{what} is nested too deeply", path=path, hint=hint) from None
    except ValueError as exc:  # an integer past Python's 4,300-digit limit
        raise InputError(
            f"{what} holds an integer with thousands of digits ({clip(str(exc), 80)})",
            path=path,
            hint=hint,
        ) from None
    check_limits([data], path=path)
    return data


def clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_limits(docs: list[Any], *, path: Path | str | None) -> None:
    """Reject documents nested too deeply, self-referencing, or huge once aliases expand.

    The round-trip loader keeps aliases as shared references, so loading a "billion laughs"
    file is cheap, but anything that walks it (a JSON dump, a lint rule) would not be. Sizes
    are memoised per shared node, so this check itself is linear in the text.
    """
    memo: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def measure(node: Any) -> tuple[int, int]:  # (expanded node count, depth)
        if isinstance(node, dict):
            children: list[Any] = list(node.values())
        elif isinstance(node, list):
            children = list(node)
        else:
            return 1, 0
        key = id(node)
        if key in memo:
            return memo[key]
        if key in active:
            raise InputError(
                "YAML alias refers to its own anchor (a recursive structure)",
                path=path,
                hint="remove the self-referencing alias",
            )
        active.add(key)
        size, depth = 1, 0
        for child in children:
            child_size, child_depth = measure(child)
            size += child_size
            depth = max(depth, child_depth + 1)
            if depth > MAX_DEPTH:
                raise InputError(
                    f"YAML nested more than {MAX_DEPTH} levels", path=path, hint=DEPTH_HINT
                )
            if size > MAX_NODES:
                raise InputError(
                    f"YAML expands to over {MAX_NODES} values through aliases",
                    path=path,
                    hint="expand the anchors by hand; is this a crafted file?",
                )
        active.discard(key)
        memo[key] = (size, depth)
        return size, depth

    total = 0
    try:
        for doc in docs:
            total += measure(doc)[0]
            if total > MAX_NODES:
                raise InputError(
                    f"YAML expands to over {MAX_NODES} values", path=path, hint="split the file"
                )
    except RecursionError:
        raise InputError("YAML nested too deeply", path=path, hint=DEPTH_HINT) from None
