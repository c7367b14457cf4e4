"""`omni-scale machineclass create NAME [options]`: write machine-classes/NAME.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, InputError

if TYPE_CHECKING:
    from rich.console import Console

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
    from omni_scale.services.machineclass_create import check_name, create_machine_class

    check_name(name)
    values = _collect(app, options, additional_disks, nics, pcis, from_file)
    created = create_machine_class(
        app.project,
        name,
        values,
        option_for=_option_for,
        providerid=providerid,
        force=force,
        dry_run=dry_run,
        warn=app.warn,
    )
    text, provider = created.text, created.providerid
    result: dict[str, Any] = {
        "id": name,
        "path": app.project.relative(created.target),
        "providerid": provider,
        "written": created.written,
        "warnings": [p.to_json() for p in created.warnings],
        "yaml": text,
    }
    if created.written:
        result["backup"] = str(created.backup) if created.backup else None
    for problem in created.warnings:
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
    from omni_scale.services.machineclass_create import state_defaults, values_from_file

    values = state_defaults(app.project, {k: s for k, (s, _) in STATE_DEFAULTS.items()})
    if from_file is not None:
        values.update(values_from_file(from_file))
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


def _option_for(path: tuple[str | int, ...]) -> str | None:
    if not path:
        return None
    head = str(path[0])
    names = {key: option for option, key in SCALARS.items()}
    names.update(
        {"additional_disks": "additional_disk", "additional_nics": "nic", "pci_devices": "pci"}
    )
    return "--" + names[head].replace("_", "-") if head in names else None
