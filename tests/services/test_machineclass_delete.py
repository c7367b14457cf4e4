"""`machineclass delete` as a service: refusals touch nothing, a delete keeps a .bak."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE
from fakes.fixtures_omnictl import FakeOmnictl, resource
from fakes.fixtures_pve import write_class
from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.errors import InputError
from omni_scale.project import Project
from omni_scale.services.machineclass_delete import (
    MACHINE_CLASSES,
    ClassDeletion,
    delete_class,
)

PD = "cores: 2\nmemory: 4096\n"


def _no_omnictl() -> Omnictl:
    raise AssertionError("omnictl must not be asked")


def _delete(
    root: Path,
    name: str,
    *,
    dry_run: bool = False,
    in_omni: bool = False,
    omnictl: Callable[[], Omnictl] = _no_omnictl,
    confirm: Callable[[], None] = lambda: None,
) -> tuple[ClassDeletion, list[str]]:
    said: list[str] = []
    result = delete_class(
        Project(root),
        name,
        dry_run=dry_run,
        in_omni=in_omni,
        omnictl=omnictl,
        confirm=confirm,
        warn=said.append,
    )
    return result, said


def test_refused_while_a_template_uses_the_class(tmp_path: Path) -> None:
    root = tmp_path / "homelab"
    shutil.copytree(EXAMPLE, root)
    with pytest.raises(InputError, match="still in use by machine sets: homelab-"):
        _delete(root, "homelab-worker")
    assert (root / "machine-classes" / "homelab-worker.yaml").is_file()


def test_deletes_the_file_and_keeps_a_backup(project: Path) -> None:
    path = write_class(project, "workers", PD)
    text = path.read_bytes()
    dry, _ = _delete(project, "workers", dry_run=True)
    assert path.is_file() and not path.with_name("workers.yaml.bak").exists()
    assert dry.to_json(Project(project))["files"] == [
        {"path": "machine-classes/workers.yaml", "backup": "machine-classes/workers.yaml.bak"}
    ]
    _delete(project, "workers")
    assert not path.exists() and path.with_name("workers.yaml.bak").read_bytes() == text
    with pytest.raises(InputError, match="no machine class 'workers'"):
        _delete(project, "workers")


def test_a_file_with_other_documents_is_left_alone(project: Path) -> None:
    path = write_class(project, "workers", PD)
    path.write_text(path.read_text() + "---\nkind: Something\n")
    with pytest.raises(InputError, match="holds more documents than class workers"):
        _delete(project, "workers")
    assert path.is_file()


def test_in_omni_confirms_first_and_deletes_there(project: Path, fake_omnictl: FakeOmnictl) -> None:
    path = write_class(project, "workers", PD)
    fake_omnictl.add(resource(MACHINE_CLASSES, "workers"))

    def refuse() -> None:
        raise InputError("not confirmed")

    with pytest.raises(InputError, match="not confirmed"):
        _delete(project, "workers", in_omni=True, confirm=refuse)
    assert path.is_file() and fake_omnictl.resources(MACHINE_CLASSES)
    done, said = _delete(
        project, "workers", in_omni=True, omnictl=lambda: Omnictl(fake_omnictl.path)
    )
    assert done.to_json(Project(project))["omni"]["deleted"] is True
    assert fake_omnictl.resources(MACHINE_CLASSES) == [] and not path.exists() and not said
    # Omni only, and Omni does not have it: a warning, nothing fails
    _, said = _delete(project, "gone", in_omni=True, omnictl=lambda: Omnictl(fake_omnictl.path))
    assert said == ["Omni has no machine class 'gone'"]
