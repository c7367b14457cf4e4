"""Turn cel-expr-python's (cel-cpp's) error text into what cel-go v0.27 prints.

The provider is written in Go, so people see cel-go's wording in its logs. cel-expr-python
raises `RuntimeError("INVALID_ARGUMENT: ERROR: <input>:L:C: msg\\n | src\\n | ..^ [...]")`
for compile errors and returns ERROR values such as `OUT_OF_RANGE: unsigned integer overflow`
at run time. docs/selectors.md ("Accuracy and limits") lists where the two differ and what is
rewritten.
"""

from __future__ import annotations

import itertools
import re

from omni_scale.core.selector.lexer import Token, tokenize
from omni_scale.record import Record

MAX_SNIPPET_LENGTH = 16384  # cel-go common/error.go: longer source lines get no snippet

_WRAPPER = re.compile(r"^[A-Z_]+: (.*?)(?: \[[A-Z_]+\])?$", re.DOTALL)
_HEAD = re.compile(r"ERROR: <input>:(-?\d+):(-?\d+): (.*)", re.DOTALL)
_CODE_PREFIX = re.compile(r"^[A-Z][A-Z_]+: ")


class Located(Record):
    """One compile error: 1-based line, cel-go's 0-based column (-1: before the start)."""

    __slots__ = ("column0", "line", "message")
    line: int
    column0: int
    message: str

    def __init__(self, line: int, column0: int, message: str) -> None:
        self._init(line=line, column0=column0, message=message)


def parse_compile_error(text: str) -> list[Located]:
    """cel-expr-python's compile error -> the errors cel-go would report, sorted by position.

    Follow-up errors about `'*error*'` are dropped, as cel-go's checker never reports them.
    """
    match = _WRAPPER.match(text.strip())
    body = match.group(1) if match else text.strip()
    found: list[Located] = []
    for block in re.split(r"\n(?=ERROR: )", body):
        head = _HEAD.match(block)
        if head is None:
            if block.strip():
                found.append(Located(1, 0, block.strip()))
            continue
        line, column = int(head.group(1)), int(head.group(2)) - 1
        message = _strip_snippet(head.group(3))
        if "'*error*'" in message:
            continue
        found.append(Located(line, column, message))
    found.sort(key=lambda e: (e.line, e.column0))
    return found


def _strip_snippet(rest: str) -> str:
    """The message part of a block: drop the ` | src` and ` | ..^` lines cel-cpp appended."""
    lines = rest.split("\n")
    if len(lines) >= 3 and lines[-1].startswith(" | ") and lines[-2].startswith(" | "):
        lines = lines[:-2]
    return "\n".join(lines)


def _snippet(source: str, line: int) -> str | None:
    """cel-go Source.Snippet: the text of a 1-based line, None when there is no such line."""
    if not source or line < 1:
        return None
    lines = source.split("\n")
    return lines[line - 1] if line <= len(lines) else None


def display(error: Located, source: str) -> str:
    """cel-go `common.Error.ToDisplayString`: header, source line and caret line."""
    result = f"ERROR: <input>:{error.line}:{error.column0 + 1}: {error.message}"
    snippet = _snippet(source, error.line)
    if snippet is None or len(snippet.encode()) > MAX_SNIPPET_LENGTH:
        return result
    snippet = snippet.replace("\t", " ")
    dots = "".join("\uff0e" if ord(ch) > 0x7F else "." for ch in snippet[: max(error.column0, 0)])
    at = snippet[error.column0] if 0 <= error.column0 < len(snippet) else ""
    caret = "\uff3e" if at and ord(at) > 0x7F else "^"
    return f"{result}\n | {snippet}\n | {dots}{caret}"


# --- type names -------------------------------------------------------------------------------

_TYPE_NAMES = {
    "NULL": "null_type",
    "DURATION": "google.protobuf.Duration",
    "TIMESTAMP": "google.protobuf.Timestamp",
    "DYN": "dyn",
}
_GENERIC = {"LIST": "list", "MAP": "map", "TYPE": "type"}


def go_type_name(name: str) -> str:
    """cel-expr-python `Type.name()` (`LIST<STRING>`) -> cel-go's type string (`list(string)`)."""
    name = name.strip()
    head, sep, rest = name.partition("<")
    if not sep or not rest.endswith(">"):
        return _TYPE_NAMES.get(name, name.lower() if name.isupper() else name)
    args = [go_type_name(arg) for arg in _split_args(rest[:-1])]
    return f"{_GENERIC.get(head, head.lower())}({', '.join(args)})"


def _split_args(text: str) -> list[str]:
    args, depth, start = [], 0, 0
    for index, ch in enumerate(text):
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(text[start:index])
            start = index + 1
    args.append(text[start:])
    return args


# --- runtime errors ---------------------------------------------------------------------------

_RUNTIME = {
    "divide by zero": "division by zero",
    "modulus by zero": "modulus by zero",
    "unsigned integer overflow": "unsigned integer overflow",
    "integer overflow": "integer overflow",
    "int64 out of uint64 range": "unsigned integer overflow",
    "double out of uint64 range": "unsigned integer overflow",
    "uint64 out of int64 range": "integer overflow",
    "double out of int64 range": "integer overflow",
}

