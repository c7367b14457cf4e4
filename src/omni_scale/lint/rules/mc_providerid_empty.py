"""mc-providerid-empty: `providerID can not be empty`

An autoprovision class needs `providerid`.

Omni rejects it with `providerID can not be empty`. The id is the provider's `--id`
(default `proxmox`).

Failing::

    spec:
      autoprovision:
        providerdata: "..."

Passing::

    spec:
      autoprovision:
        providerid: proxmox
        providerdata: "..."
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import autoprovision_of, spec_of

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-providerid-empty"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    auto = autoprovision_of(doc)
    if auto is None:  # unset (mc-allocation) or not a mapping (mc-spec-values)
        return
    spec = spec_of(doc)
    value = auto.get("providerid")
    if value is None or str(value).strip() == "":
        node, key = (auto, "providerid") if "providerid" in auto else (spec, "autoprovision")
        ids = " or ".join(sorted(ctx.provider_ids))
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            "providerID can not be empty",
            hint=f"add 'providerid: {ids}' (the provider's --id)",
            node=node,
            key=key,
        )
