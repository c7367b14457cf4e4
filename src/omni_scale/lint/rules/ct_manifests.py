"""ct-manifests: Kubernetes manifests and healthchecks of the Cluster document pass omnictl.

Manifests: `kubernetes manifest name is empty`, `kubernetes manifest "<n>" mode is not set`,
`unknown mode name "<m>"` (one-time or full), `duplicate manifest name "<n>"`, exactly one of
`file:` or `inline:`, no `omni.sidero.dev/` labels or annotations. Healthchecks (omnictl 1.9+):
`either name or idOverride is required for a healthcheck`, `healthcheck "<n>": job and file are
mutually exclusive` / `job or file is required`, `duplicate healthcheck "<n>"`.

Failing::

    kubernetes:
      version: v1.34.2
      manifests:
        - name: cilium
          file: manifests/cilium.yaml       # no mode
      healthchecks:
        - name: smoke                       # neither job nor file

Passing::

    kubernetes:
      version: v1.34.2
      manifests:
        - name: cilium
          mode: one-time
          file: manifests/cilium.yaml
      healthchecks:
        - name: smoke
          file: checks/smoke-job.yaml
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._ct import reserved_descriptors

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-manifests"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})

MODES = ("one-time", "full")


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    if doc.data.get("kind") != "Cluster":
        return
    kubernetes = doc.data.get("kubernetes")
    if not isinstance(kubernetes, Mapping):
        return
    yield from _manifests(doc, kubernetes.get("manifests"))
    yield from _healthchecks(doc, kubernetes.get("healthchecks"))


def _manifests(doc: Document, manifests: object) -> Iterator[Problem]:
    if not isinstance(manifests, list):
        return
    seen: set[str] = set()
    for index, manifest in enumerate(manifests):
        if not isinstance(manifest, Mapping):
            yield make_problem(
                ID, SEVERITY, doc, "a manifest must be a mapping", node=manifests, key=index
            )
            continue
        name = str(manifest.get("name") or manifest.get("file") or "")  # omnictl: name or file
        if not name:
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                "kubernetes manifest name is empty",
                hint="add `name: <manifest>`",
                node=manifests,
                key=index,
            )
        elif name in seen:
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f'duplicate manifest name "{name}"',
                hint="give every manifest its own name",
                node=manifest,
                key="name",
            )
        seen.add(name)
        mode = manifest.get("mode")
        if mode is None or str(mode) == "":
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f'kubernetes manifest "{name}" mode is not set',
                hint="`mode: one-time` (applied once) or `mode: full` (kept in sync)",
                node=manifests,
                key=index,
            )
        elif str(mode) not in MODES:
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f'unknown mode name "{mode}"',
                hint="mode is one-time or full",
                node=manifest,
                key="mode",
            )
        # values, not keys (km.File != "", km.Inline != nil)
        has_file = manifest.get("file") is not None and str(manifest.get("file")) != ""
        has_inline = manifest.get("inline") is not None
        if has_file == has_inline:
            both = has_file
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f'kubernetes manifest "{name}": '
                + (
                    "path and inline are mutually exclusive"
                    if both
                    else "path or inline is required"
                ),
                hint="give either `file: <path>` or `inline: [...]`",
                node=manifests,
                key=index,
            )
        yield from reserved_descriptors(
            doc, manifest, ID, f'kubernetes manifest "{name}" descriptors validation failed: '
        )


def _healthchecks(doc: Document, checks: object) -> Iterator[Problem]:
    """omnictl's KubernetesHealthCheckList.Validate (v1.9.0+)."""
    if not isinstance(checks, list):
        return
    seen: set[str] = set()
    for index, check in enumerate(checks):
        if not isinstance(check, Mapping):
            yield make_problem(
                ID, SEVERITY, doc, "a healthcheck must be a mapping", node=checks, key=index
            )
            continue
        name = str(check.get("name") or "")
        id_override = str(check.get("idOverride") or "")
        ident = id_override or name
        problems = 0
        if not ident:
            problems += 1
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                "either name or idOverride is required for a healthcheck",
                hint="add `name: <check>`",
                node=checks,
                key=index,
            )
        has_job = check.get("job") is not None
        has_file = check.get("file") is not None and str(check.get("file")) != ""
        if has_job and has_file:
            problems += 1
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f'healthcheck "{ident}": job and file are mutually exclusive',
                hint="keep either `job:` (an inline Kubernetes Job) or `file: <path>`",
                node=check,
                key="file",
            )
        elif not has_job and not has_file:
            problems += 1
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f'healthcheck "{ident}": job or file is required',
                hint="add `job:` with a Kubernetes Job manifest, or `file: <path>` to one",
                node=checks,
                key=index,
            )
        reserved = list(reserved_descriptors(doc, check, ID, ""))
        yield from reserved
        if problems or reserved or not ident:
            continue  # Omni skips the duplicate test of an invalid healthcheck
        if ident in seen:
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f'duplicate healthcheck "{ident}"',
                hint="give every healthcheck its own name",
                node=check,
                key="idOverride" if id_override else "name",
            )
        seen.add(ident)
