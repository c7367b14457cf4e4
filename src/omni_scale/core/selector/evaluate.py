"""CEL storage selectors, exactly as the Proxmox provider compiles and evaluates them.

The provider (`provision.go` `pickStorage`) builds a cel-go v0.27 environment with four
variables, `name`, `node`, `storageType` (string) and `availableSpace` (uint), standard library
only, and compiles the selector with Talos' `ParseBooleanExpression` (parse, check, output type
must be exactly bool). It then evaluates it per storage in the API's order: the first `true`
wins and the first evaluation error aborts the pick. Sources:
siderolabs/omni-infra-provider-proxmox `internal/pkg/provider/provision.go` and Talos
`pkg/machinery/cel`; the user-facing account is docs/selectors.md.

Here cel-expr-python (cel-cpp) does the parsing, checking and evaluation; the error text is
normalised to cel-go's (`selector_errors`), and hints are added (`selector_hints`).

Positions: `SelectorProblem.line`/`column` are 1-based and count code points within the
expression, i.e. exactly the `L:C` cel-go prints in `ERROR: <input>:L:C:` (cel-go stores a
0-based column and prints it plus one). The one exception: for an empty selector cel-go prints
`1:0`; the message keeps that text and `column` is 1.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from cel_expr_python import cel

from omni_scale.core.selector.errors import (
    Located,
    cel_go_fixups,
    display,
    go_quote,
    go_runtime_error,
    go_type_name,
    parse_compile_error,
)
from omni_scale.core.selector.hints import hint_for
from omni_scale.core.selector.lexer import collapse_redundant_parens, deepest_bracket, tokenize
from omni_scale.errors import InputError
from omni_scale.record import Record

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~1x a bare start
if TYPE_CHECKING:
    from typing import Any

VARIABLES = ("name", "node", "storageType", "availableSpace")
UINT64_MAX = 2**64 - 1
CEL_GO_MAX_DEPTH = 250  # cel-go parser's default maxRecursionDepth
CEL_GO_MAX_CODE_POINTS = 100_000  # cel-go parser's default expressionSizeCodePointLimit
_RECURSION_MARKERS = ("recursion limit exceeded", "max recursion depth")


# Records, not dataclasses: `selector check EXPR` loads this module and nothing that imports
# dataclasses (omni_scale.record says why)


class SelectorProblem(Record):
    """Why a selector does not compile, in cel-go's words, plus our fix hint."""

    __slots__ = ("column", "hint", "line", "message", "summary")
    message: str  # the full cel-go text (several `ERROR:` blocks with snippets possible)
    summary: str  # the first error's message on one line
    line: int  # 1-based, within the expression
    column: int  # 1-based code-point column within the expression (cel-go's printed column)
    hint: str | None

    def __init__(self, message: str, summary: str, line: int, column: int, hint: str | None):
        self._init(message=message, summary=summary, line=line, column=column, hint=hint)


