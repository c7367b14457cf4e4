"""A small CEL tokenizer: enough to measure nesting, find identifiers and place hints.

It never decides validity (cel-expr-python does); it only has to agree with CEL on where
strings, comments and brackets are. Positions are 0-based code-point offsets, plus 1-based
line and column, the way cel-go counts them.
"""

from __future__ import annotations

import re

from omni_scale.record import Record

OPEN = {"(": ")", "[": "]", "{": "}"}
CLOSE = {v: k for k, v in OPEN.items()}

_IDENT = re.compile(r"[_a-zA-Z][_a-zA-Z0-9]*")
_NUMBER = re.compile(
    r"0[xX][0-9a-fA-F]+[uU]?|(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?[uU]?"
)
_STRING_PREFIX = re.compile(r"(?:[rR][bB]?|[bB][rR]?)?(?:'''|\"\"\"|'|\")")
_OPERATORS: tuple[str, ...] = ("==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "?", ":")
_OPERATORS += (".", ",", "+", "-", "*", "/", "%", "(", ")", "[", "]", "{", "}")


class Token(Record):
    __slots__ = ("column", "kind", "line", "start", "text")
    kind: str  # ident | number | string | badstring | op | other
    text: str
    start: int  # 0-based code-point offset into the expression
    line: int  # 1-based
    column: int  # 1-based code-point column

    def __init__(self, kind: str, text: str, start: int, line: int, column: int) -> None:
        self._init(kind=kind, text=text, start=start, line=line, column=column)


def tokenize(expr: str) -> list[Token]:
    """Tokens of `expr`, skipping whitespace and `//` comments. Never raises."""
    tokens: list[Token] = []
    line, line_start, i, n = 1, 0, 0, len(expr)

    def add(kind: str, end: int) -> None:
        tokens.append(Token(kind, expr[i:end], i, line, i - line_start + 1))

    while i < n:
        ch = expr[i]
        if ch == "\n":
            line, line_start, i = line + 1, i + 1, i + 1
            continue
        if ch in " \t\r\f":
            i += 1
            continue
        if expr.startswith("//", i):
            end = expr.find("\n", i)
            i = n if end < 0 else end
            continue
        prefix = _STRING_PREFIX.match(expr, i)
        if prefix:
            end = _string_end(expr, prefix.end(), prefix.group())
            kind = "string" if end > 0 else "badstring"
            if end < 0:
                stop = expr.find("\n", i)
                end = n if stop < 0 else stop
            add(kind, end)
            i = end
            continue
        ident = _IDENT.match(expr, i)
        if ident:
            add("ident", ident.end())
            i = ident.end()
            continue
        number = _NUMBER.match(expr, i)
        if number:
            add("number", number.end())
            i = number.end()
            continue
        for op in _OPERATORS:
            if expr.startswith(op, i):
                add("op", i + len(op))
                i += len(op)
                break
        else:
            add("other", i + 1)
            i += 1
    return tokens


def _string_end(expr: str, i: int, opener: str) -> int:
    """Offset just past the closing quote, or -1 when the string is not closed."""
    raw = opener[0] in "rR" or (len(opener) > 1 and opener[1] in "rR")
    quote = opener.lstrip("rRbB")
    n = len(expr)
    while i < n:
        if expr.startswith(quote, i):
            return i + len(quote)
        ch = expr[i]
        if ch == "\n" and len(quote) == 1:
            return -1
        i += 2 if ch == "\\" and not raw else 1
    return -1


def bracket_pairs(tokens: list[Token]) -> dict[int, int]:
    """Index of each opening bracket token -> index of its closing token (balanced ones only)."""
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for index, token in enumerate(tokens):
        if token.kind != "op":
            continue
        if token.text in OPEN:
            stack.append(index)
        elif token.text in CLOSE:
            while stack and tokens[stack[-1]].text != CLOSE[token.text]:
                stack.pop()
            if stack:
                pairs[stack.pop()] = index
    return pairs


def deepest_bracket(tokens: list[Token], limit: int | None = None) -> tuple[int, Token | None]:
    """The maximum bracket nesting depth, and the opening token where it is first reached
    (or, with `limit`, the first opening token nested deeper than `limit`)."""
    depth = best = 0
    where: Token | None = None
    for token in tokens:
        if token.kind != "op":
            continue
        if token.text in OPEN:
            depth += 1
            if depth > best:
                best = depth
                if limit is None or (depth == limit + 1 and where is None):
                    where = token
        elif token.text in CLOSE and depth > 0:
            depth -= 1
    return best, where


def collapse_redundant_parens(expr: str) -> str:
    """`((x))` -> ` (x) `: drop parentheses that only wrap another parenthesised group.

    The removed characters become spaces, so every position (and so every error column) stays
    where it was. Used only to get past cel-expr-python's nesting limit of 32, which cel-go
    (limit 250) does not have.
    """
    tokens = tokenize(expr)
    pairs = bracket_pairs(tokens)
    removed: set[int] = set()

    def next_kept(index: int, step: int) -> int:
        index += step
        while index in removed:
            index += step
        return index

    for open_index, close_index in sorted(pairs.items()):
        if tokens[open_index].text != "(" or open_index in removed:
            continue
        while True:
            inner = next_kept(open_index, 1)
            if inner >= len(tokens) or tokens[inner].text != "(" or inner not in pairs:
                break
            inner_close = pairs[inner]
            if inner_close != next_kept(close_index, -1) or _has_top_level_comma(
                tokens, pairs, inner, inner_close
            ):
                break
            removed.update((inner, inner_close))
    if not removed:
        return expr
    chars = list(expr)
    for index in removed:
        chars[tokens[index].start] = " "
    return "".join(chars)


def _has_top_level_comma(tokens: list[Token], pairs: dict[int, int], start: int, end: int) -> bool:
    index = start + 1
    while index < end:
        token = tokens[index]
        if token.text == ",":
            return True
        index = pairs[index] + 1 if index in pairs else index + 1
    return False
