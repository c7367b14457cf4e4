"""`cluster delete`: tear a cluster down in Omni (omnictl cluster delete); the template stays."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.errors import InputError


@dataclass(frozen=True)
class ClusterDeletion:
    """omnictl's output lines and whether the cluster was deleted (not on a dry run); `ok` is
    omnictl's exit status."""

    name: str
    dry_run: bool
    output: list[str]
    ok: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "dry_run": self.dry_run,
            "deleted": not self.dry_run,
            "output": self.output,
        }


def delete_cluster(
    omnictl: Omnictl, name: str, *, dry_run: bool, confirm: Callable[[], None]
) -> ClusterDeletion:
    """Delete cluster `name` in Omni: its machines are torn down and, for auto-provisioned
    classes, the provider deletes their VMs.

    A cluster Omni does not have is bad input. `confirm` is called before a real delete (not
    a dry run) and raises to stop."""
    if not omnictl.cluster_exists(name):
        raise InputError(
            f'cluster "{name}" does not exist in Omni',
            hint="see the clusters Omni has: omni-scale cluster list",
        )
    if not dry_run:
        confirm()
    result = omnictl.cluster_delete(name, dry_run=dry_run)
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    return ClusterDeletion(name, dry_run, lines, result.code == 0)
