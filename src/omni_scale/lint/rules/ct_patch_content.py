"""ct-patch-content: what a config patch holds must pass omnictl's patch validation.

`cluster template validate` and `sync` run every patch, `file:` and `inline:` alike (a mapping, a
list of mappings, or since omnictl 1.8 a YAML string), through the Talos config loader (strict)
and Omni's forbidden lists (`omni.ValidateConfigPatch`). Checked offline against the Talos key
table of the template's `talos.version` minor (a newer minor falls back to the newest table, and
its unknown keys are then warnings): an empty patch (`config not found`), unknown keys with their
full path and a did-you-mean, values of the wrong type, unknown or duplicate documents, a missing
kind, the documents and fields Omni forbids and `os:admin` in the Talos API access roles.
`$patch: delete` marks are allowed. Problems in a `file:` patch point into that file.

Failing::

    patches:
      - name: kubelet
        inline:
          machine:
            kubelet:
              extraArg:             # unknown key "machine.kubelet.extraArg": extraArgs?
                max-pods: "150"
            token: abc              # overriding "machine.token" is not allowed
      - file: patches/empty.yaml    # config not found

Passing::

    patches:
      - name: kubelet
        inline:
          machine:
            kubelet:
              extraArgs:
                max-pods: "150"
      - file: patches/cni.yaml      # machine/cluster keys Talos knows
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omni_scale.core.talos.keys import Choice
from omni_scale.core.talos.patch import PatchIssue, check_patch
from omni_scale.lint.document import Document, Kind, read_source
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._ct import patch_target, talos_tables, template_dir

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "ct-patch-content"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.CLUSTER_TEMPLATE})

# (patch file, mtime, size, minor, unknown severity) -> [(line, column, severity, message, hint)]
_FILE_CACHE: dict[tuple[str, int, int, str, str], list[tuple[int, int, str, str, str]]] = {}
_CACHE_SIZE = 8192


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    patches = doc.data.get("patches")
    kind = doc.data.get("kind")
    has_patches = isinstance(patches, list) and bool(patches)
    if not has_patches and kind != "Cluster":
        return
    choice = _choice(doc)
    if kind == "Cluster" and choice.note and _file_has_patches(doc):
        yield _note(doc, choice)
    if not isinstance(patches, list):
        return
    unknown = "error" if choice.exact or choice.note is None else "warning"
    for patch in patches:
        if isinstance(patch, Mapping):
            yield from _patch(doc, patch, choice, unknown)


def _choice(doc: Document) -> Choice:
    """The key table for the template's talos.version (from its Cluster document)."""
    for other in read_source(Path(doc.path)).documents:
        data = other.data
        if isinstance(data, Mapping) and data.get("kind") == "Cluster":
            talos = data.get("talos")
            return talos_tables().choose(
                talos.get("version") if isinstance(talos, Mapping) else None
            )
    return talos_tables().choose(None)


def _file_has_patches(doc: Document) -> bool:
    return any(
        isinstance(d.data, Mapping)
        and isinstance(d.data.get("patches"), list)
        and d.data["patches"]
        for d in read_source(Path(doc.path)).documents
    )


def _note(doc: Document, choice: Choice) -> Problem:
    talos = doc.data.get("talos")
    node, key = (talos, "version") if isinstance(talos, Mapping) else (None, "talos")
    return make_problem(
        ID,
        Severity.WARNING,
        doc,
        choice.note or "",
        hint="keep talos.version; upgrade omni-scale for a newer Talos key table",
        node=node,
        key=key,
    )


def _label(patch: Mapping[str, Any]) -> str:
    return str(patch.get("name") or patch.get("file") or "")


def _patch(
    doc: Document, patch: Mapping[str, Any], choice: Choice, unknown: str
) -> Iterator[Problem]:
    raw_file = patch.get("file")
    inline = patch.get("inline")
    has_file = raw_file is not None and str(raw_file) != ""
    if has_file and inline is None:
        yield from _file_patch(doc, patch, str(raw_file), choice, unknown)
    elif inline is not None and not has_file:
        yield from _inline_patch(doc, patch, inline, choice, unknown)