class SelectorCompileError(Exception):
    def __init__(self, problem: SelectorProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class Storage(Record):
    """One entry of `GET /nodes/{node}/storage`: `storage`, `type`, `avail` (bytes)."""

    __slots__ = ("avail", "name", "type")
    name: str
    type: str
    avail: int

    def __init__(self, name: str, type: str, avail: int) -> None:
        if not isinstance(name, str) or not isinstance(type, str):
            raise ValueError("storage name and type must be strings")
        if _surrogate_at(name) >= 0 or _surrogate_at(type) >= 0:
            raise ValueError("storage name and type must be valid Unicode (no lone surrogates)")
        if isinstance(avail, bool) or not isinstance(avail, int):
            raise ValueError(f"avail must be a whole number of bytes, got {avail!r}")
        if not 0 <= avail <= UINT64_MAX:
            raise ValueError(f"avail must be between 0 and 2^64-1 (uint64), got {avail}")
        self._init(name=name, type=type, avail=avail)


class StorageResult(Record):
    __slots__ = ("error", "name", "result")
    name: str
    result: bool | None  # None when the evaluation failed
    error: str | None  # cel-go's runtime error text

    def __init__(self, name: str, result: bool | None, error: str | None) -> None:
        self._init(name=name, result=result, error=error)


class Pick(Record):
    __slots__ = ("error", "matches", "results", "storage")
    storage: str | None  # what the provider picks (the first true before any error)
    results: tuple[StorageResult, ...]  # every storage, in the order given
    matches: tuple[str, ...]  # every storage that evaluates true (more than one: order decides)
    error: str | None  # the provider's failure text when storage is None

    def __init__(
        self,
        storage: str | None,
        results: tuple[StorageResult, ...],
        matches: tuple[str, ...],
        error: str | None,
    ) -> None:
        self._init(storage=storage, results=results, matches=matches, error=error)


class CompiledSelector:
    """A checked selector whose output type is bool."""

    def __init__(self, expr: str, program: Any) -> None:
        self.expr = expr
        self._program = program

    def evaluate(self, storage: Storage, node: str) -> StorageResult:
        """`EvalBool` for one storage: a bool, or cel-go's runtime error text."""
        try:
            value = self._program.eval(
                data={
                    "name": storage.name,
                    "node": node,
                    "storageType": storage.type,
                    "availableSpace": storage.avail,
                }
            )
        except RuntimeError as exc:  # cel-cpp's own limits (iteration budget), not cel-go's
            problem = _engine_limit(self.expr, str(exc))
            raise InputError(problem.summary, hint=problem.hint) from None
        if value.type() == cel.Type.ERROR:
            return StorageResult(storage.name, None, go_runtime_error(str(value.value())))
        return StorageResult(storage.name, value.value() is True, None)

    def __repr__(self) -> str:
        return f"CompiledSelector({self.expr!r})"


def compile_selector(expr: str) -> CompiledSelector:
    """Compile like the provider; raises SelectorCompileError. Cached per distinct text."""
    compiled = _compile(expr)
    if isinstance(compiled, SelectorProblem):
        raise SelectorCompileError(compiled)
    return compiled


def selector_problem(expr: str) -> SelectorProblem | None:
    """Why the provider would reject `expr`, or None when it compiles."""
    compiled = _compile(expr)
    return compiled if isinstance(compiled, SelectorProblem) else None


def pick_storage(expr: str, storages: Sequence[Storage], node: str) -> Pick:
    """The provider's `pickStorage` over `storages` in the given (API) order.

    Every storage is evaluated (for reporting); the pick itself follows the provider: the first
    true wins, and an evaluation error before any true aborts with that error.
    """
    selector = compile_selector(expr)
    results = tuple(selector.evaluate(storage, node) for storage in storages)
    matches = tuple(r.name for r in results if r.result is True)
    for result in results:
        if result.error is not None:
            return Pick(None, results, matches, result.error)
        if result.result:
            return Pick(result.name, results, matches, None)
    no_match = f"failed to pick the disk: no matches for the condition {go_quote(expr)}"
    return Pick(None, results, matches, no_match)


# --- compilation ------------------------------------------------------------------------------


@functools.cache
def _env() -> Any:
    return cel.NewEnv(
        variables={
            "name": cel.Type.STRING,
            "node": cel.Type.STRING,
            "storageType": cel.Type.STRING,
            "availableSpace": cel.Type.UINT,
        }
    )


@functools.lru_cache(maxsize=4096)
def _compile(expr: str) -> CompiledSelector | SelectorProblem:
    precheck = _precheck(expr)
    if precheck is not None:
        return precheck
    try:
        program = _env().compile(expr)
    except RuntimeError as exc:
        text = str(exc)
        if not any(marker in text for marker in _RECURSION_MARKERS):
            return _problem(expr, parse_compile_error(text))
        program, problem = _compile_flattened(expr)
        if problem is not None:
            return problem
    output = program.return_type()
    if output != cel.Type.BOOL:
        message = f"expression output type is {go_type_name(output.name())}, expected bool"
        return SelectorProblem(message, message, 1, 1, hint_for(expr, message, 1, 1))
    try:  # a trial run: lint then refuses what the plan could not evaluate
        program.eval(
            data={"name": "local", "node": "pve", "storageType": "dir", "availableSpace": 0}
        )
    except RuntimeError as exc:
        return _engine_limit(expr, str(exc))
    return CompiledSelector(expr, program)


def _engine_limit(expr: str, detail: str) -> SelectorProblem:
    """A selector past cel-expr-python's evaluation budget: we cannot replay what the provider's
    cel-go would do with it (cel-go sets no cost limit unless a program asks for one), so say
    so plainly instead of crashing."""
    reason = "iteration budget" if "budget" in detail.lower() else "evaluation limits"
    message = (
        f"selector exceeds the {reason} of omni-scale's CEL engine (cel-expr-python), so it "
        "cannot be checked here"
    )
    hint = "real selectors compare name, storageType and availableSpace; drop nested macros"
    return SelectorProblem(message, message, 1, 1, hint)


def _precheck(expr: str) -> SelectorProblem | None:
    """cel-go's size and nesting limits, checked before cel-cpp sees the text.

    cel-go reports both without a position (`ERROR: <input>:-1:0: ...`); `line`/`column` of the
    problem still point at the place, for editors and lint output.
    """
    bad = _surrogate_at(expr)
    if bad >= 0:
        line = expr.count("\n", 0, bad) + 1
        column = bad - (expr.rfind("\n", 0, bad) + 1) + 1
        summary = "selector is not valid UTF-8 text (it holds an undecodable byte)"
        fix = "retype the selector; it was likely pasted with a broken encoding"
        return SelectorProblem(summary, summary, line, column, fix)
    if len(expr) > CEL_GO_MAX_CODE_POINTS:
        summary = (
            f"expression code point size exceeds limit: size: {len(expr)}, "
            f"limit {CEL_GO_MAX_CODE_POINTS}"
        )
        message = display(Located(-1, -1, summary), expr)
        return SelectorProblem(message, summary, 1, 1, "a selector is one short condition")
    # cel-go counts nested `expr` rules: the whole selector is one, each bracket level adds one
    depth, where = deepest_bracket(tokenize(expr), limit=CEL_GO_MAX_DEPTH - 1)
    if depth + 1 > CEL_GO_MAX_DEPTH and where is not None:
        summary = f"expression recursion limit exceeded: {CEL_GO_MAX_DEPTH}"
        message = display(Located(-1, -1, summary), expr)
        hint = hint_for(expr, summary, where.line, where.column)
        return SelectorProblem(message, summary, where.line, where.column, hint)
    return None


def _surrogate_at(text: str) -> int:
    """Offset of the first lone surrogate (undecodable input byte), else -1."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return -1


def _compile_flattened(expr: str) -> tuple[Any, SelectorProblem | None]:
    """cel-cpp stops at 32 nesting levels where cel-go allows 250: drop redundant parentheses
    (positions are kept) and try again; if still too deep, say so plainly."""
    flat = collapse_redundant_parens(expr)
    text = ""
    if flat != expr:
        try:
            return _env().compile(flat), None
        except RuntimeError as exc:
            text = str(exc)
            if not any(marker in text for marker in _RECURSION_MARKERS):
                return None, _problem(expr, parse_compile_error(text))
    _, where = deepest_bracket(tokenize(flat))
    line, column = (where.line, where.column) if where is not None else (1, 1)
    message = (
        "selector is nested too deeply for omni-scale's CEL engine (cel-expr-python stops at "
        f"32 levels; the provider's cel-go allows {CEL_GO_MAX_DEPTH}), so it cannot be checked here"
    )
    hint = "remove redundant parentheses, or split long `+` chains and nested lists"
    return None, SelectorProblem(message, message, line, column, hint)


def _problem(expr: str, errors: list[Located]) -> SelectorProblem:
    errors = cel_go_fixups(errors, expr) or [Located(1, 0, "invalid selector")]
    first = errors[0]
    message = "\n".join(display(error, expr) for error in errors)
    line, column = max(first.line, 1), max(first.column0 + 1, 1)
    summary = " ".join(first.message.split())
    return SelectorProblem(message, summary, line, column, hint_for(expr, summary, line, column))
