"""mc-allocation: both `autoprovision` and `matchlabels`, or neither (Omni's messages).
`matchlabels: []` counts as unset

A class has either `autoprovision` or `matchlabels`, not both, not neither.

Omni rejects both (`can't set both auto provision and match labels at the same time`) and
neither (`machine class should either have auto provision or match labels set`). An empty
`matchlabels: []` next to autoprovision counts as unset (as `omnictl get -o yaml` prints it).

Failing::

    spec:
      matchlabels: ["omni.sidero.dev/arch = amd64"]
      autoprovision:
        providerid: proxmox
        providerdata: "..."

Passing::

    spec:
      matchlabels: []
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
from omni_scale.lint.rules._mc import spec_of

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-allocation"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    spec = spec_of(doc)
    if spec is None:
        if "spec" not in doc.data:
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                "spec is missing: machine class should either have auto provision or match "
                "labels set",
                hint="add 'spec: {autoprovision: {providerid: ..., providerdata: ...}}'",
            )
        return
    auto = spec.get("autoprovision")
    labels = spec.get("matchlabels")
    has_auto = auto is not None
    has_labels = labels not in (None, [], "")
    if has_auto and has_labels:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            "can't set both auto provision and match labels at the same time",
            hint="keep 'autoprovision' for Proxmox VMs and remove 'matchlabels' (or set it to [])",
            node=spec,
            key="matchlabels",
        )
    elif not has_auto and not has_labels:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            "machine class should either have auto provision or match labels set",
            hint="add 'autoprovision:' with providerid and providerdata under spec",
            node=doc.data,
            key="spec",
        )