def _file_patch(
    doc: Document, patch: Mapping[str, Any], raw: str, choice: Choice, unknown: str
) -> Iterator[Problem]:
    base = template_dir(doc)
    target = patch_target(doc, raw)
    if not target.is_relative_to(base) or not target.is_file():
        return  # ct-patch says why
    try:
        stat = target.stat()
    except OSError:
        return
    key = (str(target), stat.st_mtime_ns, stat.st_size, choice.table.minor, unknown)
    found = _FILE_CACHE.get(key)
    if found is None:
        found = _check_file(target, choice, unknown)
        if len(_FILE_CACHE) >= _CACHE_SIZE:
            _FILE_CACHE.clear()
        _FILE_CACHE[key] = found
    label = _label(patch)
    for line, column, severity, message, hint in found:
        yield Problem(
            path=str(target),
            line=line,
            column=column,
            rule=ID,
            severity=Severity(severity),
            message=f'patch "{label}" (in {Path(doc.path).name}): {message}',
            hint=hint,
        )


def _check_file(target: Path, choice: Choice, unknown: str) -> list[tuple[int, int, str, str, str]]:
    from omni_scale.yamlio import line_of

    source = read_source(target)
    if source.error is not None:
        err = source.error
        return [
            (
                err.line or 1,
                err.column or 1,
                "error",
                f"failed to validate patch: {err.message}",
                err.hint or "fix the YAML of the patch file",
            )
        ]
    issues = check_patch(
        [d.data for d in source.documents], choice.table, talos_tables(), unknown_severity=unknown
    )
    out = []
    for issue in issues:
        pos = line_of(issue.node, issue.key) if issue.node is not None else None
        if pos is None and issue.node is not None:
            pos = line_of(issue.node)
        line, column = pos or (1, 1)
        out.append((line, column, issue.severity, issue.message, issue.hint))
    return out


def _inline_patch(
    doc: Document, patch: Mapping[str, Any], inline: Any, choice: Choice, unknown: str
) -> Iterator[Problem]:
    label = _label(patch)
    if isinstance(inline, str):
        yield from _string_patch(doc, patch, inline, choice, unknown)
        return
    if isinstance(inline, Mapping):
        docs: list[Any] = [inline]
    elif isinstance(inline, list):
        bad = [i for i, item in enumerate(inline) if not isinstance(item, Mapping)]
        if bad:
            yield make_problem(
                ID,
                SEVERITY,
                doc,
                f'patch "{label}": every item of an inline list must be a mapping (omnictl: '
                "cannot unmarshal into map[string]interface {})",
                hint="write each Talos config document as a mapping under `inline:`",
                node=inline,
                key=bad[0],
            )
            return
        docs = list(inline)
    else:
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f'patch "{label}": inline must be a mapping, a list of mappings or a YAML string '
            f"(omnictl: expected string, but got {type(inline).__name__})",
            hint="write the Talos config under `inline:` as a mapping, e.g. `machine: {...}`",
            node=patch,
            key="inline",
        )
        return
    for issue in check_patch(docs, choice.table, talos_tables(), unknown_severity=unknown):
        yield _problem(doc, patch, label, issue)


def _problem(doc: Document, patch: Mapping[str, Any], label: str, issue: PatchIssue) -> Problem:
    node, key = (issue.node, issue.key) if issue.node is not None else (patch, "inline")
    return make_problem(
        ID,
        Severity(issue.severity),
        doc,
        f'patch "{label}": {issue.message}',
        hint=issue.hint,
        node=node,
        key=key,
    )


def _string_patch(
    doc: Document, patch: Mapping[str, Any], text: str, choice: Choice, unknown: str
) -> Iterator[Problem]:
    from omni_scale.core.machineclass.model import scalar_origin
    from omni_scale.errors import InputError
    from omni_scale.yamlio import line_of, load_all

    label = _label(patch)
    source = read_source(Path(doc.path))
    origin = scalar_origin(patch, "inline", source.text)
    anchor = line_of(patch, "inline") or (doc.start_line, 1)
    try:
        docs = load_all(str(text), path=doc.path, line_offset=origin.line - 1, keep_comments=False)
    except InputError as exc:
        line = exc.line if exc.line is not None and origin.exact else anchor[0]
        column = (
            exc.column + origin.column - 1 if exc.column is not None and origin.exact else anchor[1]
        )
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f'patch "{label}": failed to validate inline patch: {exc.message}',
            hint=exc.hint or "fix the YAML inside the inline string",
            line=line,
            column=column,
        )
        return
    for issue in check_patch(docs, choice.table, talos_tables(), unknown_severity=unknown):
        pos = None
        if issue.node is not None and origin.exact:
            pos = line_of(issue.node, issue.key) or line_of(issue.node)
        line, column = origin.position(pos[0] - 1, pos[1] - 1) if pos else anchor
        yield make_problem(
            ID,
            Severity(issue.severity),
            doc,
            f'patch "{label}": {issue.message}',
            hint=issue.hint,
            line=line,
            column=column,
        )
