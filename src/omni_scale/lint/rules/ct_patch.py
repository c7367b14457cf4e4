"""ct-patch: config patches and manifests are well-formed, and `file:` paths resolve.

A patch has exactly one of `file:` or `inline:`; an inline patch needs `name` (or
`idOverride`). Since omnictl 1.8 a `file:` path is resolved relative to the template's directory
and may not leave it (`failed to access "<file>"`); omni-scale runs omnictl from that directory,
so older omnictl resolves it the same way. An absolute path is accepted when it lies inside the
template's directory. What a patch holds is ct-patch-content's job.

Failing::

    patches:
      - file: ../../secrets/patch.yaml     # escapes the template's directory
      - inline:                            # inline patch without a name
          machine:
            kubelet: {extraMounts: []}

Passing::

    patches:
      - file: patches/cni.yaml             # clusters/patches/cni.yaml
      - name: kubelet-mounts
        inline:
          machine:
            kubelet: {extraMounts: []}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._ct import patch_target, template_dir

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-patch"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    patches = doc.data.get("patches")
    if isinstance(patches, list):
        for index, patch in enumerate(patches):
            yield from _patch(doc, patches, index, patch)
    kubernetes = doc.data.get("kubernetes")
    manifests = kubernetes.get("manifests") if isinstance(kubernetes, Mapping) else None
    if isinstance(manifests, list):
        for manifest in manifests:
            if isinstance(manifest, Mapping) and manifest.get("file") is not None:
                yield from _file(doc, manifest, "manifest")


def _patch(doc: Document, patches: list[Any], index: int, patch: Any) -> Iterator[Problem]:
    if not isinstance(patch, Mapping):
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            "a patch must be a mapping with `file:` or `name:` + `inline:`",
            node=patches,
            key=index,
        )
        return
    label = str(patch.get("name") or patch.get("file") or "")
    # Omni tests values (patch.File != "", patch.Inline != nil), not keys: `inline:` with no
    # value is unset
    has_file = patch.get("file") is not None and str(patch.get("file")) != ""
    has_inline = patch.get("inline") is not None
    if has_file and has_inline:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f'patch "{label}" is invalid: path and inline are mutually exclusive',
            hint="split it into two patches",
            node=patch,
            key="inline",
        )
    elif not has_file and not has_inline:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f'patch "{label}" is invalid: path or inline is required',
            hint="add `file: <path>` or `inline: {...}`",
            node=patches,
            key=index,
        )
    if has_inline and not has_file and not patch.get("name") and not patch.get("idOverride"):
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            "patch is invalid: either name or idOverride is required for inline patches",
            hint="add `name: <what-it-does>` to the patch",
            node=patch,
            key="inline",
        )
    if has_file:
        yield from _file(doc, patch, "patch")


def _file(doc: Document, item: Mapping[str, Any], what: str) -> Iterator[Problem]:
    raw = str(item.get("file"))
    base = template_dir(doc)
    # an absolute path is fine when it lies inside the template's directory (omnictl's
    # FileContext.resolveForRoot: filepath.Rel(root, abs)); `base / raw` keeps an absolute raw
    target = patch_target(doc, raw)
    if not target.is_relative_to(base):
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f'{what} file "{raw}" is outside the template\'s directory (omnictl >= 1.8: '
            f'failed to access "{raw}")',
            hint=f"move the file under {base.name}/ (e.g. {base.name}/patches/) and refer to it "
            "relative to the template",
            node=item,
            key="file",
        )
    elif not target.is_file():
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f'{what} file "{raw}" does not exist (resolved relative to the template: {target})',
            hint="paths are relative to the template's directory since omnictl 1.8",
            node=item,
            key="file",
        )
