"""Fix hints for the classic storage-selector mistakes (google/cel-go and google/cel-cpp).

cel-go says what is wrong; these say what to write instead. Each hint is chosen from the
(normalised, cel-go) error message plus the selector's tokens, never from guesses about intent
that the message does not support.
"""

from __future__ import annotations

import itertools
import re

from omni_scale.core.selector.lexer import Token, tokenize

VARIABLES = ("name", "node", "storageType", "availableSpace")
FOUR = "`name`, `node`, `storageType` and `availableSpace`"
ONE_AT_A_TIME = (
    f"the selector sees one storage at a time; its only variables are {FOUR} "
    '(e.g. `storageType == "rbd"`)'
)
UINT = (
    "`availableSpace` is uint: write `100u` or `uint(100)` (or compare `int(availableSpace) > 100`)"
)
SIZE_INT = "`size()` returns int: drop the `u` (e.g. `size(name) > 3`)"
NO_EXTENSIONS = (
    "the provider's CEL has no string extensions (lowerAscii, upperAscii, replace, split, ...): "
    'use `startsWith`, `endsWith`, `contains` or `matches` (e.g. `name.matches("(?i)^local")`)'
)
REQUIRED = '`storage_selector` is required: e.g. `name == "local-lvm"`'

# Names people reach for, from the Proxmox storage API or other tools.
_ALIASES = {
    "storage": "name",
    "id": "name",
    "storage_name": "name",
    "storagename": "name",
    "nodename": "node",
    "node_name": "node",
    "storage_type": "storageType",
    "storagetype": "storageType",
    "stype": "storageType",
    "avail": "availableSpace",
    "available": "availableSpace",
    "available_space": "availableSpace",
    "availablespace": "availableSpace",
    "free": "availableSpace",
    "space": "availableSpace",
}
_NOT_AVAILABLE = {"content", "enabled", "active", "shared", "total", "used", "used_fraction"}
_STRING_EXTENSIONS = {
    "lowerAscii",
    "upperAscii",
    "lower",
    "upper",
    "replace",
    "split",
    "join",
    "trim",
    "format",
    "charAt",
    "indexOf",
    "lastIndexOf",
    "substring",
    "quote",
    "reverse",
    "strings",
    "optional",
}
_STANDARD_FUNCTIONS = {
    "contains": 'name.contains("lvm")',
    "startsWith": 'name.startsWith("local")',
    "endsWith": 'name.endsWith("-lvm")',
    "matches": 'name.matches("^local")',
    "size": "size(name) > 3",
}
_UNITS = re.compile(r"extraneous input '([KMGTP]i?B?|[kmgtp]i?b?)' expecting")
_OVERLOAD = re.compile(r"found no matching overload for '([^']+)' applied to '(.*)'")
_UNDECLARED = re.compile(r"undeclared reference to '([^']+)'")
_OUTPUT = re.compile(r"expression output type is (.+), expected bool$")
_COMPARISONS = {"_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_"}


def hint_for(expr: str, message: str, line: int, column: int) -> str | None:
    """A fix hint for the first error `message` at 1-based `line`/`column`, or None."""
    tokens = tokenize(expr)
    if not tokens:  # empty, blank or only comments
        return REQUIRED
    names = {t.text for t in tokens if t.kind == "ident"}
    for check in (_output, _syntax, _undeclared, _overload, _other):
        hint = check(expr, message, tokens, names, line, column)
        if hint:
            return hint
    return None


def _output(
    expr: str, message: str, tokens: list[Token], names: set[str], line: int, column: int
) -> str | None:
    output = _OUTPUT.match(message)
    if output is None:
        return None
    kind = output.group(1)
    if kind == "string":
        literal = next((t.text for t in tokens if t.kind == "string"), None)
        value = literal if literal and len(tokens) == 1 else '"local-lvm"'
        return f"a selector must be true or false: compare, e.g. `name == {value}`"
    if kind == "uint":
        return "a selector must be true or false: compare, e.g. `availableSpace > 107374182400u`"
    return (
        "a selector must be true or false: use a comparison, `in`, `startsWith`, `matches`, "
        "combined with `&&` / `||`"
    )


def _syntax(
    expr: str, message: str, tokens: list[Token], names: set[str], line: int, column: int
) -> str | None:
    if "Syntax error" not in message:
        return None
    if "token recognition error at: '= '" in message or "token recognition error at: '='" in (
        message
    ):
        return "use `==` to compare (`=` is not a CEL operator)"
    if "token recognition error at: '=~'" in message:
        return 'use `name.matches("regex")` (CEL has no `=~`)'
    if any(t.kind == "badstring" for t in tokens):
        return "close the quote: strings are `\"...\"` or `'...'` on one line"
    word = re.search(r"(?:mismatched|extraneous) input '([^']*)'", message)
    if word and word.group(1).lower() in ("and", "or", "not"):
        return "use `&&` and `||` (and `!` for not); `and`/`or` are not CEL operators"
    units = _UNITS.search(message)
    if units:
        return (
            "CEL has no size units: write bytes as a uint, e.g. 100 GiB is "
            "`107374182400u` or `100u * 1024u * 1024u * 1024u`"
        )
    if "token recognition error at: ';'" in message:
        return "drop the `;`: a selector is a single expression"
    return None


