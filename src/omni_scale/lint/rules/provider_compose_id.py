"""provider-compose-id: the provider's `--id` must be the id its key was created for.

The provider registers as `--id` (default `proxmox` when the flag is missing) and Omni refuses
a key created for another name: `resource ID must match the infra provider ID "<key-id>"`.
Ids are case-sensitive, and Omni >= 1.10 accepts only lowercase DNS-1123 labels. The key's id
is read from the project's .env (the name inside the key, never the key itself); machine
classes whose providerid differs only by case are reported too.

Failing (the key in .env was created with `omnictl infraprovider create Proxmox`)::

    command:
      - --config-file=/config.yaml
      - --omni-api-endpoint=${OMNI_ENDPOINT}

Passing::

    command:
      - --config-file=/config.yaml
      - --omni-api-endpoint=${OMNI_ENDPOINT}
      - --id=Proxmox
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.core.machineclass.model import is_dns_label
from omni_scale.core.provider.setup import key_provider_id
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._provider import env_values, provider_services, where

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "provider-compose-id"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.COMPOSE})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    env = env_values(ctx)
    class_ids = ctx.machine_class_providerids
    for name, service, entry in provider_services(doc):
        node, key = where(service, "--id")
        shown = (
            f"--id={entry.provider_id}"
            if entry.id_explicit
            else (f"no --id (so the default '{entry.provider_id}')")
        )
        key_text = env.get(entry.key_variable or "")
        key_id = key_provider_id(key_text) if key_text else None
        if key_id is not None and key_id != entry.provider_id:
            yield make_problem(
                ID,
                Severity.ERROR,
                doc,
                f"service {name} runs with {shown}, but the key in .env "
                f"({entry.key_variable}) was created for '{key_id}': the provider fails with "
                f"'resource ID must match the infra provider ID \"{key_id}\"'",
                hint=f"add --id={key_id} to the command (ids are case-sensitive), or create a "
                f"key for '{entry.provider_id}': omnictl infraprovider create {entry.provider_id}",
                node=node,
                key=key,
            )
            continue
        near = sorted(
            i
            for i in class_ids
            if i != entry.provider_id and i.lower() == entry.provider_id.lower()
        )
        if near and entry.provider_id not in class_ids:
            yield make_problem(
                ID,
                Severity.ERROR,
                doc,
                f"service {name} runs with {shown}, but the machine classes use providerid "
                f"'{near[0]}' (ids are case-sensitive)",
                hint=f"use one spelling everywhere: --id={near[0]} or providerid: "
                f"{entry.provider_id}",
                node=node,
                key=key,
            )
            continue
        if not entry.id_explicit:
            yield make_problem(
                ID,
                Severity.WARNING,
                doc,
                f"service {name} has no --id, so the provider registers as "
                f"'{entry.provider_id}'; its key must have been created for exactly that name",
                hint=f"make it explicit: add --id={entry.provider_id} to the command",
                node=node,
                key=key,
            )
        elif "$" not in entry.provider_id and not is_dns_label(entry.provider_id):
            yield make_problem(
                ID,
                Severity.WARNING,
                doc,
                f"--id={entry.provider_id} is not a lowercase DNS-1123 label: Omni >= 1.10 "
                "refuses such provider names",
                hint=f"use a lowercase id (e.g. {entry.provider_id.lower()}) with a key created "
                "for it",
                node=node,
                key=key,
            )
