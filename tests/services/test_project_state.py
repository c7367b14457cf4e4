"""services.project_state: defaults before the file exists, KEY=VALUE parsed as YAML scalars,
unknown keys refused unless forced, the new file gitignored in a git repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from omni_scale.errors import InputError
from omni_scale.project import Project
from omni_scale.services.project_state import get_value, set_values, show_state


def test_defaults_before_the_file_exists(project: Path) -> None:
    path, exists, values = show_state(Project(project))
    assert not exists and not path.exists()
    assert values["provider_id"] == "proxmox" and values["provider_configured"] is False
    assert get_value(Project(project), "provider_id") == "proxmox"


def test_set_creates_gitignores_and_reads_back(project: Path) -> None:
    changed = set_values(Project(project), ("default_cores=4", "provider_id=lab"))
    assert changed.created and changed.updated == {"default_cores": 4, "provider_id": "lab"}
    assert ".claude/*.local.md" in (project / ".gitignore").read_text()
    assert get_value(Project(project), "default_cores") == 4
    again = set_values(Project(project), ("default_cores=",))
    assert not again.created and again.updated == {"default_cores": None}


def test_bad_assignments_and_keys(project: Path) -> None:
    with pytest.raises(InputError) as info:
        set_values(Project(project), ("default_cores",))
    assert info.value.hint == "e.g. state set default_cores=4"
    with pytest.raises(InputError):
        set_values(Project(project), ("my_key=1",))
    assert set_values(Project(project), ("my_key=1",), force=True).updated == {"my_key": 1}
    with pytest.raises(InputError) as unknown:
        get_value(Project(project), "nope")
    assert (unknown.value.hint or "").startswith("known keys: ")
