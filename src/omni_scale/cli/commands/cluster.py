"""`omni-scale cluster plan | status | create | list | delete | template validate|sync|diff`"""

from __future__ import annotations

import click

from omni_scale.cli.lazy import LazyGroup

SUBCOMMANDS = (
    ("plan", "omni_scale.cli.commands.cluster_plan", "Where each template's machines land."),
    ("status", "omni_scale.cli.commands.cluster_status", "Cluster health from Omni."),
    ("create", "omni_scale.cli.commands.cluster_create", "Write a new cluster template."),
    ("template", "omni_scale.cli.commands.cluster_template", "Validate, sync, diff templates."),
    ("list", "omni_scale.cli.commands.cluster_list", "Clusters of the templates and of Omni."),
    ("delete", "omni_scale.cli.commands.cluster_delete", "Delete a cluster in Omni."),
)


@click.group("cluster", cls=LazyGroup, lazy=SUBCOMMANDS)
def command() -> None:
    """Cluster templates (clusters/*.yaml) and cluster status."""
