"""Shell completion: the project's names a command line can complete.

Completion runs on every TAB press, inside the user's shell: it must never fail loudly. Each
function here answers what it can and an empty list when the project cannot be read.
"""

from __future__ import annotations

from omni_scale.errors import OmniScaleError
from omni_scale.project import Project
from omni_scale.services.cluster_catalog import read_templates
from omni_scale.services.project_files import loadable_machine_classes, provider_targets


def class_ids(project: Project, incomplete: str = "") -> list[str]:
    """The sorted ids of the project's machine classes (the files that load, as plan and
    apply read them: backups skipped) starting with `incomplete`."""
    try:
        classes = loadable_machine_classes(project)
    except (OmniScaleError, OSError):
        return []
    return sorted({c.id for c in classes if c.id and c.id.startswith(incomplete)})


def provider_ids(project: Project, incomplete: str = "") -> list[str]:
    """The ids of the providers in the project's docker/compose.yaml (else the default one)
    starting with `incomplete`, in the compose file's order."""
    try:
        targets = provider_targets(project)
    except (OmniScaleError, OSError):
        return []
    return [t.provider_id for t in targets if t.provider_id.startswith(incomplete)]


def cluster_names(project: Project, incomplete: str = "") -> list[str]:
    """The sorted cluster names of the project's templates in clusters/ starting with
    `incomplete` (no Omni call while completing)."""
    try:
        templates = read_templates(project)
    except (OmniScaleError, OSError):
        return []
    return sorted({t.name for t in templates if t.name and t.name.startswith(incomplete)})
