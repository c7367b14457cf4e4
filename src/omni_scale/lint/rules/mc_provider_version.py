"""mc-provider-version: fields newer than the project's provider image are silently ignored.

Each key of providerdata appeared in some provider release (`base`, v0.1.0, v0.2.0, v0.3.0).
An older provider publishes an older schema without the key, so Omni accepts it and the
provider ignores it. The project's release is the tag of the provider image in
docker/compose.yaml; nothing is reported when it is unknown (untagged, `latest`, a digest).

Failing (with image omni-infra-provider-proxmox:v0.1.0)::

    providerdata: |
      placement_strategy: spread    # v0.2.0

Passing::

    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.2.0
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from omni_scale.core.machineclass.providerdata import FIELDS
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._mc import ProviderDataInfo, is_proxmox_class, providerdata_mapping

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-provider-version"
SEVERITY = Severity.WARNING
KINDS = frozenset({Kind.MACHINE_CLASS})


def version_tuple(version: str) -> tuple[int, ...] | None:
    match = re.match(r"^v?(\d+)\.(\d+)\.(\d+)", version)
    return tuple(int(x) for x in match.groups()) if match else None


def _present(
    node: Mapping[str, Any], prefix: str, path: tuple[str | int, ...]
) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    for key, value in node.items():
        name = f"{prefix}{key}"
        if name not in FIELDS:
            continue
        yield name, (*path, key)
        if isinstance(value, Mapping):
            yield from _present(value, f"{name}.", (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield from _present(item, f"{name}[].", (*path, key, index))


def _problems(
    doc: Document, info: ProviderDataInfo, node: Mapping[str, Any], running: str
) -> Iterator[Problem]:
    have = version_tuple(running)
    if have is None:
        return
    for name, path in _present(node, "", ()):
        since = FIELDS[name].since
        need = version_tuple(since) if since != "base" else None
        if need is None or need <= have:
            continue
        line, column = info.position(path)
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f"'{name}' needs provider {since} or newer, but the project runs {running}: "
            "the provider ignores it",
            hint=f"upgrade the provider image to {since} or later, or remove '{name}'",
            line=line,
            column=column,
        )


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    if not is_proxmox_class(doc, ctx):
        return  # another provider's class: its own schema applies, not Proxmox's
    found = providerdata_mapping(doc)
    if found is None:
        return
    info, node = found
    providerid = info.autoprovision.get("providerid")
    running = ctx.provider_version(str(providerid) if providerid is not None else None)
    if running is None:
        return
    yield from _problems(doc, info, node, running)
