"""provider-compose-secret: the key written into the compose file (error); passed as
`--omni-service-account-key` (warning: visible in argv)

No provider key in the compose file, and not on the command line.

docker/compose.yaml is committed; a key written into it is leaked with the repository. A key
passed as `--omni-service-account-key=${VAR}` stays out of git but is visible in the
container's argv (`docker inspect`, `ps`): pass it as the environment variable
OMNI_SERVICE_ACCOUNT_KEY, which the provider reads by default.

Failing::

    environment:
      OMNI_SERVICE_ACCOUNT_KEY: <the key omnictl infraprovider create printed>

Passing::

    environment:
      OMNI_SERVICE_ACCOUNT_KEY: ${OMNI_INFRA_PROVIDER_KEY:?not set in .env}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._provider import command_index, provider_services, where

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "provider-compose-secret"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.COMPOSE})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    for name, service, entry in provider_services(doc):
        as_flag = command_index(service, "--omni-service-account-key") is not None
        node, key = where(service, "--omni-service-account-key")
        if not as_flag:
            env = service.get("environment")
            node, key = (
                (env, "OMNI_SERVICE_ACCOUNT_KEY")
                if isinstance(env, dict)
                else (service, "environment")
            )
        if entry.key_literal:
            yield make_problem(
                ID,
                Severity.ERROR,
                doc,
                f"service {name} has the provider key written into the compose file: anyone "
                "with the repository can act as the provider",
                hint="revoke it (omnictl infraprovider renewkey ID), put the new key in .env as "
                "OMNI_INFRA_PROVIDER_KEY and use OMNI_SERVICE_ACCOUNT_KEY: "
                "${OMNI_INFRA_PROVIDER_KEY}",
                node=node,
                key=key,
            )
        elif as_flag:
            yield make_problem(
                ID,
                Severity.WARNING,
                doc,
                f"service {name} passes the key with --omni-service-account-key: it shows in "
                "the container's argv (docker inspect, ps)",
                hint=f"drop the flag and set environment OMNI_SERVICE_ACCOUNT_KEY: "
                f"${{{entry.key_variable or 'OMNI_INFRA_PROVIDER_KEY'}}}",
                node=node,
                key=key,
            )
