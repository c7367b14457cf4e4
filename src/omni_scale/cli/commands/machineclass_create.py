"""`omni-scale machineclass create NAME [options]`: write machine-classes/NAME.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, InputError

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.lint.context import LintContext
    from omni_scale.lint.engine import LintReport

DISK_CACHE = ("none", "writethrough", "writeback", "directsync", "unsafe")
DISK_AIO = ("native", "threads", "io_uring")

# option name -> providerdata key, for the plain scalar options
SCALARS = {
    "cores": "cores",
    "sockets": "sockets",
    "memory": "memory",
    "disk_size": "disk_size",
    "storage_selector": "storage_selector",
    "bridge": "network_bridge",
    "vlan": "vlan",
    "node": "node",
    "cpu_type": "cpu_type",
    "disk_ssd": "disk_ssd",
    "disk_discard": "disk_discard",
    "disk_iothread": "disk_iothread",
    "disk_cache": "disk_cache",
    "disk_aio": "disk_aio",
    "machine_type": "machine_type",
    "numa": "numa",
    "hugepages": "hugepages",
}
# providerdata key -> (state key, option) for the defaults taken from the state file
STATE_DEFAULTS = {
    "cores": ("default_cores", "--cores"),
    "sockets": ("default_sockets", "--sockets"),
    "memory": ("default_memory", "--memory"),
    "disk_size": ("default_disk", "--disk-size"),
    "storage_selector": ("storage_selector", "--storage-selector"),
    "network_bridge": ("default_bridge", "--bridge"),
}
REQUIRED = ("cores", "memory", "disk_size", "storage_selector")


def _positive(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None and value < 0:
        raise click.BadParameter("must not be negative")
    return value


@click.command("create")
@click.argument("name")
@click.option("--cores", type=int, help="CPU cores per socket (>= 1; state: default_cores).")
@click.option("--sockets", type=int, help="CPU sockets (>= 1; state: default_sockets).")
@click.option("--memory", type=int, help="Memory in MiB (>= 2048; state: default_memory).")
@click.option("--disk-size", type=int, help="Root disk in GiB (>= 5; state: default_disk).")
@click.option(
    "--storage-selector",
    metavar="EXPR",
    help="CEL storage selector, e.g. 'name == \"local-lvm\"' (state: storage_selector).",
)
@click.option("--bridge", help="Network bridge of the first NIC (default vmbr0).")
@click.option("--vlan", type=int, callback=_positive, help="VLAN tag of the first NIC.")
@click.option("--node", help="Pin the VMs to this Proxmox node.")
@click.option("--cpu-type", help="CPU type, e.g. host (default x86-64-v2-AES).")
@click.option("--disk-ssd/--no-disk-ssd", default=None, help="SSD emulation.")
@click.option("--disk-discard/--no-disk-discard", default=None, help="TRIM/discard.")
@click.option("--disk-iothread/--no-disk-iothread", default=None, help="Dedicated IO thread.")
@click.option("--disk-cache", type=click.Choice(DISK_CACHE), help="Disk cache mode.")
@click.option("--disk-aio", type=click.Choice(DISK_AIO), help="Async IO mode.")
@click.option("--machine-type", type=click.Choice(("q35", "i440fx")), help="Machine type.")
@click.option("--numa/--no-numa", default=None, help="NUMA topology.")
@click.option("--hugepages", type=click.Choice(("2MB", "1GB")), help="Hugepages (root@pam only).")
@click.option(
    "--additional-disk",
    "additional_disks",
    multiple=True,
    metavar="SIZE:SELECTOR",
    help="Another disk: GiB and CEL selector (repeatable).",
)
@click.option(
    "--nic", "nics", multiple=True, metavar="BRIDGE[:VLAN]", help="Another NIC (repeatable)."
)
@click.option(
    "--pci",
    "pcis",
    multiple=True,
    metavar="MAPPING[:pcie][:primary_gpu]",
    help="PCI passthrough by Proxmox resource mapping (repeatable).",
)
@click.option(
    "--from",
    "from_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Start from a YAML file: providerdata keys, a MachineClass or a legacy class.",
)
@click.option("--providerid", help="Provider id (default: the project's provider --id).")
@click.option("--force", is_flag=True, help="Replace an existing file (keeps a .bak).")
@click.option("--dry-run", is_flag=True, help="Print the YAML instead of writing it.")
@pass_app
def command(
    app: AppContext,
    /,
    name: str,
    additional_disks: tuple[str, ...],
    nics: tuple[str, ...],
    pcis: tuple[str, ...],
    from_file: Path | None,
    providerid: str | None,
    force: bool,
    dry_run: bool,
    **options: Any,
) -> int:
    """Write a new MachineClass to machine-classes/NAME.yaml.

    Values come from the options, then --from FILE, then the state file's defaults
    (default_cores, default_sockets, default_memory, default_disk, storage_selector,
    default_bridge). On a terminal, missing required values are asked for. The file is
    linted before it is written and refused when it has errors.
    """
    from omni_scale.core.machineclass.model import is_dns_label

    if not is_dns_label(name):
        raise InputError(
            f"machine class name '{name}' is not a DNS-1123 label",
            hint="use lowercase letters, digits and '-', start and end with a letter or digit, "
            "at most 63 characters (e.g. worker-ssd)",
        )
    values = _collect(app, options, additional_disks, nics, pcis, from_file)
    from omni_scale.lint.context import build_context

    ctx = build_context(app.project)
    if providerid is None:
        _require_readable_compose(app)
    provider = providerid or _default_providerid(ctx)
    data = _model(values)
    from omni_scale.core.machineclass.render import render_machine_class

    text = render_machine_class(name, provider, data)
    target = app.project.machine_classes_dir / f"{name}.yaml"
    report = _lint(text, name, target, ctx)
    _refuse_on_errors(report, app, target)
    _check_duplicate(ctx, name, target, app)
    result: dict[str, Any] = {
        "id": name,
        "path": app.project.relative(target),
        "providerid": provider,
        "written": False,
        "warnings": [p.to_json() for p in report.problems],
        "yaml": text,
    }
    if not dry_run:
        from omni_scale.fs.safe_write import write_new

        target.parent.mkdir(parents=True, exist_ok=True)
        outcome = write_new(target, text, force=force)
        result["written"] = True
        result["backup"] = str(outcome.backup) if outcome.backup else None
    for problem in report.problems:
        app.warn(f"{problem.message} ({problem.hint})" if problem.hint else problem.message)

    def render(console: Console) -> None:
        if dry_run:
            click.echo(text, nl=False)
        else:
            console.print(f"wrote {result['path']} (providerid {provider})")
            console.print(f"next: omnictl apply -f {result['path']}")

    app.emit(result, render)
    return EXIT_OK


def _collect(
    app: AppContext,
    options: dict[str, Any],
    additional_disks: tuple[str, ...],
    nics: tuple[str, ...],
    pcis: tuple[str, ...],
    from_file: Path | None,
) -> dict[str, Any]:
    """providerdata values: options over --from over state defaults, prompts for the rest."""
    from omni_scale.core.machineclass.render import (
        parse_disk_option,
        parse_nic_option,
        parse_pci_option,
    )
    from omni_scale.state import read_state

    values: dict[str, Any] = {}
    state = read_state(app.project.state_file)
    for key, (state_key, _) in STATE_DEFAULTS.items():
        if state.get(state_key) is not None:
            values[key] = state[state_key]
    if from_file is not None:
        values.update(_from_file(from_file))
    for option, key in SCALARS.items():
        if options.get(option) is not None:
            values[key] = options[option]
    if additional_disks:
        values["additional_disks"] = [parse_disk_option(v) for v in additional_disks]
    if nics:
        values["additional_nics"] = [parse_nic_option(v) for v in nics]
    if pcis:
        values["pci_devices"] = [parse_pci_option(v) for v in pcis]
    for key in REQUIRED:
        if values.get(key) is None:
            values[key] = _ask(app, key)
    return values


def _from_file(path: Path) -> dict[str, Any]:
    from omni_scale.core.machineclass.render import providerdata_from_document
    from omni_scale.yamlio import load_all, read_text_file

    docs = load_all(read_text_file(path, what="--from file"), path=path)
    docs = [d for d in docs if d is not None]
    if len(docs) != 1:
        raise InputError(
            f"--from file holds {len(docs)} YAML documents, expected one",
            path=path,
            hint="keep one providerdata mapping or one MachineClass in the file",
        )
    return providerdata_from_document(docs[0], path=str(path))


def _ask(app: AppContext, key: str) -> Any:
    state_key, option = STATE_DEFAULTS[key]
    if not app.interactive:
        raise InputError(
            f"no value for {option} (and no {state_key} in the state file)",
            hint=f"pass {option}, or set a default: omni-scale state set {state_key}=VALUE",
        )
    if key == "storage_selector":
        return click.prompt(
            'CEL storage selector (e.g. name == "local-lvm")',
            value_proc=_selector_value,
            err=True,
        )
    return click.prompt(f"{option.lstrip('-')}", type=int, err=True)


def _selector_value(text: str) -> str:
    from omni_scale.core.selector.evaluate import selector_problem

    problem = selector_problem(text)
    if problem is not None:
        raise click.UsageError(
            f"{problem.summary} ({problem.hint})" if problem.hint else problem.summary
        )
    return text


def _model(values: dict[str, Any]) -> Any:
    from omni_scale.core.machineclass.providerdata import from_mapping, issue_hint
    from omni_scale.core.machineclass.providerdata_schema import schema_issues

    issues = schema_issues(values)
    if issues:
        first = issues[0]
        option = _option_for(first.path)
        raise InputError(
            f"{first.message}" + (f" (from {option})" if option else ""),
            hint=issue_hint(first),
        )
    return from_mapping(values)


def _option_for(path: tuple[str | int, ...]) -> str | None:
    if not path:
        return None
    head = str(path[0])
    names = {key: option for option, key in SCALARS.items()}
    names.update(
        {"additional_disks": "additional_disk", "additional_nics": "nic", "pci_devices": "pci"}
    )
    return "--" + names[head].replace("_", "-") if head in names else None


def _require_readable_compose(app: AppContext) -> None:
    """The default providerid comes from docker/compose.yaml: an unreadable one is an error,
    not "no provider" (which would quietly fall back to the state file's or 'proxmox')."""
    from omni_scale.lint.document import read_source

    compose = app.project.compose_file
    if compose.is_file():
        error = read_source(compose).error
        if error is not None:
            raise error


def _default_providerid(ctx: LintContext) -> str:
    ids = sorted(ctx.provider_ids)
    if len(ids) > 1:
        raise InputError(
            f"the project runs several providers ({', '.join(ids)})",
            hint="choose one with --providerid",
        )
    return ids[0]


def _lint(text: str, name: str, target: Path, ctx: LintContext) -> LintReport:
    """Lint the new file's text as if it were `target` (in a temporary folder)."""
    import dataclasses
    import tempfile

    from omni_scale.lint.engine import lint_files

    with tempfile.TemporaryDirectory(prefix="omni-scale-") as tmp:
        path = Path(tmp) / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        report = lint_files([path], ctx)
    report.problems = [dataclasses.replace(p, path=str(target)) for p in report.problems]
    return report


def _refuse_on_errors(report: LintReport, app: AppContext, target: Path) -> None:
    errors = [p for p in report.problems if p.severity == "error"]
    if not errors:
        return
    for problem in errors[1:]:
        app.warn(f"{problem.rule}: {problem.message}")
    first = errors[0]
    raise InputError(
        f"refusing to write {app.project.relative(target)}: {first.message}"
        + (f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""),
        hint=first.hint,
    )


def _check_duplicate(ctx: LintContext, name: str, target: Path, app: AppContext) -> None:
    if ctx.machine_class_ids and name in ctx.machine_class_ids and not target.exists():
        raise InputError(
            f"machine class id '{name}' is already defined in another file of "
            f"{app.project.relative(target.parent)}/",
            hint="choose another NAME (omni-scale machineclass list shows the ids)",
        )
