"""`omni-scale machineclass list`."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import SAMPLES


def _copy(project: Path, *cases: str) -> None:
    folder = project / "machine-classes"
    folder.mkdir(exist_ok=True)
    for case in cases:
        [path] = (SAMPLES / "machineclasses").glob(f"{case}-*.yaml")
        shutil.copy(path, folder / path.name)


def test_list_table(cli: Any, project: Path) -> None:
    _copy(project, "mc-06", "mc-08")
    result = cli("--project-dir", project, "machineclass", "list")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == ["ID", "PROVIDER", "CPU", "MEMORY", "DISK", "SELECTOR", "NODE"]
    row = next(line for line in lines if line.startswith("matrix-worker-foxtrot"))
    for cell in ("matrix-cluster", "8 x 1", "16384 MiB", "100 GiB", 'name == "vm_ssd"', "foxtrot"):
        assert cell in row


def test_list_json(cli: Any, project: Path) -> None:
    _copy(project, "mc-06", "mc-11")
    data = cli("--project-dir", project, "machineclass", "list", "--json").json()
    rows = {row["id"]: row for row in data["classes"]}
    assert rows["test-worker"]["memory"] == 2048 and rows["test-worker"]["node"] == "foxtrot"
    storage = rows["proxmox-storage-node"]
    assert storage["sockets"] is None and storage["additional_disks"] == 2
    assert set(storage) >= {
        "id",
        "providerid",
        "path",
        "cores",
        "sockets",
        "memory",
        "disk_size",
        "storage_selector",
        "node",
        "error",
    }


def test_list_reports_a_broken_class(cli: Any, project: Path) -> None:
    _copy(project, "mc-10")  # no disk_size
    result = cli("--project-dir", project, "machineclass", "list", "--json")
    assert result.code == 1
    [row] = result.json()["classes"]
    assert row["error"] == 'config value ".disk_size": is required'


def test_list_empty(cli: Any, project: Path) -> None:
    result = cli("--project-dir", project, "machineclass", "list")
    assert result.code == 0 and "no machine classes" in result.out
    assert cli("--project-dir", project, "machineclass", "list", "--json").json() == {"classes": []}


def test_list_unreadable_file_is_exit_2(cli: Any, project: Path) -> None:
    (project / "machine-classes").mkdir()
    (project / "machine-classes" / "bad.yaml").write_text("metadata: [\n")
    result = cli("--project-dir", project, "machineclass", "list")
    assert result.code == 2 and "bad.yaml" in result.err and "Traceback" not in result.err


def test_list_shows_brackets_literally(cli: Any, project: Path) -> None:
    selector = 'storageType in ["lvmthin", "rbd"] && name != "[red]x"'
    assert (
        cli(
            "--project-dir", project, "machineclass", "create", "w", "--storage-selector", selector
        ).code
        == 0
    )
    result = cli("--project-dir", project, "machineclass", "list")
    assert '["lvmthin", "rbd"]' in result.out and '"[red]x"' in result.out


def test_list_another_providers_class_is_no_error(cli: Any, project: Path) -> None:
    """A libvirt class beside the Proxmox ones: not read as Proxmox providerdata (omni.md §0.6)."""
    folder = project / "machine-classes"
    folder.mkdir(exist_ok=True)
    (folder / "vm.yaml").write_text(
        "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n  id: vm\n"
        "spec:\n  autoprovision:\n    providerid: libvirt\n    providerdata: |\n"
        "      cores: 2\n      memory: 4096\n"
    )
    result = cli("--project-dir", project, "machineclass", "list", "--json")
    assert result.code == 0, result.out
    [row] = result.json()["classes"]
    assert (row["proxmox"], row["error"], row["cores"]) == (False, None, None)
    table = cli("--project-dir", project, "machineclass", "list")
    assert "another infra provider's class" in table.out
