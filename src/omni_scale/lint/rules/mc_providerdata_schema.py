"""mc-providerdata-schema: providerdata must pass the provider's published JSON schema.

Omni checks providerdata against the schema the provider publishes and rejects the class with
one line per problem, e.g. `config value ".storage_selector": is required`,
`config value ".memory": must be at least 2048`, `config value ".disk_cache": must be one of
'none', 'writethrough', ...`, `config value ".cores": must be of type integer, but got string`.
Required: cores (>= 1), memory (>= 2048 MiB), disk_size (>= 5 GiB), storage_selector.

Failing::

    providerdata: |
      cores: "2"
      memory: 1024
      disk_size: 40

Passing::

    providerdata: |
      cores: 2
      sockets: 1
      memory: 4096
      disk_size: 40
      storage_selector: name == "local-lvm"
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.core.machineclass.providerdata import issue_hint, plain
from omni_scale.core.machineclass.providerdata_schema import schema_issues
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import is_proxmox_class, providerdata_info

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-providerdata-schema"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    if not is_proxmox_class(doc, ctx):
        return  # another provider's class: its own schema applies, not Proxmox's
    info = providerdata_info(doc)
    if info is None or info.error is not None:
        return
    node = info.node
    if node is not None and not isinstance(node, Mapping):
        return  # mc-providerdata-format
    for issue in schema_issues(plain(node)):
        line, column = info.position(issue.path)
        yield make_problem(
            ID, SEVERITY, doc, issue.message, hint=issue_hint(issue), line=line, column=column
        )
