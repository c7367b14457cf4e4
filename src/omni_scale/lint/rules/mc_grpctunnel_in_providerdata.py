"""mc-grpctunnel-in-providerdata: `grpctunnel` belongs to spec.autoprovision, not providerdata.

Inside the providerdata string the provider ignores it, so the SideroLink gRPC tunnel setting
never applies. Omni's field is `spec.autoprovision.grpctunnel`, an integer: 0 unset,
1 enabled, 2 disabled.

Failing::

    autoprovision:
      providerid: proxmox
      providerdata: |
        cores: 2
        grpctunnel: 1

Passing::

    autoprovision:
      providerid: proxmox
      grpctunnel: 1
      providerdata: |
        cores: 2
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import is_proxmox_class, providerdata_mapping

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-grpctunnel-in-providerdata"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    if not is_proxmox_class(doc, ctx):
        return  # another provider's class: its own schema applies, not Proxmox's
    found = providerdata_mapping(doc)
    if found is None:
        return
    info, node = found
    for key in node:
        if str(key).lower().replace("_", "") == "grpctunnel":
            line, column = info.position((key,))
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f"'{key}' inside providerdata is ignored by the provider: the gRPC tunnel "
                "setting never applies",
                hint="move it to spec.autoprovision as 'grpctunnel: 1' (enabled) or 2 "
                "(disabled); 0 = unset",
                line=line,
                column=column,
            )
