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
MAX_ALIASES = 1000  # cheap pre-check; the real limit is MAX_NODES after expansion
MAX_DEPTH = 64
MAX_NODES = 100_000  # collections + scalars after expanding aliases (a config has hundreds)
DEPTH_HINT = "is this the right file? real configuration is a few levels deep"


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
    import stat

    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{what} not found", path=path, hint="check the path") from None
    except OSError as exc:
        raise InputError(f"cannot read {what}: {exc.strerror}", path=path) from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{what} is a directory", path=path, hint="point at a file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"{what} is not a regular file (a pipe or a device)",
            path=path,
            hint="save the content to a file first",
        )
    size = info.st_size
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


def load_json(text: str, *, path: Path | str | None, what: str, hint: str) -> Any:
    """Parse a user's JSON file: one-line errors for bad syntax and for nesting too deep.

    The json module recurses once per nesting level: `[[[[...` a few thousand levels deep
    raises RecursionError, which must become an input error, not an internal one.
    """
    import json

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
    check_limits([data], path=path)
    return data


def yaml_error(exc: Exception, *, path: Path | str | None, line_offset: int = 0) -> InputError:
    """Turn a ruamel.yaml error into a one-line InputError with the line and column."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    line = column = None
    if mark is not None:
        line = int(mark.line) + 1 + line_offset
        column = int(mark.column) + 1
    hint = "fix the YAML syntax (indentation, quotes, a missing ':')"
    if "duplicate key" in str(problem):
        hint = "remove or rename one of the two keys"
    return InputError(f"invalid YAML: {problem}", path=path, line=line, column=column, hint=hint)


def count_aliases(text: str) -> int:
    """A cheap upper bound on the number of aliases (`*name`) in a YAML text."""
    import re

    return len(re.findall(r"(?:^|[\s\[{,:-])\*[^\s,\]}]+", text))


def load_all(
    text: str, *, path: Path | str | None, line_offset: int = 0, keep_comments: bool = True
) -> list[Any]:
    """Round-trip load every document of `text`, with alias and depth limits.

    Mappings and sequences are ruamel CommentedMap/CommentedSeq with line/column (`.lc`).
    `keep_comments=False` (for readers that never write the data back, such as the linter)
    composes with libyaml's C parser when ruamel.yaml.clib is installed and skips comment
    gathering: several times faster, same positions.
    """
    from ruamel.yaml.error import YAMLError

    if count_aliases(text) > MAX_ALIASES:
        raise InputError(
            f"too many YAML aliases (over {MAX_ALIASES}): refusing a possible alias bomb",
            path=path,
            hint="expand the anchors by hand",
        )
    if text.count("[") + text.count("{") > MAX_DEPTH:
        _check_flow_depth(text, path=path)
    try:
        if keep_comments:
            docs = list(round_trip_yaml().load_all(StringIO(text)))
        else:
            docs = _fast_load_all(text)
    except YAMLError as exc:
        raise yaml_error(exc, path=path, line_offset=line_offset) from None
    except RecursionError:
        raise InputError("YAML nested too deeply", path=path, hint=DEPTH_HINT) from None
    except Exception as exc:  # ruamel raises plain exceptions on odd input
        # a value the constructor cannot build: `2026-02-30`, `!!int abc`, `!!bool maybe`,
        # `!!set` on a scalar (AttributeError inside ruamel)
        where = _locate_bad_scalar(text)
        line, column = where if where else (None, None)
        detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        raise InputError(
            f"invalid YAML value: {detail}",
            path=path,
            line=line + line_offset if line is not None else None,
            column=column,
            hint="quote the value to keep it as text, or fix it (e.g. a real date)",
        ) from None
    check_limits(docs, path=path)
    return docs


def _check_flow_depth(text: str, *, path: Path | str | None) -> None:
    """Refuse flow collections nested past MAX_DEPTH before the round-trip parser sees them.

    ruamel's pure-Python scanner is quadratic in flow nesting: 5,000 `[` (10 KB) take it
    seconds before it gives up. libyaml's composer (when ruamel.yaml.clib is installed) builds
    the node tree in a blink, and its depth is measured without recursion.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    try:
        roots = list(YAML(typ="safe").compose_all(text))
    except YAMLError:
        return  # the round-trip parser reports it (libyaml refuses some valid YAML 1.2)
    except RecursionError:
        roots = []
        deepest = MAX_DEPTH + 1
    else:
        deepest = 0
    pending: list[tuple[Any, int]] = [(root, 0) for root in roots if root is not None]
    while pending and deepest <= MAX_DEPTH:
        node, depth = pending.pop()
        deepest = max(deepest, depth)
        if isinstance(node, MappingNode):
            pending.extend((part, depth + 1) for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            pending.extend((item, depth + 1) for item in node.value)
    if deepest > MAX_DEPTH:
        raise InputError(f"YAML nested more than {MAX_DEPTH} levels", path=path, hint=DEPTH_HINT)


def _locate_bad_scalar(text: str) -> tuple[int, int] | None:
    """1-based (line, column) of the first scalar the round-trip constructor cannot build."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    yaml = round_trip_yaml()
    try:
        pending: list[Any] = list(yaml.compose_all(StringIO(text)))
    except Exception:
        return None
    constructor = yaml.constructor
    found: list[tuple[int, int]] = []
    while pending:
        node = pending.pop()
        if isinstance(node, ScalarNode):
            try:
                constructor.construct_object(node, deep=True)
            except Exception:
                found.append((int(node.start_mark.line) + 1, int(node.start_mark.column) + 1))
        elif isinstance(node, MappingNode):
            pending.extend(part for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            pending.extend(node.value)
    return min(found) if found else None


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


def _fast_load_all(text: str) -> list[Any]:
    """Compose with the fast parser; on anything it rejects, defer to the round-trip parser.

    libyaml follows YAML 1.1 and refuses some YAML 1.2 that ruamel (and omnictl's go-yaml)
    accept, e.g. `{endpoint: https://x:6443}` in flow style, so its errors are never final.
    """
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.error import YAMLError

    from omni_scale import yamlfast  # imports ruamel: lazy like ruamel itself (module docstring)

    loader = _shared_round_trip_loader()
    if yamlfast.available():
        # libyaml's nodes built into position-keeping dicts and lists (yamlfast): the same
        # values and positions as below at a fraction of the cost; the rare text it leaves
        # alone (merge keys, duplicate keys, tags, limits exceeded) goes the round-trip way.
        try:
            nodes = yamlfast.compose_all(text)
        except YAMLError:
            return list(round_trip_yaml().load_all(StringIO(text)))
        try:
            return yamlfast.load_nodes(nodes, rt_loader=loader, text=text)
        except yamlfast.Unsupported:
            pass
    try:
        nodes = list(fast_composer().compose_all(text))
    except YAMLError:
        return list(round_trip_yaml().load_all(StringIO(text)))
    return [RoundTripConstructor(loader=loader).construct_document(node) for node in nodes]


_SHARED_LOADER: list[YAML] = []
_COMPOSER: list[YAML] = []


def fast_composer() -> YAML:
    """One shared YAML instance that only composes nodes (libyaml's parser when
    ruamel.yaml.clib is installed). Reused: building a resolver costs more than a small file."""
    if not _COMPOSER:
        from ruamel.yaml import YAML

        _COMPOSER.append(YAML(typ="safe"))
    return _COMPOSER[0]


def _shared_round_trip_loader() -> YAML:
    if not _SHARED_LOADER:
        _SHARED_LOADER.append(round_trip_yaml())
    return _SHARED_LOADER[0]
