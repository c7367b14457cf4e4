"""mc-providerdata-format: providerdata is a YAML string holding a mapping.

Omni passes the string verbatim to the provider, which reads it with `yaml.Unmarshal`. Missing,
not valid YAML, or not a `key: value` mapping: the schema check or the provider fails.

Failing::

    spec:
      autoprovision:
        providerid: proxmox
        providerdata: |
          cores: 2
           memory: 4096

Passing::

    spec:
      autoprovision:
        providerid: proxmox
        providerdata: |
          cores: 2
          memory: 4096
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import autoprovision_of, is_proxmox_class, providerdata_info

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-providerdata-format"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})
EXAMPLE = (
    "providerdata: | then 'cores: 2', 'sockets: 1', 'memory: 4096', 'disk_size: 40', "
    "'storage_selector: name == \"local-lvm\"' on their own lines"
)


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    if not is_proxmox_class(doc, ctx):
        return  # another provider's class: its own schema applies, not Proxmox's
    auto = autoprovision_of(doc)
    if auto is None:
        return
    if auto.get("providerdata") is None:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            "spec.autoprovision has no providerdata: Omni's schema check then fails on the "
            "required keys (cores, memory, disk_size, storage_selector)",
            hint=f"add {EXAMPLE}",
            node=auto if "providerdata" in auto else doc.data.get("spec"),
            key="providerdata" if "providerdata" in auto else "autoprovision",
        )
        return
    info = providerdata_info(doc)
    if info is None:
        return  # not a string: mc-spec-values
    if info.error is not None:
        line, column = (info.error.line, info.error.column) if info.origin.exact else (None, None)
        if line is None:
            line, column = info.key_position()
        elif column is not None:
            column += info.origin.column - 1
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f"providerdata is not valid YAML: {info.error.message.removeprefix('invalid YAML: ')}",
            hint=info.error.hint or "fix the YAML inside providerdata",
            line=line,
            column=column,
        )
        return
    if info.node is None or (isinstance(info.node, str) and not info.node.strip()):
        return  # empty: the schema rule lists the required keys
    if not isinstance(info.node, Mapping):
        kind = "a list" if isinstance(info.node, list) else f"a {type(info.node).__name__}"
        line, column = info.position(())
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f"providerdata must be a YAML mapping of key: value, not {kind}",
            hint=f"write {EXAMPLE}",
            line=line,
            column=column,
        )
