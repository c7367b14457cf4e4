"""YAML loading with the safety limits every reader of user files shares.

ruamel.yaml costs tens of milliseconds to import; the fast paths (`--version`, `--help`, the
session hook) stay fast because the CLI loads a command's modules only when it runs.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from omni_scale import yamlfast
from omni_scale.errors import InputError
from omni_scale.textio import (
    DEPTH_HINT,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    check_limits,
    clip,
)

MAX_ALIASES = 1000  # cheap pre-check; the real limit is MAX_NODES after expansion
YAML_SUFFIXES = (".yaml", ".yml")


def yaml_files(directory: Path) -> list[Path]:
    """The YAML files of a project folder, recursively, sorted: `*.yaml` / `*.yml` regular
    files, without backups.

    A backup is any name with `.bak` in it: ours are `NAME.yaml.bak` (written by --force, and
    already not `.yaml`), and a hand-made `NAME.bak.yaml` copy would otherwise be read as a
    second class or template with the same id (lint, plan and apply would all see it twice).
    """
    return sorted(
        p
        for p in directory.rglob("*")
        if p.suffix in YAML_SUFFIXES and ".bak" not in p.name and p.is_file()
    )


def round_trip_yaml() -> YAML:
    """A YAML instance that keeps comments, key order and quoting (for files we update)."""

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def safe_yaml() -> YAML:
    return YAML(typ="rt", pure=True)


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

    guard_yaml_text(text, path=path, line_offset=line_offset)
    try:
        if keep_comments:
            docs = list(round_trip_yaml().load_all(StringIO(text)))
        else:
            docs = _fast_load_all(text)
    except YAMLError as exc:
        raise yaml_error(exc, path=path, line_offset=line_offset) from None
    except RecursionError:
        raise InputError("YAML nested too deeply", path=path, hint=DEPTH_HINT) from None
    except InputError:
        raise
    except Exception as exc:  # ruamel raises plain exceptions on odd input
        raise value_error(exc, text, path=path, line_offset=line_offset) from None
    check_limits(docs, path=path)
    return docs


def value_error(
    exc: Exception, text: str, *, path: Path | str | None, line_offset: int = 0
) -> InputError:
    """A value the constructor cannot build: `2026-02-30`, `!!int abc`, `!!bool maybe`, `!!set`
    on a scalar (AttributeError inside ruamel), an integer over Python's 4,300-digit limit."""
    where = _locate_bad_scalar(text)
    line, column = where if where else (None, None)
    detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
    hint = "quote the value to keep it as text, or fix it (e.g. a real date)"
    if "digits" in str(detail):
        detail = "an integer with thousands of digits"
        hint = "no setting needs a number that long; fix the value"
    return InputError(
        clip(f"invalid YAML value: {detail}"),
        path=path,
        line=line + line_offset if line is not None else None,
        column=column,
        hint=hint,
    )


def guard_yaml_text(text: str, *, path: Path | str | None, line_offset: int = 0) -> None:
    """THE limits every YAML text passes before any parser builds Python values from it.

    Every parse path calls this first: `load_all` (files), `load_providerdata_yaml` (the YAML
    embedded in a MachineClass), and any faster parser that may replace them. It refuses, as
    one InputError, a text over MAX_FILE_BYTES, more than MAX_ALIASES aliases, and a node
    graph that nests deeper than MAX_DEPTH or expands (through aliases and `<<` merge keys)
    to more than MAX_NODES values. The graph is composed without being constructed (aliases
    stay shared nodes) and measured with one memo per shared node, so an alias or merge-key
    bomb is refused in milliseconds, before a constructor could expand it.
    """
    where = line_offset + 1 if line_offset else None
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"YAML text is {size} bytes, over the {MAX_FILE_BYTES}-byte limit",
            path=path,
            line=where,
            hint="is this the right file? configuration files are a few KiB",
        )
    aliases = count_aliases(text)
    if aliases > MAX_ALIASES:
        raise InputError(
            f"too many YAML aliases (over {MAX_ALIASES}): refusing a possible alias bomb",
            path=path,
            line=where,
            hint="expand the anchors by hand",
        )
    if aliases == 0 and not _may_nest_deeply(text):
        return  # no shared nodes and no deep nesting: the parsed size is the text's
    _check_event_depth(text, path=path, line_offset=line_offset)
    if aliases == 0:
        return

    try:
        roots = list(fast_composer().compose_all(text))
    except YAMLError:
        return  # the parser that follows reports it (libyaml refuses some valid YAML 1.2)
    check_nodes(roots, path=path, line_offset=line_offset)


