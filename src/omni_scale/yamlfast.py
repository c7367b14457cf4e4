"""Read-only YAML documents built from libyaml's nodes, with every line and column kept.

The linter and the other readers that never write a file back need the data and the position
of each key and item, not comments or quoting. ruamel's round-trip constructor (pure Python, with
a resolver that looks the YAML version up again for every scalar) cost most of a lint run. Here
libyaml (ruamel.yaml.clib's `CParser`) composes the nodes, a resolver with ruamel's own YAML 1.2
rules (its `implicit_resolvers` table, not a copy) tags the plain scalars, and a small
constructor turns the nodes into dicts and lists that carry `.lc` like ruamel's CommentedMap and
CommentedSeq (`line`, `col`, `key(k)`, `value(k)`, `item(i)`, 0-based), so `yamlio.line_of` and
the rules see exactly the positions the round-trip loader gives.

Scalars it does not build itself (floats, timestamps, explicitly tagged or anchored values, `0`,
ints with underscores or other bases) go to ruamel's round-trip constructor one node at a time,
so their values are ruamel's. A document it does not handle at all raises `Unsupported`, and the
caller loads the text the old way (which also words the error when there is one): merge keys,
duplicate or non-scalar keys, tagged collections, recursive aliases, a `%YAML` directive, nesting
deeper than `MAX_DEPTH`, or more than `MAX_NODES` values once aliases are expanded. So the safety
limits hold here too: an alias bomb is counted while it is built (aliased nodes are built once and
shared, as ruamel does) and refused before anything walks it.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import implicit_resolvers
from ruamel.yaml.tag import Tag

from omni_scale.textio import MAX_DEPTH, MAX_NODES

try:
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - ruamel.yaml.clib is a dependency; pure fallback below
    CParser = None


class Unsupported(Exception):
    """The text needs ruamel's full loader (or is an error it should word)."""


class LineCol:
    """0-based positions, the interface of ruamel's `comments.LineCol` that readers use."""

    __slots__ = ("col", "data", "line")

    def __init__(self, line: int, col: int) -> None:
        self.line = line
        self.col = col
        self.data: dict[Any, tuple[int, ...]] | None = None

    def key(self, k: Any) -> tuple[int, int] | None:
        if self.data is None:
            return None
        entry = self.data[k]
        return entry[0], entry[1]

    def value(self, k: Any) -> tuple[int, int] | None:
        if self.data is None:
            return None
        entry = self.data[k]
        return entry[2], entry[3]

    def item(self, idx: int) -> tuple[int, int] | None:
        if self.data is None:
            return None
        entry = self.data[idx]
        return entry[0], entry[1]

    def __repr__(self) -> str:
        return f"LineCol({self.line}, {self.col})"


class PosMap(dict[Any, Any]):
    """A mapping of a read-only document, with `.lc` positions."""

    __slots__ = ("lc",)
    lc: LineCol


class PosSeq(list[Any]):
    """A sequence of a read-only document, with `.lc` positions."""

    __slots__ = ("lc",)
    lc: LineCol


# Should a read-only document ever be written out, it is written as the plain dict/list it is.
RoundTripRepresenter.add_representer(PosMap, RoundTripRepresenter.represent_dict)
RoundTripRepresenter.add_representer(PosSeq, RoundTripRepresenter.represent_list)


def _tag(name: str) -> Tag:
    return Tag(suffix=f"tag:yaml.org,2002:{name}")


_STR, _SEQ, _MAP = _tag("str"), _tag("seq"), _tag("map")
_INT, _BOOL, _NULL = _tag("int"), _tag("bool"), _tag("null")
_BY_SUFFIX = {str(t): t for t in (_STR, _SEQ, _MAP, _INT, _BOOL, _NULL)}

# ruamel's YAML 1.2 implicit resolvers, by first character, in ruamel's order.
_RESOLVERS: dict[str, list[tuple[Tag, Any]]] = {}
for _versions, _suffix, _regexp, _first in implicit_resolvers:
    if (1, 2) in _versions:
        _resolved = _BY_SUFFIX.get(_suffix) or Tag(suffix=_suffix)
        for _char in _first:
            _RESOLVERS.setdefault(_char, []).append((_resolved, _regexp))

_BOOLS = {"true": True, "false": False}


if CParser is not None:

    class _Composer(CParser):  # type: ignore[misc]
        """libyaml's composer with a resolver that only knows YAML 1.2 (no per-scalar version
        lookup) and hands out shared Tag objects (so the builder can tell them by identity)."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Tag:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, regexp in _RESOLVERS.get(value[:1], ()):
                        if regexp.match(value):
                            return tag
                return _STR
            return _SEQ if kind is SequenceNode else _MAP

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None


def available() -> bool:
    """Whether libyaml's parser is installed (ruamel.yaml.clib)."""
    return CParser is not None


def compose_all(text: str) -> list[Any]:
    """libyaml's node trees of every document (ruamel's YAMLError on bad syntax)."""
    composer = _Composer(text)
    nodes: list[Any] = []
    while composer.check_node():
        nodes.append(composer.get_node())
    return nodes