def _undeclared(
    expr: str, message: str, tokens: list[Token], names: set[str], line: int, column: int
) -> str | None:
    undeclared = _UNDECLARED.search(message)
    if undeclared is None:
        return None
    ref = undeclared.group(1)
    head, _, field = ref.partition(".")
    if ref in _STRING_EXTENSIONS or head in _STRING_EXTENSIONS:
        return NO_EXTENSIONS
    if field in ("type", "storageType", "storage_type"):
        return f"did you mean `storageType`? {ONE_AT_A_TIME}"
    if field:
        return ONE_AT_A_TIME
    followed_by_dot = _followed_by(tokens, ref, ".")
    if ref in ("storages", "disks", "storage_list") or (ref == "storage" and followed_by_dot):
        return ONE_AT_A_TIME
    if ref in _ALIASES:
        return f"did you mean `{_ALIASES[ref]}`? the variables are {FOUR}"
    if ref in _NOT_AVAILABLE:
        return f"`{ref}` is not available to the selector: the variables are {FOUR}"
    if ref in _STANDARD_FUNCTIONS:
        return f"`{ref}()` exists, but not with these arguments: e.g. `{_STANDARD_FUNCTIONS[ref]}`"
    import difflib  # only for an unknown name: every other selector starts without it

    close = difflib.get_close_matches(ref, VARIABLES, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    if _preceded_by_comparison(tokens, ref):
        return f'quote text values: `"{ref}"`'
    return f"unknown name `{ref}`: the variables are {FOUR}"


def _overload(
    expr: str, message: str, tokens: list[Token], names: set[str], line: int, column: int
) -> str | None:
    overload = _OVERLOAD.search(message)
    if overload is None:
        return None
    function, args = overload.group(1), overload.group(2)
    types = re.findall(r"[a-z_.A-Z]+(?:\([^()]*\))?", args)
    if "type(type)" in types or ("type" in names and "type(" in args):
        return "did you mean `storageType`? (`type` is CEL's built-in type function)"
    numeric = {"int", "uint", "double"}
    if function in _COMPARISONS | {"_+_", "_-_", "_*_", "_/_", "_%_"} and (
        "uint" in types and numeric & (set(types) - {"uint"})
    ):
        uses_size = "size" in names
        if uses_size and "availableSpace" not in names:
            return SIZE_INT
        if uses_size:
            return f"{UINT}; {SIZE_INT}"
        return UINT
    if function in ("_==_", "_!=_") and "string" in types:
        other = [t for t in types if t != "string"]
        if other and other[0] in ("int", "uint", "double", "bool"):
            return 'quote the value: text is compared with text, e.g. `name == "1"`'
        if other and other[0] == "null":
            return 'the variables are never null: compare with a value, e.g. `name != ""`'
    if function in _STANDARD_FUNCTIONS:
        return f"check the arguments: e.g. `{_STANDARD_FUNCTIONS[function]}`"
    if function in ("_&&_", "_||_"):
        return "each side of `&&` / `||` must be true or false: compare, e.g. `availableSpace > 1u`"
    return None


def _other(
    expr: str, message: str, tokens: list[Token], names: set[str], line: int, column: int
) -> str | None:
    if "expected type 'bool' but found" in message:
        return "each side of `&&` / `||` must be true or false: compare, e.g. `availableSpace > 1u`"
    if "unsupported syntax '.?'" in message:
        return "optional field syntax is not enabled in the provider; the variables always exist"
    if "invalid uint literal" in message:
        return "too big for a uint (2^64 - 1 at most: 18446744073709551615u)"
    if "invalid argument to has() macro" in message:
        return "`has()` is for message fields; the four variables are always set"
    if "recursion limit" in message or "nested too deeply" in message:
        return "remove redundant parentheses, or split the condition"
    return None


def _followed_by(tokens: list[Token], ident: str, text: str) -> bool:
    return any(a.text == ident and b.text == text for a, b in itertools.pairwise(tokens))


def _preceded_by_comparison(tokens: list[Token], ident: str) -> bool:
    ops = {"==", "!=", "<", "<=", ">", ">=", "[", ","}
    return any(b.text == ident and a.text in ops for a, b in itertools.pairwise(tokens))
