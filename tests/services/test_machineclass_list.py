"""`machineclass list` as a service: one row a class, read as the right provider's."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes.fixtures_pve import write_class
from omni_scale.errors import InputError
from omni_scale.project import Project
from omni_scale.services.machineclass_list import list_classes

PD = 'cores: 2\nmemory: 4096\ndisk_size: 32\nstorage_selector: name == "local-lvm"\n'
PROVIDER = "ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0"


def _rows(root: Path) -> dict[str, dict[str, object]]:
    return {str(row["id"]): row for row in list_classes(Project(root))}


def test_rows_of_a_project_without_a_provider(project: Path) -> None:
    assert list_classes(Project(project)) == []
    write_class(project, "workers", PD)
    write_class(project, "vm", "cores: 2\nmemory: 4096\n", providerid="libvirt")
    write_class(project, "broken", 'cores: 2\nmemory: 4096\nstorage_selector: name == "x"\n')
    (project / "machine-classes" / "manual.yaml").write_text(
        "metadata:\n  id: manual\nspec:\n  matchlabels: [omni.sidero.dev/arch = amd64]\n"
    )
    rows = _rows(project)
    assert rows["workers"]["path"] == "machine-classes/workers.yaml"
    assert (rows["workers"]["cores"], rows["workers"]["disk_size"]) == (2, 32)
    assert rows["workers"]["error"] is None and rows["workers"]["proxmox"] is True
    # another id whose providerdata is not the Proxmox provider's: another provider's class
    assert (rows["vm"]["proxmox"], rows["vm"]["error"]) == (False, None)
    # the Proxmox provider's own class missing disk_size is an error row
    assert rows["broken"]["error"] == 'config value ".disk_size": is required'
    assert rows["manual"]["error"] == "manual class (matchlabels): no providerdata"


def test_with_a_provider_in_compose_other_ids_are_not_read(project: Path) -> None:
    (project / "docker").mkdir()
    (project / "docker" / "compose.yaml").write_text(
        f"services:\n  p:\n    image: {PROVIDER}\n    command: [--id, proxmox]\n"
    )
    write_class(project, "workers", PD)
    write_class(project, "lab", PD, providerid="lab")  # valid Proxmox data, another provider
    rows = _rows(project)
    assert rows["workers"]["proxmox"] is True and rows["workers"]["cores"] == 2
    assert (rows["lab"]["proxmox"], rows["lab"]["cores"]) == (False, None)


def test_a_file_that_does_not_load_is_bad_input(project: Path) -> None:
    (project / "machine-classes").mkdir()
    (project / "machine-classes" / "bad.yaml").write_text("metadata: [\n")
    with pytest.raises(InputError) as info:
        list_classes(Project(project))
    assert "bad.yaml" in info.value.one_line()
