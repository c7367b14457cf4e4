"""ct-omnictl-version: template fields the installed omnictl is too old to know.

omnictl parses templates itself, strictly, so the field set depends on its release: labels and
annotations on manifests since v1.7.0, a YAML string as `inline:` patch since v1.8.0,
`kubernetes.healthchecks` since v1.9.0, `features.enableNodeAuditSkip` and
`features.disablePublicDiscoveryService` since v1.10.0 (siderolabs/omni
`client/pkg/template/internal/models` at each tag). An older omnictl fails with `field <f> not
found in type models.<Type>`. Checked only when omni-scale found and ran omnictl
(`cluster template validate|sync|diff`).

Failing (omnictl v1.9.3)::

    kind: Cluster
    features:
      enableNodeAuditSkip: true      # omnictl >= v1.10.0

Passing (omnictl v1.10.4)::

    kind: Cluster
    features:
      enableNodeAuditSkip: true
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-omnictl-version"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})

MANIFEST_DESCRIPTORS = (1, 7, 0)
STRING_INLINE = (1, 8, 0)
HEALTHCHECKS = (1, 9, 0)
NEW_FEATURES = (1, 10, 0)


def _release(tag: str | None) -> tuple[int, int, int] | None:
    match = re.match(r"^v?(\d+)\.(\d+)\.(\d+)", tag or "")
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def _text(version: tuple[int, int, int]) -> str:
    return "v" + ".".join(map(str, version))


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    running = _release(ctx.omnictl_version)
    if running is None:
        return
    data = doc.data

    def too_old(
        since: tuple[int, int, int], node: Any, key: Any, field: str, model: str, what: str
    ) -> Problem | None:
        if running is None or running >= since:
            return None
        return make_problem(
            ID,
            SEVERITY,
            doc,
            f"omnictl {ctx.omnictl_version} does not know {what} (added in omnictl "
            f"{_text(since)}): field {field} not found in type models.{model}",
            hint=f"upgrade omnictl: omni-scale omnictl install --version {_text(since)} (or "
            "newer, matching your Omni), or remove it",
            node=node,
            key=key,
        )

    found: list[Problem | None] = []
    if data.get("kind") == "Cluster":
        kubernetes = data.get("kubernetes")
        if isinstance(kubernetes, Mapping):
            if kubernetes.get("healthchecks") is not None:
                found.append(
                    too_old(
                        HEALTHCHECKS,
                        kubernetes,
                        "healthchecks",
                        "healthchecks",
                        "KubernetesCluster",
                        "kubernetes.healthchecks",
                    )
                )
            manifests = kubernetes.get("manifests")
            for manifest in manifests if isinstance(manifests, list) else []:
                if not isinstance(manifest, Mapping):
                    continue
                for key in ("labels", "annotations"):
                    if key in manifest:
                        found.append(
                            too_old(
                                MANIFEST_DESCRIPTORS,
                                manifest,
                                key,
                                key,
                                "KubernetesManifest",
                                f"{key} on a manifest",
                            )
                        )
        features = data.get("features")
        if isinstance(features, Mapping):
            for key in ("enableNodeAuditSkip", "disablePublicDiscoveryService"):
                if key in features:
                    found.append(
                        too_old(NEW_FEATURES, features, key, key, "Features", f"features.{key}")
                    )
    patches = data.get("patches")
    for patch in patches if isinstance(patches, list) else []:
        if isinstance(patch, Mapping) and isinstance(patch.get("inline"), str):
            problem = too_old(
                STRING_INLINE, patch, "inline", "inline", "Patch", "a YAML string as inline patch"
            )
            if problem is not None:
                found.append(
                    Problem(
                        path=problem.path,
                        line=problem.line,
                        column=problem.column,
                        rule=problem.rule,
                        severity=problem.severity,
                        message=f"omnictl {ctx.omnictl_version} does not take a YAML string as "
                        f"inline patch (added in omnictl {_text(STRING_INLINE)}): it expects a "
                        "mapping or a list",
                        hint="write the patch as a mapping under `inline:` (drop the `|`), or "
                        f"upgrade omnictl to {_text(STRING_INLINE)} or newer",
                    )
                )
    yield from (p for p in found if p is not None)
