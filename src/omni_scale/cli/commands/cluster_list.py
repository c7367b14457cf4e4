"""`omni-scale cluster list [--offline]`"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK, OmniScaleError

if TYPE_CHECKING:
    from rich.console import Console


@click.command("list")
@click.option("--offline", is_flag=True, help="Only the project's templates; do not ask Omni.")
@pass_app
def command(app: AppContext, offline: bool) -> int:
    """The clusters of the project's templates (clusters/*.yaml) and those Omni has.

    Omni is asked through omnictl when it is installed (never installed by this command);
    when it cannot be asked, the templates are listed and a warning says why.
    """
    from omni_scale.services.cluster_catalog import cluster_rows, read_templates

    omni: list[Any] | None = None
    omni_error: str | None = None
    if not offline:
        from omni_scale.adapters.omnictl.run import Omnictl
        from omni_scale.services.cluster_status import cluster_health
        from omni_scale.services.omnictl_ensure import find_for_project

        found = find_for_project(app.project, app.note)
        if found is None:
            omni_error = "omnictl is not installed (omni-scale omnictl install)"
        else:
            try:
                omni = cluster_health(Omnictl(found.path, timeout=30.0))
            except OmniScaleError as exc:
                omni_error = exc.one_line()
        if omni_error:
            app.warn(f"Omni not asked: {omni_error}")
    rows = cluster_rows(app.project, omni)
    broken = [
        {"path": app.project.relative(t.path), "error": t.error or "no kind: Cluster document"}
        for t in read_templates(app.project)
        if t.error or not t.name
    ]
    data = {
        "clusters": [r.to_json() for r in rows],
        "omni": {"asked": omni is not None, "error": omni_error},
        "unreadable_templates": broken,
    }

    def render(console: Console) -> None:
        from rich.text import Text

        if not rows:
            where = "none in Omni" if omni is not None else "Omni not asked"
            console.print(f"no clusters (no templates in clusters/; {where})")
        width = max((len(r.name) for r in rows), default=0)
        for row in rows:
            if row.in_omni is None:
                where = "Omni: not asked"
            elif row.in_omni:
                health = "healthy" if row.healthy else "not healthy"
                where = f"in Omni, {row.phase}, {health}"
            else:
                where = "not in Omni (omni-scale cluster template sync)"
            line = Text(f"{row.name:<{width}}  ")
            line.append(row.template or "(no template)", style="" if row.template else "dim")
            line.append(f"  {where}")
            console.print(line, soft_wrap=True)
        for item in broken:
            console.print(Text(f"skipped {item['path']}: {item['error']}"), soft_wrap=True)

    app.emit(data, render)
    return EXIT_OK
