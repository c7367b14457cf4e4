"""provider-compose-image: `latest`, untagged or non-release provider image

Pin the provider image to a release tag or a digest.

`latest` (or no tag) changes under you on the next pull; a locally built tag (`local-fix`)
cannot be pulled on a fresh host, and no status tool can tell which release runs. Releases:
v0.1.0, v0.2.0, v0.3.0 (siderolabs/omni-infra-provider-proxmox).

Failing::

    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:latest

Passing::

    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.core.provider.compose import DEFAULT_IMAGE
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._provider import provider_services

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "provider-compose-image"
SEVERITY = Severity.WARNING
KINDS = frozenset({Kind.COMPOSE})
_RELEASE = re.compile(r"^v?\d+\.\d+\.\d+$")


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    for name, service, entry in provider_services(doc):
        image = entry.image
        if image is None:
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f"service {name} has no image",
                hint=f"image: {DEFAULT_IMAGE}",
                node=service,
            )
            continue
        if "@sha256:" in image:
            continue
        last = image.rsplit("/", 1)[-1]
        tag = last.split(":", 1)[1] if ":" in last else None
        if tag is None or tag == "latest":
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f"service {name} uses a floating image ({'no tag' if tag is None else 'latest'}): "
                "the provider changes on the next pull",
                hint=f"pin a release: {DEFAULT_IMAGE} (or a @sha256 digest)",
                node=service,
                key="image",
            )
        elif not _RELEASE.match(tag):
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f"service {name} uses the non-release tag '{tag}': it cannot be pulled on a "
                "fresh host if built locally, and its provider version is unknown",
                hint=f"move to a release (newest: {DEFAULT_IMAGE}); upstream fixed the hostname "
                "conflict in 559954c, released in v0.1.0",
                node=service,
                key="image",
            )
