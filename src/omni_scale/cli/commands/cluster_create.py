"""`omni-scale cluster create NAME --control-planes N --workers N --cp-class C --worker-class W`"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.commands.completion import complete_class
from omni_scale.cli.context import AppContext, pass_app, yes_option
from omni_scale.errors import EXIT_OK, EXIT_USAGE, EnvironmentProblem, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.core.template.render import ClusterSpec
    from omni_scale.project import Project


def _dry_run(app: AppContext, target: Path, text: str, *, force: bool, sync_: bool) -> int:
    """The template that would be written (already linted), and what would happen to the file."""
    exists = target.exists()
    status = (
        ("would replace (.bak kept)" if force else "exists: would refuse without --force")
        if (exists)
        else "would create"
    )
    data = {
        "file": str(target),
        "status": status,
        "dry_run": True,
        "template": text,
        "sync": None,
    }

    def render(console: Console) -> None:
        console.print(text.rstrip("\n"), markup=False, highlight=False, soft_wrap=True)
        console.print(f"{status}: {app.project.relative(target)}", markup=False)
        if sync_:
            console.print("not synced (--dry-run)", markup=False)

    app.emit(data, render)
    return EXIT_USAGE if exists and not force else EXIT_OK  # as the write would refuse


@click.command("create")
@click.argument("name")
@click.option("--control-planes", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--workers", type=click.IntRange(min=0), default=1, show_default=True)
@click.option(
    "--cp-class",
    metavar="CLASS",
    shell_complete=complete_class,
    help="Machine class of the control planes.",
)
@click.option(
    "--worker-class",
    metavar="CLASS",
    shell_complete=complete_class,
    help="Machine class of the workers.",
)
@click.option("--talos", metavar="vX.Y.Z", help="Talos version (default: newest Omni offers).")
@click.option("--kubernetes", metavar="vX.Y.Z", help="Kubernetes version (default: newest).")
@click.option(
    "--cni",
    type=click.Choice(["default", "none"]),
    default="default",
    show_default=True,
    help="`none` disables Talos' flannel (install e.g. Cilium yourself).",
)
@click.option("--sync", "sync_", is_flag=True, help="Sync the template to Omni after writing.")
@click.option("--force", is_flag=True, help="Replace an existing clusters/NAME.yaml (.bak kept).")
@click.option("--dry-run", is_flag=True, help="Print the linted template; write and sync nothing.")
@yes_option
@pass_app
def command(
    app: AppContext,
    name: str,
    control_planes: int,
    workers: int,
    cp_class: str | None,
    worker_class: str | None,
    talos: str | None,
    kubernetes: str | None,
    cni: str,
    sync_: bool,
    force: bool,
    dry_run: bool,
) -> int:
    """Write a cluster template to clusters/NAME.yaml from the project's machine classes.

    Classes must exist in machine-classes/. Without --talos/--kubernetes, the newest
    non-deprecated Talos that Omni offers and its newest Kubernetes are used (needs omnictl and
    Omni). The template is linted before it is written; an existing file is kept unless --force.
    """
    from omni_scale.core.template.model import valid_cluster_name
    from omni_scale.core.template.render import ClusterSpec, normalize_version, render_template
    from omni_scale.fs.safe_write import write_new

    if not name or not valid_cluster_name(name):
        raise InputError(
            f"invalid cluster name {name!r}",
            hint="use letters, digits, dashes and underscores only",
        )
    classes = _classes(app)
    cp = _pick_class(cp_class, classes, "--cp-class", app.project)
    wk = (
        _pick_class(worker_class or cp_class, classes, "--worker-class", app.project)
        if workers
        else None
    )
    if control_planes % 2 == 0:
        app.warn(
            f"{control_planes} control planes: etcd needs a majority, so an even count tolerates "
            f"no more failures than {control_planes - 1}; use 1, 3 or 5"
        )
    talos_v, kube_v = _versions(app, talos, kubernetes)
    spec = ClusterSpec(
        name=name,
        talos=normalize_version(talos_v),
        kubernetes=normalize_version(kube_v),
        control_planes=control_planes,
        workers=workers,
        cp_class=cp,
        worker_class=wk,
        cni=cni,
    )
    text = render_template(spec)
    _lint_before_writing(app, spec, text)
    target = app.project.clusters_dir / f"{name}.yaml"
    if dry_run:
        return _dry_run(app, target, text, force=force, sync_=sync_)
    outcome = write_new(target, text, force=force)
    sync_data: dict[str, Any] | None = None
    if sync_:
        sync_data = _sync(app, target)
    data = {
        "file": str(target),
        "status": str(outcome.status),
        "backup": str(outcome.backup) if outcome.backup else None,
        "template": text,
        "sync": sync_data,
    }

    def render(console: Console) -> None:
        console.print(f"{outcome.status} {app.project.relative(target)}", markup=False)
        if outcome.backup:
            console.print(f"previous file kept as {outcome.backup.name}", markup=False)
        if sync_data is not None:
            console.print(sync_data["output"].rstrip() or "nothing to change", markup=False)
            console.print(f"follow it with: omni-scale cluster status {name} --watch")
        else:
            console.print(
                f"next: omni-scale cluster template sync {app.project.relative(target)}",
                markup=False,
            )

    app.emit(data, render)
    return EXIT_OK


def _classes(app: AppContext) -> frozenset[str]:
    from omni_scale.lint.context import build_context

    ids = build_context(app.project).machine_class_ids
    if ids is None or not ids:
        raise InputError(
            "the project has no machine classes (machine-classes/*.yaml)",
            hint="create them first: omni-scale machineclass create NAME",
            path=app.project.machine_classes_dir,
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
        import difflib

        from omni_scale.services.project_files import unreadable_class_file

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


def _versions(app: AppContext, talos: str | None, kubernetes: str | None) -> tuple[str, str]:
    from omni_scale.core.template.model import FULL_SEMVER_RE

    for value, option in ((talos, "--talos"), (kubernetes, "--kubernetes")):
        if value is not None and not FULL_SEMVER_RE.match(value.strip()):
            raise InputError(
                f"{option} {value!r} is not a full version",
                hint=f"give MAJOR.MINOR.PATCH, e.g. {option} "
                + ("v1.12.0" if option == "--talos" else "v1.34.2"),
            )
    if talos and kubernetes:
        return talos, kubernetes
    newest = _newest_from_omni(app)
    if newest is None:
        raise InputError(
            "Omni offered no Talos version to default to",
            hint="pass --talos vX.Y.Z and --kubernetes vX.Y.Z (omnictl get talosversions)",
        )
    return talos or newest[0], kubernetes or newest[1]


def _newest_from_omni(app: AppContext) -> tuple[str, str] | None:
    from omni_scale.adapters.omnictl.run import Omnictl
    from omni_scale.core.template.render import newest_versions

    try:
        client = Omnictl.for_project(app.project.state_file, timeout=30)
        app.note("asking Omni for its newest Talos and Kubernetes versions")
        return newest_versions(client.get("TalosVersions.omni.sidero.dev"))
    except EnvironmentProblem as exc:  # still exit 3: omnictl missing, Omni unreachable, ...
        raise EnvironmentProblem(
            f"no --talos/--kubernetes given, and Omni could not be asked: {exc.message}",
            hint="pass --talos vX.Y.Z and --kubernetes vX.Y.Z",
        ) from None


def _lint_before_writing(app: AppContext, spec: ClusterSpec, text: str) -> None:
    import tempfile

    from omni_scale.lint.context import build_context
    from omni_scale.lint.engine import lint_files

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{spec.name}.yaml"
        path.write_text(text)
        report = lint_files([path], build_context(app.project))
    errors = [p for p in report.problems if p.severity == "error"]
    if errors:
        first = errors[0]
        raise InputError(
            f"the template would not be valid: {first.message}", hint=first.hint or None
        )
    for problem in report.problems:
        app.warn(f"{problem.message} [{problem.rule}]")


def _sync(app: AppContext, target: Path) -> dict[str, Any]:
    from omni_scale.services.omnictl_ensure import ensure_client

    client = ensure_client(
        app.project,
        interactive=app.interactive,
        note=app.note,
        assume_yes=app.assume_yes,
        timeout=300,
    )
    result = client.template_sync(target)
    for warning in result.warnings:
        app.warn(f"omnictl: {warning}")
    return {"output": result.stdout}
