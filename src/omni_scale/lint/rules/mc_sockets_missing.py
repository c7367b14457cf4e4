"""mc-sockets-missing: set `sockets`; without it the provider sends `sockets: 0` to Proxmox.

`sockets` is optional in the schema, but the provider has no default for it (code reading of
provision.go), so Proxmox receives 0 and applies its own default; set it to make the vCPU count
(cores x sockets) explicit.

Failing::

    providerdata: |
      cores: 2
      memory: 4096

Passing::

    providerdata: |
      cores: 2
      sockets: 1
      memory: 4096
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

ID = "mc-sockets-missing"
SEVERITY = Severity.WARNING
KINDS = frozenset({Kind.MACHINE_CLASS})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    if not is_proxmox_class(doc, ctx):
        return  # another provider's class: its own schema applies, not Proxmox's
    found = providerdata_mapping(doc)
    if found is None:
        return
    info, node = found
    if "sockets" in node:
        return
    anchor = ("cores",) if "cores" in node else ()
    line, column = info.position(anchor)
    yield make_problem(
        ID,
        SEVERITY,
        doc,
        "providerdata has no 'sockets': the provider then sends sockets=0 to Proxmox",
        hint="add 'sockets: 1' (vCPUs = cores x sockets)",
        line=line,
        column=column,
    )
