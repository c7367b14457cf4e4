"""MachineClass loading, positions of providerdata in the file, and lookup by id."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLES
from omni_scale.core.machineclass import (
    find_machine_class,
    is_dns_label,
    load_machine_classes,
)
from omni_scale.errors import InputError
from omni_scale.project import Project

CLASS = """\
# comment
metadata:
  namespace: default
  type: MachineClasses.omni.sidero.dev
  id: {id}
spec:
  autoprovision:
    providerid: proxmox
    providerdata: |
      cores: 2
      sockets: 1
      memory: {memory}
      disk_size: 40
      storage_selector: name == "local-lvm"
"""


def _write(path: Path, cid: str = "worker", memory: int = 4096) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CLASS.format(id=cid, memory=memory))
    return path


def test_load_realworld_skips_legacy_documents() -> None:
    classes = load_machine_classes([SAMPLES / "machineclasses"])
    ids = {c.id for c in classes}
    assert "matrix-worker-foxtrot" in ids and "worker-ceph" not in ids
    foxtrot = next(c for c in classes if c.id == "matrix-worker-foxtrot")
    assert foxtrot.providerid == "matrix-cluster"
    data = foxtrot.providerdata()
    assert (data.cores, data.memory, data.node, data.disk_cache) == (8, 16384, "foxtrot", "none")


def test_fields_and_lines(tmp_path: Path) -> None:
    [mc] = load_machine_classes([_write(tmp_path / "w.yaml")])
    assert mc.id == "worker" and mc.line == 2 and mc.providerdata_line == 10
    assert mc.matchlabels is None
    assert mc.providerdata_text is not None and mc.providerdata_text.startswith("cores: 2")


def test_providerdata_error_names_the_file_line(tmp_path: Path) -> None:
    [mc] = load_machine_classes([_write(tmp_path / "w.yaml", memory=100)])
    with pytest.raises(InputError) as info:
        mc.providerdata()
    assert info.value.line == 12 and info.value.path == str(tmp_path / "w.yaml")
    assert 'config value ".memory": must be at least 2048' in info.value.message


def test_multi_document_and_other_kinds(tmp_path: Path) -> None:
    path = tmp_path / "all.yaml"
    path.write_text(
        CLASS.format(id="a", memory=4096)
        + "---\nkind: Cluster\nname: c\n---\n"
        + CLASS.format(id="b", memory=4096)
    )
    assert [c.id for c in load_machine_classes([path])] == ["a", "b"]


def test_unreadable_file_raises_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("metadata: [\n")
    with pytest.raises(InputError):
        load_machine_classes([tmp_path])
    with pytest.raises(InputError):
        load_machine_classes([tmp_path / "missing"])


def test_find_with_did_you_mean(tmp_path: Path) -> None:
    project = Project(tmp_path)
    _write(tmp_path / "machine-classes" / "worker.yaml")
    _write(tmp_path / "machine-classes" / "cp.yaml", cid="control-plane")
    assert find_machine_class(project, "control-plane").id == "control-plane"
    with pytest.raises(InputError) as info:
        find_machine_class(project, "wroker")
    assert info.value.hint == "did you mean 'worker'?"


def test_find_without_classes(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        find_machine_class(Project(tmp_path), "worker")
    assert "machineclass create worker" in (info.value.hint or "")


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("worker", True),
        ("w-1", True),
        ("Worker", False),
        ("-w", False),
        ("a/b", False),
        ("..", False),
        ("a" * 63, True),
        ("a" * 64, False),
        ("", False),
    ],
)
def test_dns_label(name: str, ok: bool) -> None:
    assert is_dns_label(name) is ok
