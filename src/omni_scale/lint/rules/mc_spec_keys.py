"""mc-spec-keys: spec keys are lowercased Go names; other keys are silently dropped.

omnictl decodes `spec` without strict checks, so `autoProvision`, `providerId`,
`providerData` or `matchLabels` vanish without an error, and the class then misses what they
held. Valid keys: `matchlabels`, `autoprovision`; under autoprovision: `providerid`,
`providerdata`, `kernelargs`, `metavalues`, `grpctunnel`.

Failing::

    spec:
      autoProvision:
        providerId: proxmox
        providerdata: "..."

Passing::

    spec:
      autoprovision:
        providerid: proxmox
        providerdata: "..."
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from omni_scale.core.machineclass.model import AUTOPROVISION_KEYS, SPEC_KEYS
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import mapping, spec_of

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-spec-keys"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})
PROVIDERDATA_KEYS_HERE = ("cores", "memory", "disk_size", "storage_selector", "sockets")


def _check_keys(
    doc: Document, node: Mapping[str, Any], valid: tuple[str, ...], where: str
) -> Iterator[Problem]:
    for key in node:
        name = str(key)
        if name in valid:
            continue
        lowered = name.replace("_", "").replace("-", "").lower()
        if lowered in valid:
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f"'{where}.{name}' is silently dropped by omnictl: spec keys are all lowercase",
                hint=f"rename it to '{lowered}'",
                node=node,
                key=key,
            )
            continue
        close = difflib.get_close_matches(lowered, valid, n=1, cutoff=0.75)
        if name in PROVIDERDATA_KEYS_HERE:
            hint = "move it into the providerdata string under spec.autoprovision"
        elif close:
            hint = f"did you mean '{close[0]}'?"
        else:
            hint = f"valid keys here: {', '.join(valid)}"
        yield make_problem(
            ID,
            Severity.ERROR if close or name in PROVIDERDATA_KEYS_HERE else Severity.WARNING,
            doc,
            f"'{where}.{name}' is not a MachineClass field: omnictl silently drops it",
            hint=hint,
            node=node,
            key=key,
        )


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    spec = spec_of(doc)
    if spec is None:
        return
    yield from _check_keys(doc, spec, SPEC_KEYS, "spec")
    auto = mapping(spec.get("autoprovision"))
    if auto is not None:
        yield from _check_keys(doc, auto, AUTOPROVISION_KEYS, "spec.autoprovision")
