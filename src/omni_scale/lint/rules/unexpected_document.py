"""unexpected-document: a file where the project keeps one kind of document holds another.

A file's kind is read from its content, so a MachineClass with `metadata: 5`, a cluster
template with `kind: [Cluster]`, a provider config with `proxmox: 7` or a compose file that is
a bare list would match no rule at all and lint clean. Its place in the project says what it
should be: machine-classes/ holds MachineClasses, clusters/ cluster templates,
docker/compose.yaml a compose file and docker/config*.yaml the provider's Proxmox config. A file
in clusters/ that a template names as a patch, manifest or healthcheck `file:` is not a template.

Failing (machine-classes/worker.yaml)::

    metadata: worker
    spec: [cores, 2]

Passing (machine-classes/worker.yaml)::

    metadata:
      namespace: default
      type: MachineClasses.omni.sidero.dev
      id: worker
    spec:
      autoprovision: {providerid: proxmox, providerdata: "cores: 2"}
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "unexpected-document"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.UNKNOWN})


def expected_kind(path: Path) -> tuple[str, str] | None:
    """(what the file at `path` should hold, how to fix it) from its place in a project."""
    parents = [p.name for p in path.parents]
    name = path.name
    if parents and parents[0] == "docker":
        if name in ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"):
            return (
                "a compose file (a 'services:' mapping)",
                "omni-scale provider setup writes one",
            )
        if name.startswith("config") and path.suffix in (".yaml", ".yml"):
            return (
                "the provider's Proxmox config (a 'proxmox:' mapping with url and credentials)",
                "omni-scale provider setup writes one",
            )
    if "machine-classes" in parents:
        return (
            "a MachineClass (metadata: {namespace, type, id}, spec: {autoprovision: ...})",
            "omni-scale machineclass create NAME writes one",
        )
    if "clusters" in parents:
        return (
            "a cluster template document (kind: Cluster, ControlPlane, Workers or Machine)",
            "omni-scale cluster create NAME writes one",
        )
    return None


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    expected = expected_kind(doc.path)
    if expected is None:
        return
    if _referenced_by_a_template(doc.path):
        return  # a patch, manifest or healthcheck file a template in clusters/ refers to
    what, hint = expected
    yield make_problem(
        ID, SEVERITY, doc, f"expected {what} here, found {_shape(doc.data)}", hint=hint
    )


def _shape(data: object) -> str:
    if isinstance(data, dict):
        return "a mapping of no known kind"
    if isinstance(data, list):
        return "a list"
    if isinstance(data, bool):
        return "a boolean"
    if isinstance(data, (int, float)):
        return "a number"
    return "a text"


def _referenced_by_a_template(path: Path) -> bool:
    """Whether a cluster template of the enclosing clusters/ folder names `path` as `file:`.

    omnictl >= 1.8 reads such files only from inside the template's directory, so they live
    beside the templates.
    """
    from omni_scale.lint.rules._ct import referenced_files

    resolved = path.resolve()
    for parent in resolved.parents:
        if parent.name == "clusters":
            return resolved in referenced_files(parent)
    return False
