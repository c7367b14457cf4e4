"""`omni-scale cluster list [--offline]`"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from omni_scale.cli.context import AppContext, pass_app
from omni_scale.errors import EXIT_OK

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
    from omni_scale.services.cluster_list import list_clusters

    listing = list_clusters(app.project, offline=offline, note=app.note, warn=app.warn)
    rows, broken = listing.rows, listing.unreadable

    def render(console: Console) -> None:
        from rich.text import Text

        if not rows:
            where = "none in Omni" if listing.omni_asked else "Omni not asked"
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

    app.emit(listing.to_json(), render)
    return EXIT_OK
