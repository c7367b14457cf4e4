"""provider-compose-unknown-flag: the provider's command holds only flags the provider defines.

The upstream provider (siderolabs/omni-infra-provider-proxmox, every release up to v0.3.0)
knows `--config-file`, `--omni-api-endpoint`, `--omni-service-account-key`, `--id`,
`--provider-name`, `--provider-description` and `--insecure-skip-verify`. Any other flag, such
as a fork's `--dry-run` or `--local`, stops it before it starts: cobra prints
`Error: unknown flag: --dry-run`, exits 1, and Docker restarts it in a loop. An error with the
upstream image; a warning with another image (a fork may define the flag).

Failing::

    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0
    command:
      - --config-file=/config.yaml
      - --dry-run

Passing::

    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0
    command:
      - --config-file=/config.yaml
      - --id=proxmox
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.core.provider.flags import FLAGS, NEWEST_KNOWN, flag_problems
from omni_scale.lint.context import image_version
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._provider import provider_services

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "provider-compose-unknown-flag"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.COMPOSE})
UPSTREAM = "siderolabs/omni-infra-provider-proxmox"


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    for name, service, entry in provider_services(doc):
        image = str(service.get("image") or "")
        upstream = UPSTREAM in image
        version = image_version(image) if upstream else None
        release = (
            f"release {version}"
            if version
            else f"every release up to {NEWEST_KNOWN} (the image tag names none)"
        )
        command = service.get("command")
        for problem in flag_problems(list(entry.command)):
            node, key = (
                (command, problem.index) if isinstance(command, list) else (service, "command")
            )
            if problem.kind == "help":
                yield make_problem(
                    ID,
                    Severity.ERROR,
                    doc,
                    f"service {name} passes {problem.flag}: the provider prints its help and "
                    "exits instead of running",
                    hint=f"remove {problem.flag}",
                    node=node,
                    key=key,
                )
                continue
            where = (
                f"the upstream provider ({release}) does not have it"
                if upstream
                else f"it is not a flag of the upstream provider ({UPSTREAM}, up to "
                f"{NEWEST_KNOWN}); only a fork that defines it accepts it"
            )
            yield make_problem(
                ID,
                Severity.ERROR if upstream else Severity.WARNING,
                doc,
                f"service {name} passes {problem.flag}: {where}; it stops at start with "
                f"`Error: {problem.cobra}` (cobra) and restarts in a loop",
                hint=f"remove {problem.flag}; the provider's flags are "
                + ", ".join(f"--{f}" for f in FLAGS),
                node=node,
                key=key,
            )
