"""`cluster create`: a cluster template in clusters/NAME.yaml from the project's machine classes.

Versions default to the newest non-deprecated Talos Omni offers and its newest Kubernetes (asked
through omnictl); the template is linted before it is written, an existing file is kept unless
`force`, `dry_run` writes nothing, and `sync` hands the written file to `omnictl cluster
template sync`.
"""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.core.template.model import FULL_SEMVER_RE, valid_cluster_name
from omni_scale.core.template.render import (
    ClusterSpec,
    newest_versions,
    normalize_version,
    render_template,
)
from omni_scale.errors import EnvironmentProblem, InputError
from omni_scale.fs.safe_write import WriteOutcome, write_new
from omni_scale.lint.context import build_context
from omni_scale.lint.engine import lint_files
from omni_scale.project import Project
from omni_scale.services.omnictl_ensure import Confirm, ensure_client
from omni_scale.services.project_files import unreadable_class_file

Note = Callable[[str], None]


@dataclass(frozen=True)
class ClusterRequest:
    name: str
    control_planes: int = 1
    workers: int = 1
    cp_class: str | None = None
    worker_class: str | None = None
    talos: str | None = None
    kubernetes: str | None = None
    cni: str = "default"
    force: bool = False
    dry_run: bool = False
    sync: bool = False


@dataclass(frozen=True)
class Created:
    """What was (or, with `dry_run`, would be) written. `outcome` is None on a dry run;
    `exists` says whether the target existed before (what a write would have to replace);
    `sync_output` is omnictl's output when the template was synced."""

    target: Path
    text: str
    outcome: WriteOutcome | None = None
    sync_output: str | None = None
    exists: bool = False


def create_cluster(
    project: Project,
    request: ClusterRequest,
    *,
    note: Note,
    warn: Note,
    interactive: bool = False,
    assume_yes: bool = False,
    confirm: Confirm | None = None,
) -> Created:
    """Render, lint and (unless `dry_run`) write the template, then sync it if asked.

    `confirm` is asked before omnictl is installed on first use (see `ensure_client`).
    """
    if not request.name or not valid_cluster_name(request.name):
        raise InputError(
            f"invalid cluster name {request.name!r}",
            hint="use letters, digits, dashes and underscores only",
        )
    classes = _classes(project)
    cp = _pick_class(request.cp_class, classes, "--cp-class", project)
    worker_class = request.worker_class or request.cp_class
    wk = _pick_class(worker_class, classes, "--worker-class", project) if request.workers else None
    if request.control_planes % 2 == 0:
        count = request.control_planes
        warn(
            f"{count} control planes: etcd needs a majority, so an even count tolerates "
            f"no more failures than {count - 1}; use 1, 3 or 5"
        )
    talos_v, kube_v = _versions(project, request.talos, request.kubernetes, note)
    spec = ClusterSpec(
        name=request.name,
        talos=normalize_version(talos_v),
        kubernetes=normalize_version(kube_v),
        control_planes=request.control_planes,
        workers=request.workers,
        cp_class=cp,
        worker_class=wk,
        cni=request.cni,
    )
    text = render_template(spec)
    _lint_before_writing(project, spec, text, warn)
    target = project.clusters_dir / f"{request.name}.yaml"
    if request.dry_run:
        return Created(target, text, exists=target.exists())
    outcome = write_new(target, text, force=request.force)
    sync_output: str | None = None
    if request.sync:
        client = ensure_client(
            project,
            interactive=interactive,
            note=note,
            assume_yes=assume_yes,
            confirm=confirm,
            timeout=300,
        )
        result = client.template_sync(target)
        for warning in result.warnings:
            warn(f"omnictl: {warning}")
        sync_output = result.stdout
    return Created(target, text, outcome, sync_output)


def _classes(project: Project) -> frozenset[str]:
    ids = build_context(project).machine_class_ids
    if ids is None or not ids:
        raise InputError(
            "the project has no machine classes (machine-classes/*.yaml)",
            hint="create them first: omni-scale machineclass create NAME",
            path=project.machine_classes_dir,
        )
    return ids


def _pick_class(given: str | None, classes: frozenset[str], option: str, project: Project) -> str:
    if given is None:
        if len(classes) == 1:
            return next(iter(classes))
        raise InputError(
            f"{option} is required: the project has {len(classes)} machine classes",
            hint=f"choose one of: {', '.join(sorted(classes))}",
        )
    if given not in classes:
        named_file = unreadable_class_file(project, given)
        if named_file is not None:  # machine-classes/GIVEN.yaml is there, but broken
            raise named_file
        close = difflib.get_close_matches(given, sorted(classes), n=1)
        raise InputError(
            f'{option}: machine class "{given}" is not in machine-classes/',
            hint=f"did you mean {close[0]}?"
            if close
            else f"known classes: {', '.join(sorted(classes))}",
        )
    return given


def _versions(
    project: Project, talos: str | None, kubernetes: str | None, note: Note
) -> tuple[str, str]:
    for value, option in ((talos, "--talos"), (kubernetes, "--kubernetes")):
        if value is not None and not FULL_SEMVER_RE.match(value.strip()):
            raise InputError(
                f"{option} {value!r} is not a full version",
                hint=f"give MAJOR.MINOR.PATCH, e.g. {option} "
                + ("v1.12.0" if option == "--talos" else "v1.34.2"),
            )
    if talos and kubernetes:
        return talos, kubernetes
    newest = _newest_from_omni(project, note)
    if newest is None:
        raise InputError(
            "Omni offered no Talos version to default to",
            hint="pass --talos vX.Y.Z and --kubernetes vX.Y.Z (omnictl get talosversions)",
        )
    return talos or newest[0], kubernetes or newest[1]


def _newest_from_omni(project: Project, note: Note) -> tuple[str, str] | None:
    try:
        client = Omnictl.for_project(project.state_file, timeout=30)
        note("asking Omni for its newest Talos and Kubernetes versions")
        return newest_versions(client.get("TalosVersions.omni.sidero.dev"))
    except EnvironmentProblem as exc:  # still exit 3: omnictl missing, Omni unreachable, ...
        raise EnvironmentProblem(
            f"no --talos/--kubernetes given, and Omni could not be asked: {exc.message}",
            hint="pass --talos vX.Y.Z and --kubernetes vX.Y.Z",
        ) from None


def _lint_before_writing(project: Project, spec: ClusterSpec, text: str, warn: Note) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{spec.name}.yaml"
        path.write_text(text)
        report = lint_files([path], build_context(project))
    errors = [p for p in report.problems if p.severity == "error"]
    if errors:
        first = errors[0]
        raise InputError(
            f"the template would not be valid: {first.message}", hint=first.hint or None
        )
    for problem in report.problems:
        warn(f"{problem.message} [{problem.rule}]")
