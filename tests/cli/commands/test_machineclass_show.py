"""`omni-scale machineclass show`."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import SAMPLES


def _copy(project: Path, case: str) -> None:
    folder = project / "machine-classes"
    folder.mkdir(exist_ok=True)
    [path] = (SAMPLES / "machineclasses").glob(f"{case}-*.yaml")
    shutil.copy(path, folder / path.name)


def test_show_json_with_defaults_and_problems(cli: Any, project: Path) -> None:
    _copy(project, "mc-12")  # no sockets, no metadata.type
    result = cli(
        "--project-dir", project, "machineclass", "show", "proxmox-worker-multi-net", "--json"
    )
    assert result.code == 1
    data = result.json()
    assert data["providerid"] == "proxmox"
    assert data["providerdata"]["vlan"] == 10
    assert data["providerdata"]["network_bridge"] == "vmbr0"  # the provider's default
    assert "network_bridge" not in data["explicit"] and "vlan" in data["explicit"]
    assert data["providerdata"]["additional_nics"][1] == {
        "bridge": "vmbr2",
        "vlan": 20,
        "firewall": None,
    }
    rules = {p["rule"] for p in data["problems"]}
    assert {"mc-metadata-type", "mc-sockets-missing"} <= rules


def test_show_text(cli: Any, project: Path) -> None:
    _copy(project, "mc-08")
    result = cli("--project-dir", project, "machineclass", "show", "matrix-worker-foxtrot")
    assert result.code == 0
    assert "matrix-worker-foxtrot" in result.out
    assert "cpu_type" in result.out and "host" in result.out
    assert "network_bridge" in result.out


def test_show_broken_providerdata(cli: Any, project: Path) -> None:
    _copy(project, "mc-10")
    data = cli(
        "--project-dir", project, "machineclass", "show", "proxmox-gpu-worker", "--json"
    ).json()
    assert data["providerdata"] is None
    assert 'config value ".disk_size": is required' in data["error"]


def test_show_unknown_name(cli: Any, project: Path) -> None:
    _copy(project, "mc-08")
    result = cli("--project-dir", project, "machineclass", "show", "matrix-worker-foxtrt")
    assert result.code == 2
    assert "did you mean 'matrix-worker-foxtrot'?" in result.err
