"""Omni's label-selector parser, as a MachineClass's `matchlabels` go through it (pure).

A port of siderolabs/omni v1.10.4 `client/pkg/cosi/labels` (`lexer.go`, `parser.go`): Omni
validates a class with `labels.ParseSelectors(spec.matchlabels)` and refuses it with
`failed to parse matchLabels: rpc error: code = InvalidArgument desc = <parser error>`. Matching
the real parser's grammar and wording matters more here than a general selector library: its
quirks decide what Omni accepts (an operator makes whitespace part of the value; `in (a,,b)`
holds an empty value; a quoted string is one identifier). Terms in one string are ANDed, strings
ORed.
"""

from __future__ import annotations

from dataclasses import dataclass

NO_MANUAL_ALLOCATION = "omni.sidero.dev/no-manual-allocation"

# lexer tokens, in Go's iota order
ERROR, EOS, CLOSE, COMMA, IDENT, OPEN = range(6)
NOT_EXISTS, DOUBLE_EQ, EQ, GT, GTE, IN, LT, LTE, NEQ, NOT_IN = range(6, 16)
_TOKENS = {
    ")": CLOSE,
    "(": OPEN,
    ",": COMMA,
    "!": NOT_EXISTS,
    "!=": NEQ,
    "==": DOUBLE_EQ,
    "=": EQ,
    ">": GT,
    ">=": GTE,
    "<": LT,
    "<=": LTE,
    "notin": NOT_IN,
    "in": IN,
}
_NAMES = {v: k for k, v in _TOKENS.items()}
_SPECIAL = frozenset("=!(),><")
_WHITESPACE = frozenset(" \t\r\n")
_ALLOWED_OPS = (DOUBLE_EQ, EQ, NEQ, GTE, GT, IN, NOT_IN, LTE, LT)


class SelectorError(ValueError):
    """The parser's error text (without Omni's wrapping)."""


@dataclass(frozen=True)
class Term:
    key: str
    op: str  # "exists" | "equal" | "in" | "lt" | "lte"
    values: tuple[str, ...]
    invert: bool


class _Lexer:
    def __init__(self, text: str) -> None:
        self.s = text
        self.pos = 0
        self.has_operator = False
        self.parsing_list = False

    def read(self) -> str:
        if self.pos >= len(self.s):
            return ""
        ch = self.s[self.pos]
        self.pos += 1
        return ch

    def scan_id_or_keyword(self) -> tuple[int, str]:
        buffer: list[str] = []
        while True:
            ch = self.read()
            if ch == "":
                break
            if ch in _SPECIAL or (ch in _WHITESPACE and not self.has_operator):
                self.pos -= 1
                break
            buffer.append(ch)
        text = "".join(buffer)
        return _TOKENS.get(text, IDENT), text

    def scan_special(self) -> tuple[int, str]:
        buffer = ""
        token, literal = 0, ""
        while True:
            ch = self.read()
            if ch == "":
                break
            if ch in _SPECIAL:
                buffer += ch
                if buffer in _TOKENS:
                    token, literal = _TOKENS[buffer], buffer
                elif token != 0:
                    self.pos -= 1
                    break
            else:
                self.pos -= 1
                break
        if token == 0:
            return ERROR, f"error expected: keyword found '{buffer}'"
        return token, literal

    def scan_quoted(self) -> tuple[int, str]:
        buffer: list[str] = []
        while True:
            ch = self.read()
            if ch == "":
                return ERROR, "unterminated quoted string"
            if ch == '"':
                return IDENT, "".join(buffer)
            if ch == "\\":
                ch = self.read()
                if ch == "":
                    return ERROR, "unterminated escape sequence in quoted string"
            buffer.append(ch)

    def lex(self) -> tuple[int, str]:
        ch = self.read()
        while ch in _WHITESPACE and ch != "":
            ch = self.read()
        if ch == "":
            return EOS, ""
        if ch == '"':
            return self.scan_quoted()
        self.pos -= 1
        token, literal = self.scan_special() if ch in _SPECIAL else self.scan_id_or_keyword()
        if token >= NOT_EXISTS:
            self.has_operator = True
        elif token == OPEN:
            self.parsing_list = True
        elif token == CLOSE:
            self.parsing_list = False
        elif token == COMMA and not self.parsing_list:
            self.has_operator = False
        return token, literal


