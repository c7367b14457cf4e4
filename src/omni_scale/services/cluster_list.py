"""`cluster list`: the project's cluster templates joined with the clusters Omni has."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.errors import OmniScaleError
from omni_scale.project import Project
from omni_scale.services.cluster_catalog import ClusterRow, cluster_rows, read_templates
from omni_scale.services.cluster_status import cluster_health
from omni_scale.services.omnictl_ensure import find_for_project


@dataclass
class ClusterList:
    """`cluster list`: one row a cluster name, whether Omni was asked (and why not), and the
    templates that could not be read."""

    rows: list[ClusterRow]
    omni_asked: bool
    omni_error: str | None
    unreadable: list[dict[str, str]]

    def to_json(self) -> dict[str, Any]:
        return {
            "clusters": [r.to_json() for r in self.rows],
            "omni": {"asked": self.omni_asked, "error": self.omni_error},
            "unreadable_templates": self.unreadable,
        }


def list_clusters(
    project: Project,
    *,
    offline: bool,
    note: Callable[[str], None],
    warn: Callable[[str], None],
) -> ClusterList:
    """The project's templates joined with the clusters Omni has.

    Omni is asked through the project's omnictl when it is installed (never installed here);
    when it cannot be asked (or `offline`), the templates are listed alone and, unless
    offline, `warn` says why."""
    omni: list[Any] | None = None
    omni_error: str | None = None
    if not offline:
        found = find_for_project(project, note)
        if found is None:
            omni_error = "omnictl is not installed (omni-scale omnictl install)"
        else:
            try:
                omni = cluster_health(Omnictl(found.path, timeout=30.0))
            except OmniScaleError as exc:
                omni_error = exc.one_line()
        if omni_error:
            warn(f"Omni not asked: {omni_error}")
    unreadable = [
        {"path": project.relative(t.path), "error": t.error or "no kind: Cluster document"}
        for t in read_templates(project)
        if t.error or not t.name
    ]
    return ClusterList(cluster_rows(project, omni), omni is not None, omni_error, unreadable)
