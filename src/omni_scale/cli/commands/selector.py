"""`omni-scale selector check EXPR [--storages FILE | --snapshot FILE --node N]`"""

from __future__ import annotations

from pathlib import Path

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.cli.handlers.selector import DEFAULT_NODE
from omni_scale.cli.handlers.selector import check as check_selector_command


@click.group("selector")
def command() -> None:
    """Try CEL storage selectors the way the Proxmox provider runs them."""


@command.command(
    "check",
    short_help="Check a selector; with storages, show what the provider picks.",
    epilog="""\b
Examples:
  omni-scale selector check 'storageType == "lvmthin" && availableSpace > 107374182400u'
  pvesh get /nodes/pve1/storage --output-format json > storage.json
  omni-scale selector check 'name.startsWith("ceph")' --storages storage.json
  omni-scale selector check 'storageType == "rbd"' --snapshot proxmox-snapshot.json --node pve2""",
)
@click.argument("expr", metavar="EXPR")
@click.option(
    "--storages",
    "storages_file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="Proxmox storage list as JSON: the GET /nodes/NODE/storage response or "
    "`pvesh get /nodes/NODE/storage --output-format json`.",
)
@click.option(
    "--snapshot",
    "snapshot_file",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE",
    help="An omni-scale Proxmox snapshot (proxmox-snapshot.json); use --node to choose the node.",
)
@click.option(
    "--node",
    metavar="N",
    help="The node: its storages from --snapshot, and the `node` variable "
    f"(default {DEFAULT_NODE}).",
)
@pass_app
def check(
    app: AppContext,
    expr: str,
    storages_file: Path | None,
    snapshot_file: Path | None,
    node: str | None,
) -> int:
    """Check EXPR (use - to read it from stdin) and, given storages, show what the provider picks.

    Exit 0: valid (and, with storages, something is picked); 1: invalid, no match or an
    evaluation error; 2: a bad input file or option.
    """
    return check_selector_command(app, expr, storages_file, snapshot_file, node)