def load_all(text: str, *, rt_loader: Any) -> list[Any]:
    """Every document of `text` as PosMap/PosSeq/scalars; Unsupported when the caller must use
    ruamel's round-trip loader; ruamel's YAMLError when libyaml refuses the syntax (the caller
    decides: libyaml follows YAML 1.1 in places). `rt_loader` is the YAML instance whose
    round-trip constructor builds the scalars this module leaves to it."""
    if CParser is None or "%YAML" in text:
        raise Unsupported
    builder = _Builder(rt_loader)
    docs = [builder.document(node) for node in compose_all(text)]
    if builder.total > MAX_NODES:
        raise Unsupported
    return docs


def load_nodes(nodes: list[Any], *, rt_loader: Any, text: str) -> list[Any]:
    """Documents from the node trees `compose_all(text)` composed."""
    if "%YAML" in text:
        raise Unsupported
    builder = _Builder(rt_loader)
    docs = [builder.document(node) for node in nodes]
    if builder.total > MAX_NODES:
        raise Unsupported
    return docs


_ACTIVE = object()


class _Builder:
    __slots__ = ("memo", "rt", "rt_loader", "total")

    def __init__(self, rt_loader: Any) -> None:
        self.rt_loader = rt_loader
        self.rt: RoundTripConstructor | None = None
        self.memo: dict[int, Any] = {}  # anchored nodes: (value, size, depth) or _ACTIVE
        self.total = 0

    def document(self, node: Any) -> Any:
        value, size, _ = self.build(node, 0)
        self.total += size
        return value

    def ruamel_scalar(self, node: Any) -> Any:
        if self.rt is None:
            self.rt = RoundTripConstructor(loader=self.rt_loader)
        try:
            return self.rt.construct_object(node, deep=True)
        except Exception:  # ruamel words it (with the position) on the full load
            raise Unsupported from None

    def scalar(self, node: Any) -> Any:
        tag = node.ctag
        if node.anchor is None:
            if tag is _STR:
                return node.value
            if tag is _NULL:
                return None
            if tag is _BOOL:
                return _BOOLS[node.value.lower()]
            if tag is _INT:
                text = node.value
                digits = text[1:] if text[:1] in "+-" else text
                if digits[:1] in "123456789" and digits.isdigit() and len(digits) < 4000:
                    return int(text)  # longer: ruamel's error (Python's digit limit)
        return self.ruamel_scalar(node)

    def build(self, node: Any, level: int) -> tuple[Any, int, int]:
        """(value, values counted with aliases expanded, depth), as textio.check_limits counts."""
        anchored = node.anchor is not None
        if anchored:
            seen = self.memo.get(id(node))
            if seen is _ACTIVE:
                raise Unsupported  # a recursive alias
            if seen is not None:
                return seen  # type: ignore[no-any-return]
        kind = node.__class__
        if kind is ScalarNode:
            result: tuple[Any, int, int] = (self.scalar(node), 1, 0)
            if anchored:
                self.memo[id(node)] = result
            return result
        if level >= MAX_DEPTH:
            raise Unsupported
        if anchored:
            self.memo[id(node)] = _ACTIVE
        mark = node.start_mark
        size = 1
        depth = 0
        if kind is MappingNode:
            if node.ctag is not _MAP:
                raise Unsupported
            mapping = PosMap()
            lc = mapping.lc = LineCol(mark.line, mark.column)
            positions: dict[Any, tuple[int, ...]] = {}
            for key_node, value_node in node.value:
                if key_node.__class__ is not ScalarNode or key_node.anchor is not None:
                    raise Unsupported
                key_tag = key_node.ctag
                if key_tag is _STR:
                    key = key_node.value
                elif key_tag is _INT or key_tag is _BOOL or key_tag is _NULL:
                    key = self.scalar(key_node)
                else:
                    raise Unsupported  # merge keys, `=`, floats, dates, tags: ruamel's way
                if key in mapping:
                    raise Unsupported  # ruamel refuses duplicate keys, and words it
                value, count, below = self.build(value_node, level + 1)
                mapping[key] = value
                key_mark = key_node.start_mark
                value_mark = value_node.start_mark
                positions[key] = (
                    key_mark.line,
                    key_mark.column,
                    value_mark.line,
                    value_mark.column,
                )
                size += count
                if below >= depth:
                    depth = below + 1
            if positions:
                lc.data = positions
            built: Any = mapping
        elif kind is SequenceNode:
            if node.ctag is not _SEQ:
                raise Unsupported
            sequence = PosSeq()
            lc = sequence.lc = LineCol(mark.line, mark.column)
            items: dict[Any, tuple[int, ...]] = {}
            for index, child in enumerate(node.value):
                value, count, below = self.build(child, level + 1)
                sequence.append(value)
                child_mark = child.start_mark
                items[index] = (child_mark.line, child_mark.column)
                size += count
                if below >= depth:
                    depth = below + 1
            if items:
                lc.data = items
            built = sequence
        else:
            raise Unsupported
        if size > MAX_NODES:
            raise Unsupported
        result = (built, size, depth)
        if anchored:
            self.memo[id(node)] = result
        return result
