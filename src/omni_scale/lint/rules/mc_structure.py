"""mc-structure: top level other than exactly `metadata` + `spec` (`expected 4 elements node, got
N`, `unexpected key`)

A MachineClass document is exactly the mappings `metadata` and `spec`.

omnictl decodes the top level strictly: any other key, or a missing one, fails with
`expected 4 elements node, got N`, `unexpected key ...` or `metadata or spec node is missing`,
and a `spec` that is not a mapping with `failed to unmarshal spec`.

Failing::

    metadata:
      namespace: default
      type: MachineClasses.omni.sidero.dev
      id: worker
    spec:
      autoprovision: {providerid: proxmox, providerdata: "cores: 2"}
    status: {}

Passing::

    metadata:
      namespace: default
      type: MachineClasses.omni.sidero.dev
      id: worker
    spec:
      autoprovision: {providerid: proxmox, providerdata: "cores: 2"}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-structure"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    data = doc.data
    keys = [str(k) for k in data]
    extra = [k for k in keys if k not in ("metadata", "spec")]
    if len(keys) != 2:
        where = extra[0] if extra else None
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f"omnictl apply fails with 'expected 4 elements node, got {2 * len(keys)}': the top "
            f"level must be exactly 'metadata' and 'spec'"
            + (f" (found {', '.join(extra)})" if extra else ""),
            hint="remove the other top-level keys"
            if extra
            else "add the missing 'metadata' or 'spec' mapping",
            node=data,
            key=where,
        )
    elif extra:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f"omnictl apply fails with 'unexpected key {extra[0]}': the top level must be "
            "exactly 'metadata' and 'spec'",
            hint="rename it to 'metadata' or 'spec'",
            node=data,
            key=extra[0],
        )
    for key in ("metadata", "spec"):
        if key in data and not isinstance(data[key], Mapping):
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f"'{key}' must be a mapping (omnictl: failed to unmarshal {key})",
                hint=f"indent the {key} fields under '{key}:'",
                node=data,
                key=key,
            )
