"""provider-compose-flags: the provider service needs its config file, endpoint and restart.

Without `--config-file` mounted from docker/config.yaml the provider stops with `failed to read
Proxmox config file`; without `--omni-api-endpoint` (or OMNI_ENDPOINT) with `omni-api-endpoint
flag is not set`. The config holds credentials: mount it read-only. Without a restart policy a
crashed provider stays down and machine requests wait.

Failing::

    command:
      - --id=proxmox

Passing::

    restart: unless-stopped
    command:
      - --config-file=/config.yaml
      - --omni-api-endpoint=${OMNI_ENDPOINT}
      - --id=proxmox
    volumes:
      - ./config.yaml:/config.yaml:ro
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from omni_scale.core.provider.compose import flag_value
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._provider import provider_services

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "provider-compose-flags"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.COMPOSE})


def _mount(service: Any, target: str) -> tuple[Any, int, bool] | None:
    """(volumes node, index, read-only) of the volume mounted at `target`."""
    volumes = service.get("volumes")
    if not isinstance(volumes, list):
        return None
    for index, volume in enumerate(volumes):
        if isinstance(volume, Mapping):
            if str(volume.get("target")) == target:
                return volumes, index, bool(volume.get("read_only"))
        else:
            parts = str(volume).split(":")
            if len(parts) >= 2 and parts[1] == target:
                return volumes, index, len(parts) > 2 and "ro" in parts[2].split(",")
    return None


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    for name, service, entry in provider_services(doc):
        args = list(entry.command)
        config = flag_value(args, "--config-file")
        if config is None:
            yield make_problem(
                ID,
                Severity.ERROR,
                doc,
                f"service {name} has no --config-file: the provider cannot reach Proxmox",
                hint="add --config-file=/config.yaml and mount ./config.yaml:/config.yaml:ro",
                node=service,
                key="command" if "command" in service else None,
            )
        else:
            mount = _mount(service, config)
            if mount is None:
                yield make_problem(
                    ID,
                    Severity.ERROR,
                    doc,
                    f"service {name} reads --config-file={config} but mounts nothing there: "
                    f"the provider fails with 'failed to read Proxmox config file \"{config}\"'",
                    hint=f"add a volume ./config.yaml:{config}:ro",
                    node=service,
                    key="volumes" if "volumes" in service else "command",
                )
            elif not mount[2]:
                yield make_problem(
                    ID,
                    Severity.WARNING,
                    doc,
                    f"service {name} mounts its config (with credentials) writable",
                    hint="append :ro to the volume",
                    node=mount[0],
                    key=mount[1],
                )
        env = service.get("environment")
        has_env = (isinstance(env, Mapping) and "OMNI_ENDPOINT" in env) or (
            isinstance(env, list) and any(str(e).split("=", 1)[0] == "OMNI_ENDPOINT" for e in env)
        )
        if (
            flag_value(args, "--omni-api-endpoint") is None
            and not has_env
            and ("env_file" not in service)
        ):
            yield make_problem(
                ID,
                Severity.ERROR,
                doc,
                f"service {name} sets neither --omni-api-endpoint nor OMNI_ENDPOINT: the "
                "provider stops with 'omni-api-endpoint flag is not set'",
                hint="add --omni-api-endpoint=${OMNI_ENDPOINT} and OMNI_ENDPOINT to .env",
                node=service,
                key="command" if "command" in service else None,
            )
        if "restart" not in service:
            yield make_problem(
                ID,
                Severity.WARNING,
                doc,
                f"service {name} has no restart policy: after a crash or a reboot the provider "
                "stays down",
                hint="restart: unless-stopped",
                node=service,
            )