# RE2's error codes (cel-cpp) -> Go regexp/syntax's (cel-go).
_REGEXP_CODES = {
    "missing ]": "missing closing ]",
    "missing )": "missing closing )",
    "unexpected )": "unexpected )",
    "bad repetition operator": "invalid nested repetition operator",
    "no argument for repetition operator": "missing argument to repetition operator",
    "invalid repetition size": "invalid repeat count",
    "invalid escape sequence": "invalid escape sequence",
    "invalid character class": "invalid character class",
    "invalid character class range": "invalid character class range",
    "invalid named capture group": "invalid named capture",
    "invalid perl operator": "invalid or unsupported Perl syntax",
    "invalid UTF-8": "invalid UTF-8",
    "trailing \\": "trailing backslash at end of expression",
}
_REGEXP = re.compile(r"invalid regular expression: (.*?)(?:: (.*))?$", re.DOTALL)
_MAP_KEY = re.compile(r'Key not found in map ?: ?"?(.*?)"?$')
_INDEX = re.compile(r"Index error: index=(-?\d+) size=(\d+)")


def go_runtime_error(text: str) -> str:
    """cel-expr-python's ERROR value text -> cel-go's runtime error text (same outcome)."""
    message = _CODE_PREFIX.sub("", text.strip(), count=1)
    if message in _RUNTIME:
        return _RUNTIME[message]
    regexp = _REGEXP.match(message)
    if regexp:
        code, arg = regexp.group(1), regexp.group(2) or ""
        if code == "trailing \\":
            arg = ""
        return f"error parsing regexp: {_REGEXP_CODES.get(code, code)}: `{arg}`"
    key = _MAP_KEY.match(message)
    if key:
        return f"no such key: {key.group(1)}"
    index = _INDEX.match(message)
    if index:
        return f"index '{index.group(1)}' out of range in list size '{index.group(2)}'"
    return message


# --- Go's %q ----------------------------------------------------------------------------------

_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_GO_ESCAPES |= {"\v": "\\v", "\\": "\\\\", '"': '\\"'}


def go_quote(text: str) -> str:
    """Go's `strconv.Quote` (what `%q` prints): printable runes kept, others escaped."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif ch == " " or (ch.isprintable() and not 0xD800 <= code <= 0xDFFF):
            out.append(ch)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


# --- compile errors cel-cpp words or places differently ---------------------------------------

_OVERLOAD = re.compile(r"found no matching overload for '([^']+)' applied to '\((.*)\)'$")


def cel_go_fixups(errors: list[Located], source: str) -> list[Located]:
    """Reword or re-place the compile errors where cel-cpp and cel-go differ.

    Sources: google/cel-go (the provider's evaluator) and google/cel-cpp (cel-expr-python)."""
    tokens = tokenize(source)
    fixed: list[Located] = []
    for error in errors:
        fixed.extend(_fixup(error, source, tokens))
    fixed.sort(key=lambda e: (e.line, e.column0))
    return fixed


def _fixup(error: Located, source: str, tokens: list[Token]) -> list[Located]:
    message = error.message
    if source == "" and error.line == 1:  # cel-go places EOF of an empty input at column -1
        return [Located(1, -1, message)]
    if message == "unsupported syntax '.?'":
        for a, b in itertools.pairwise(tokens):
            if a.text == "." and b.text == "?" and b.start == a.start + 1:
                return [Located(a.line, a.column - 1, message)]
    if message == "has() argument must be a field selection":
        return [Located(error.line, error.column0, "invalid argument to has() macro")]
    overload = _OVERLOAD.match(message)
    if overload is None:
        return [error]
    function, args = overload.group(1), _split_args(overload.group(2))
    args = [a.strip() for a in args]
    args = ["null" if a == "null_type" else a for a in args]
    at = _token_at(tokens, error)
    if function in ("_&&_", "_||_") and at is not None and len(args) == 2:
        operands = _logical_operands(tokens, at)
        wrong = [(side, typ) for side, typ in enumerate(args) if typ not in ("bool", "dyn")]
        if wrong and all(operands[side] is not None for side, _ in wrong):
            return [
                Located(tok.line, tok.column - 1, f"expected type 'bool' but found '{typ}'")
                for side, typ in wrong
                if (tok := operands[side]) is not None
            ]
    receiver = at is not None and _is_member_call(tokens, at, function)
    shown = f"{args[0]}.({', '.join(args[1:])})" if receiver and args else f"({', '.join(args)})"
    return [Located(error.line, error.column0, f"{message[: overload.start(2) - 1]}{shown}'")]


def _token_at(tokens: list[Token], error: Located) -> int | None:
    for index, token in enumerate(tokens):
        if token.line == error.line and token.column - 1 == error.column0:
            return index
    return None


def _is_member_call(tokens: list[Token], at: int, function: str) -> bool:
    """`recv.fn(args)`: cel-cpp places the error at the `(`; cel-go prints `'recv.(args)'`."""
    return (
        tokens[at].text == "("
        and at >= 2
        and tokens[at - 1].text == function
        and tokens[at - 2].text == "."
    )


_STOPS = {"&&", "||", "?", ":", ","}


def _logical_operands(tokens: list[Token], at: int) -> list[Token | None]:
    """The operands of the `&&`/`||` at index `at`, each only when it is one token (else None).

    cel-go reports a non-bool operand at the operand's own position; for a one-token operand
    (a variable or a literal) that is its first character.
    """
    if tokens[at].text not in ("&&", "||"):
        return [None, None]
    left, right = at - 1, at + 1
    left_ok = left >= 0 and (left == 0 or _is_boundary(tokens[left - 1], opening=True))
    right_ok = right < len(tokens) and (
        right + 1 == len(tokens) or _is_boundary(tokens[right + 1], opening=False)
    )
    simple = ("ident", "number", "string")
    return [
        tokens[left] if left_ok and tokens[left].kind in simple else None,
        tokens[right] if right_ok and tokens[right].kind in simple else None,
    ]


def _is_boundary(token: Token, *, opening: bool) -> bool:
    return token.text in _STOPS or token.text == ("(" if opening else ")")
