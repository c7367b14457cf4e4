"""mc-providerid-mismatch: `providerid` must be the `--id` of a provider the project runs.

Omni sends the class's machine requests to the provider with exactly this id (case-sensitive:
`Proxmox` is not `proxmox`). With no such provider Omni rejects the class (`failed to get
provider`); with a stale one the requests go to the wrong place. The project's ids come from
docker/compose.yaml (`--id`, default `proxmox`), else the state file's provider_id.

A class for another infra provider (libvirt, Incus, ...; any id that is neither `proxmox` nor a
project id in another case nor a near-miss of one) is not an error: Omni checks its providerdata
against that provider's own schema, so omni-scale applies only Omni's generic checks to it and
says so in a warning.

Failing (compose runs `--id=matrix-cluster`)::

    autoprovision:
      providerid: proxmox

Passing::

    autoprovision:
      providerid: matrix-cluster
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.core.machineclass.model import is_dns_label
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import autoprovision_of

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-providerid-mismatch"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.MACHINE_CLASS})


def _source(ctx: LintContext) -> tuple[str, bool]:
    """Where the project's provider ids come from, and whether that is a real setting."""
    if ctx.providers:
        return "docker/compose.yaml", True
    if ctx.project is not None and ctx.project.state_file.is_file():
        return "the state file's provider_id", True
    return "the provider's default --id", False


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    auto = autoprovision_of(doc)
    if auto is None:
        return
    value = auto.get("providerid")
    if not isinstance(value, str) or not value.strip():
        return  # mc-providerid-empty / mc-spec-values
    ids = ctx.provider_ids
    if value not in ids:
        source, explicit = _source(ctx)
        same_but_case = [i for i in ids if i.lower() == value.lower()]
        known = ", ".join(sorted(ids))
        close = difflib.get_close_matches(value, sorted(ids), n=1, cutoff=0.8)
        if not ctx.is_proxmox_provider(value):
            yield make_problem(
                ID,
                Severity.WARNING,
                doc,
                f"providerid '{value}' is not one of the project's Proxmox providers ({known}, "
                f"from {source}): checked as another provider's class, with Omni's generic "
                "checks only; Omni validates its providerdata against that provider's own "
                "schema and refuses the class if that provider never connected "
                "(failed to get provider)",
                hint=f"keep it if '{value}' is another infra provider you run; for the Proxmox "
                f"provider write 'providerid: {sorted(ids)[0]}'",
                node=auto,
                key="providerid",
            )
            return
        if same_but_case:
            message = (
                f"providerid '{value}' differs only in case from the provider id "
                f"'{same_but_case[0]}' ({source}): ids are case-sensitive"
            )
            hint = f"write 'providerid: {same_but_case[0]}'"
        elif close and explicit:
            message = (
                f"providerid '{value}' is not the project's provider id ({known}, from "
                f"{source}): no provider serves this class"
            )
            hint = f"did you mean 'providerid: {close[0]}'?"
        else:
            message = (
                f"providerid '{value}' is not the project's provider id ({known}, from "
                f"{source}): no provider serves this class"
            )
            hint = f"write 'providerid: {sorted(ids)[0]}', or start a provider with --id={value}"
        yield make_problem(
            ID,
            Severity.ERROR if explicit or same_but_case else Severity.WARNING,
            doc,
            message,
            hint=hint,
            node=auto,
            key="providerid",
        )
    elif not is_dns_label(value):
        yield make_problem(
            ID,
            Severity.WARNING,
            doc,
            f"provider id '{value}' is not a lowercase DNS-1123 label: Omni >= v1.10.0 refuses "
            "to create such an infra provider",
            hint=f"on Omni >= v1.10 use a lowercase id such as '{value.lower()}' for both the "
            "provider's --id and providerid",
            node=auto,
            key="providerid",
        )