class _Parser:
    def __init__(self, text: str) -> None:
        self.lexer = _Lexer(text)
        self.current: tuple[int, str] | None = None

    def lookahead(self, values: bool = True) -> tuple[int, str]:
        if self.current is None:
            self.current = self.lexer.lex()
        token, literal = self.current
        if values and token in (IN, NOT_IN):
            token = IDENT
        return token, literal

    def consume(self, values: bool = True) -> tuple[int, str]:
        found = self.lookahead(values)
        self.current = None
        return found

    def parse(self) -> list[Term]:
        terms: list[Term] = []
        while True:
            token, literal = self.lookahead()
            if token in (IDENT, NOT_EXISTS):
                try:
                    terms.append(self.term())
                except SelectorError as exc:
                    raise SelectorError(f"unable to parse term: {exc}") from None
                token, literal = self.consume()
                if token == EOS:
                    return terms
                if token == COMMA:
                    after, after_literal = self.lookahead()
                    if after not in (IDENT, NOT_EXISTS):
                        raise SelectorError(
                            f"found '{after_literal}', expected: identifier after ','"
                        )
                else:
                    raise SelectorError(f"found '{literal}', expected: ',' or 'end of string'")
            elif token == EOS:
                return terms
            else:
                raise SelectorError(
                    f"found '{literal}', expected: !, identifier, or 'end of string'"
                )

    def term(self) -> Term:
        token, key = self.consume()
        invert = token == NOT_EXISTS
        if invert:
            token, key = self.consume()
        if token != IDENT:
            raise SelectorError(f"found '{key}', expected: identifier")
        if self.lookahead()[0] in (EOS, COMMA):
            return Term(key, "exists", (), invert)
        if invert:
            raise SelectorError(f"expected EOF or ',', found {_NAMES.get(token, '')}")
        token, literal = self.consume(values=False)
        ops = {
            NOT_IN: ("in", True),
            IN: ("in", False),
            NEQ: ("equal", True),
            EQ: ("equal", False),
            DOUBLE_EQ: ("equal", False),
            GTE: ("lt", True),
            LT: ("lt", False),
            GT: ("lte", True),
            LTE: ("lte", False),
        }
        if token not in ops:
            allowed = ", ".join(_NAMES[t] for t in _ALLOWED_OPS)
            raise SelectorError(f"found '{literal}', expected: {allowed}")
        op, invert = ops[token]
        values = self.values() if op == "in" else self.exact_value()
        return Term(key, op, values, invert)

    def values(self) -> tuple[str, ...]:
        token, literal = self.consume()
        if token != OPEN:
            raise SelectorError(f"found '{literal}' expected: '('")
        token, literal = self.lookahead()
        if token in (IDENT, COMMA):
            found = self.identifiers()
            if self.consume()[0] != CLOSE:
                raise SelectorError(f"found '{literal}', expected: ')'")
            return tuple(sorted(found))
        if token == CLOSE:
            self.consume()
            return ("",)
        raise SelectorError(f"found '{literal}', expected: ',', ')' or identifier")

    def identifiers(self) -> set[str]:
        found: set[str] = set()
        while True:
            token, literal = self.consume()
            if token == IDENT:
                found.add(literal)
                after, after_literal = self.lookahead()
                if after == COMMA:
                    continue
                if after == CLOSE:
                    return found
                raise SelectorError(f"found '{after_literal}', expected: ',' or ')'")
            if token == COMMA:
                if not found:
                    found.add("")
                after = self.lookahead()[0]
                if after == CLOSE:
                    found.add("")
                    return found
                if after == COMMA:
                    self.consume()
                    found.add("")
            else:
                raise SelectorError(f"found '{literal}', expected: ',', or identifier")

    def exact_value(self) -> tuple[str, ...]:
        if self.lookahead()[0] in (EOS, COMMA):
            return ("",)
        token, literal = self.consume()
        if token == IDENT:
            return (literal,)
        raise SelectorError(f"found '{literal}', expected: identifier")


def parse_query(selector: str) -> list[Term]:
    """The terms of one selector string; SelectorError with the parser's text."""
    return _Parser(selector).parse()


def omni_error(error: SelectorError) -> str:
    """The error as Omni prints it for a MachineClass."""
    return f"failed to parse matchLabels: rpc error: code = InvalidArgument desc = {error}"