# Block nesting needs indentation or several `- ` / `? ` (with tags or anchors) on one line;
# flow nesting needs brackets. Text with none of these cannot nest past MAX_DEPTH.
_DEEP_BLOCK = re.compile(r"^[ \t]{128}|(?:[-?][ \t]+(?:[!&][^ \t\n]*[ \t]+)*){16}", re.M)
_QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\n]|\'\')*\'')


def _may_nest_deeply(text: str) -> bool:
    return text.count("[") + text.count("{") > MAX_DEPTH or _DEEP_BLOCK.search(text) is not None


def _check_event_depth(text: str, *, path: Path | str | None, line_offset: int) -> None:
    """Refuse nesting past MAX_DEPTH from libyaml's event stream, before anything recursive
    (libyaml's composer crashes the interpreter past ~30,000 levels; ruamel's pure parser is
    quadratic in flow depth). The event parser keeps an explicit stack: no recursion, and it
    stops at the first level too deep, so 1 MiB of `[` is refused in milliseconds."""

    depth = 0
    try:
        for event in fast_composer().parse(text):
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise InputError(
                        f"YAML nested more than {MAX_DEPTH} levels",
                        path=path,
                        line=int(mark.line) + 1 + line_offset if mark is not None else None,
                        hint=DEPTH_HINT,
                    )
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError:
        # libyaml refuses some valid YAML 1.2, which the round-trip parser then reads: bound
        # its flow depth on the text (quoted strings removed) so it never meets 100,000 `[`
        if _flow_depth(_QUOTED.sub("", text)) > MAX_DEPTH:
            raise InputError(
                f"YAML nested more than {MAX_DEPTH} levels", path=path, hint=DEPTH_HINT
            ) from None


def _flow_depth(text: str) -> int:
    depth = deepest = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def check_nodes(roots: list[Any], *, path: Path | str | None, line_offset: int = 0) -> None:
    """Refuse a composed YAML node graph that is recursive, deeper than MAX_DEPTH, or larger
    than MAX_NODES once every alias and merge key is expanded (linear: memo per node)."""

    memo: dict[int, tuple[int, int]] = {}  # id -> (expanded size, height)
    active: set[int] = set()

    def refuse(message: str, node: Any, hint: str) -> InputError:
        mark = getattr(node, "start_mark", None)
        line = int(mark.line) + 1 + line_offset if mark is not None else None
        return InputError(message, path=path, line=line, hint=hint)

    def measure(node: Any, depth: int) -> tuple[int, int]:
        if depth > MAX_DEPTH:
            raise refuse(f"YAML nested more than {MAX_DEPTH} levels", node, DEPTH_HINT)
        if isinstance(node, MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, SequenceNode):
            children = list(node.value)
        else:
            return 1, 0
        key = id(node)
        if key in memo:
            if depth + memo[key][1] > MAX_DEPTH:  # a shared subtree reached deeper than before
                raise refuse(f"YAML nested more than {MAX_DEPTH} levels", node, DEPTH_HINT)
            return memo[key]
        if key in active:
            raise refuse(
                "YAML alias refers to its own anchor (a recursive structure)",
                node,
                "remove the self-referencing alias",
            )
        active.add(key)
        size = height = 1
        for child in children:
            child_size, child_height = measure(child, depth + 1)
            size += child_size
            height = max(height, child_height + 1)
            if size > MAX_NODES:
                raise refuse(
                    f"YAML expands to over {MAX_NODES} values through aliases or merge keys",
                    node,
                    "expand the anchors by hand; is this a crafted file?",
                )
        active.discard(key)
        memo[key] = (size, height)
        return size, height

    total = 0
    for root in roots:
        if root is None:
            continue
        total += measure(root, 0)[0]
        if total > MAX_NODES:
            raise refuse(f"YAML expands to over {MAX_NODES} values", root, "split the file")


def _locate_bad_scalar(text: str) -> tuple[int, int] | None:
    """1-based (line, column) of the first scalar the round-trip constructor cannot build."""

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
        _COMPOSER.append(YAML(typ="safe"))
    return _COMPOSER[0]


def _shared_round_trip_loader() -> YAML:
    if not _SHARED_LOADER:
        _SHARED_LOADER.append(round_trip_yaml())
    return _SHARED_LOADER[0]
