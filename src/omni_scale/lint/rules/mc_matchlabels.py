"""mc-matchlabels: a manual class's `matchlabels` must parse, and not use Omni's reserved label.

Omni parses every string with its label-selector parser and refuses the class with
`failed to parse matchLabels: rpc error: code = InvalidArgument desc = <error>`; terms in one
string are ANDed (`,`), strings ORed. Operators: `=`, `==`, `!=`, `>`, `>=`, `<`, `<=`, `in (..)`,
`notin (..)`, `!key`, `key` (exists). A selector on `omni.sidero.dev/no-manual-allocation` is
refused: `selectors using label omni.sidero.dev/no-manual-allocation are not allowed`.

Failing::

    spec:
      matchlabels:
        - omni.sidero.dev/arch in amd64            # in needs a list: in (amd64)
        - "!omni.sidero.dev/no-manual-allocation"  # reserved label

Passing::

    spec:
      matchlabels:
        - omni.sidero.dev/arch in (amd64), omni.sidero.dev/cpus > 2
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.core.omni.labels import (
    NO_MANUAL_ALLOCATION,
    SelectorError,
    omni_error,
    parse_query,
)
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import spec_of

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-matchlabels"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})
HINT = (
    'write `key = value` terms joined by ", ", e.g. "omni.sidero.dev/arch = amd64, '
    'omni.sidero.dev/cpus > 2"; lists as `key in (a, b)`'
)


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    spec = spec_of(doc)
    labels = spec.get("matchlabels") if spec is not None else None
    if not isinstance(labels, list) or spec is None or spec.get("autoprovision") is not None:
        return  # not a manual class (mc-allocation, mc-spec-values say the rest)
    for index, selector in enumerate(labels):
        if not isinstance(selector, str):
            continue  # mc-spec-values
        try:
            terms = parse_query(selector)
        except SelectorError as exc:
            yield make_problem(
                ID, SEVERITY, doc, omni_error(exc), hint=HINT, node=labels, key=index
            )
            return  # Omni stops at the first selector that fails
        if any(term.key == NO_MANUAL_ALLOCATION for term in terms):
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f"selectors using label {NO_MANUAL_ALLOCATION} are not allowed",
                hint=f"remove the {NO_MANUAL_ALLOCATION} term: Omni sets that label itself on "
                "machines it must not hand out",
                node=labels,
                key=index,
            )
