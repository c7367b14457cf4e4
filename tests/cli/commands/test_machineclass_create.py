"""`omni-scale machineclass create`."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from omni_scale.services.project_files import load_machine_classes

SEL = 'name == "local-lvm"'


def _state(project: Path, body: str) -> None:
    (project / ".claude").mkdir(exist_ok=True)
    (project / ".claude" / "omni-scale.local.md").write_text(f"---\n{body}---\n")


def _class(project: Path, name: str = "worker") -> Any:
    [mc] = load_machine_classes([project / "machine-classes" / f"{name}.yaml"])
    return mc


def test_create_with_defaults_writes_a_clean_class(cli: Any, project: Path) -> None:
    result = cli(
        "--project-dir", project, "machineclass", "create", "worker", "--storage-selector", SEL
    )
    assert result.code == 0, result.err
    assert "wrote machine-classes/worker.yaml" in result.out
    mc = _class(project)
    data = mc.providerdata()
    assert (mc.id, mc.providerid) == ("worker", "proxmox")
    assert (data.cores, data.sockets, data.memory, data.disk_size) == (2, 1, 4096, 40)
    assert data.storage_selector == SEL
    text = (project / "machine-classes" / "worker.yaml").read_text()
    assert text.startswith("# MachineClass worker: 2 vCPU, 4096 MiB memory, 40 GiB disk.")
    assert "memory: 4096  # MiB" in text
    assert cli("--project-dir", project, "lint", "--json").json()["problems"] == []


def test_every_option(cli: Any, project: Path) -> None:
    result = cli(
        "--project-dir",
        project,
        "machineclass",
        "create",
        "gpu",
        "--cores",
        "8",
        "--sockets",
        "2",
        "--memory",
        "16384",
        "--disk-size",
        "100",
        "--storage-selector",
        'storageType == "rbd"',
        "--bridge",
        "vmbr1",
        "--vlan",
        "20",
        "--node",
        "pve2",
        "--cpu-type",
        "host",
        "--disk-ssd",
        "--disk-discard",
        "--disk-iothread",
        "--disk-cache",
        "none",
        "--disk-aio",
        "io_uring",
        "--machine-type",
        "q35",
        "--numa",
        "--hugepages",
        "1GB",
        "--additional-disk",
        '500:name == "nvme"',
        "--additional-disk",
        "1000:true",
        "--nic",
        "vmbr2",
        "--nic",
        "vmbr3:30",
        "--pci",
        "rtx:pcie:primary_gpu",
        "--providerid",
        "proxmox",
        "--json",
    )
    assert result.code == 0, result.err
    assert result.json()["written"] is True
    data = _class(project, "gpu").providerdata()
    assert (data.cores, data.sockets, data.memory, data.disk_size) == (8, 2, 16384, 100)
    assert (data.network_bridge, data.vlan, data.node, data.cpu_type) == (
        "vmbr1",
        20,
        "pve2",
        "host",
    )
    assert data.disk_ssd and data.disk_discard and data.disk_iothread and data.numa
    assert (data.disk_cache, data.disk_aio, data.machine_type, data.hugepages) == (
        "none",
        "io_uring",
        "q35",
        "1GB",
    )
    assert [(d.disk_size, d.storage_selector) for d in data.additional_disks] == [
        (500, 'name == "nvme"'),
        (1000, "true"),
    ]
    assert [(n.bridge, n.vlan) for n in data.additional_nics] == [("vmbr2", None), ("vmbr3", 30)]
    assert [(p.mapping, p.pcie, p.primary_gpu) for p in data.pci_devices] == [("rtx", True, True)]


def test_state_defaults_and_project_provider_id(cli: Any, project: Path) -> None:
    _state(
        project,
        "provider_id: homelab\ndefault_cores: 4\ndefault_memory: 8192\n"
        'default_disk: 60\ndefault_sockets: 2\nstorage_selector: name == "ssd"\n'
        "default_bridge: vmbr9\n",
    )
    result = cli("--project-dir", project, "machineclass", "create", "worker")
    assert result.code == 0, result.err
    mc = _class(project)
    data = mc.providerdata()
    assert mc.providerid == "homelab"
    assert (data.cores, data.sockets, data.memory, data.disk_size) == (4, 2, 8192, 60)
    assert (data.storage_selector, data.network_bridge) == ('name == "ssd"', "vmbr9")


def test_provider_id_from_compose(cli: Any, project: Path) -> None:
    (project / "docker").mkdir()
    (project / "docker" / "compose.yaml").write_text(
        "services:\n  provider:\n    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0"
        '\n    command: ["--id=matrix-cluster"]\n'
    )
    assert (
        cli("--project-dir", project, "machineclass", "create", "w", "--storage-selector", SEL).code
        == 0
    )
    assert _class(project, "w").providerid == "matrix-cluster"


def test_from_file_plain_and_legacy(cli: Any, project: Path, tmp_path: Path) -> None:
    plain = tmp_path / "pd.yaml"
    plain.write_text(
        f"cores: 6\nsockets: 1\nmemory: 6144\ndisk_size: 50\nstorage_selector: {SEL}"
        "\ndisk_ssd: true\n"
    )
    assert (
        cli(
            "--project-dir", project, "machineclass", "create", "a", "--from", plain, "--cores", "3"
        ).code
        == 0
    )
    data = _class(project, "a").providerdata()
    assert (data.cores, data.memory, data.disk_ssd) == (3, 6144, True)  # options win
    legacy = tmp_path / "legacy.yaml"
    legacy.write_text(
        "apiVersion: infrastructure.omni.siderolabs.io/v1alpha1\nkind: MachineClass\n"
        "metadata:\n  name: w\nspec:\n  type: auto-provision\n  provider: proxmox\n  config:\n"
        f"    cpu: 4\n    memory: 8192\n    diskSize: 40\n    storageSelector: '{SEL}'\n"
    )
    result = cli("--project-dir", project, "machineclass", "create", "b", "--from", legacy)
    assert result.code == 0, result.err
    data = _class(project, "b").providerdata()
    assert (data.cores, data.memory, data.disk_size, data.storage_selector) == (4, 8192, 40, SEL)


def test_refuses_lint_errors(cli: Any, project: Path) -> None:
    result = cli(
        "--project-dir",
        project,
        "machineclass",
        "create",
        "w",
        "--storage-selector",
        'type == "rbd"',
    )
    assert result.code == 2
    assert "refusing to write machine-classes/w.yaml" in result.err
    assert "(type(type), string)" in result.err and "storageType" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (project / "machine-classes" / "w.yaml").exists()


def test_schema_error_names_the_option(cli: Any, project: Path) -> None:
    result = cli(
        "--project-dir",
        project,
        "machineclass",
        "create",
        "w",
        "--storage-selector",
        SEL,
        "--memory",
        "1024",
    )
    assert result.code == 2
    assert 'config value ".memory": must be at least 2048 (from --memory)' in result.err


def test_non_tty_never_prompts(cli_proc: Any, project: Path) -> None:
    result = cli_proc("--project-dir", project, "machineclass", "create", "w")
    assert result.code == 2
    assert "no value for --storage-selector" in result.err
    assert "omni-scale state set storage_selector=" in result.err
    assert "Traceback" not in result.err


def test_tty_prompts_for_the_selector(project: Path) -> None:
    master, slave = pty.openpty()
    env = dict(os.environ, NO_COLOR="1")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "omni_scale",
            "--project-dir",
            str(project),
            "machineclass",
            "create",
            "w",
        ],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    output = b""

    def read_until(marker: bytes, timeout: float = 20) -> None:
        nonlocal output
        end = time.monotonic() + timeout
        while marker not in output and time.monotonic() < end:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    output += os.read(master, 4096)
                except OSError:
                    return

    try:
        read_until(b"selector")
        os.write(master, b'type == "x"\n')  # invalid: asked again
        read_until(b"storageType")
        os.write(master, b'name == "local-lvm"\n')
        read_until(b"wrote")
        assert proc.wait(timeout=20) == 0, output.decode(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert _class(project, "w").providerdata().storage_selector == SEL


@pytest.mark.parametrize("name", ["Worker", "../evil", "a/b", "x-", "a" * 64, "x.yaml"])
def test_name_must_be_a_dns_label(cli: Any, project: Path, name: str) -> None:
    result = cli(
        "--project-dir", project, "machineclass", "create", name, "--storage-selector", SEL
    )
    assert result.code == 2
    assert "DNS-1123" in result.err
    assert not (project / "machine-classes").exists()


def test_existing_file_needs_force(cli: Any, project: Path) -> None:
    args = ("--project-dir", project, "machineclass", "create", "w", "--storage-selector", SEL)
    assert cli(*args).code == 0
    target = project / "machine-classes" / "w.yaml"
    target.write_text(target.read_text() + "# my notes\n")
    result = cli(*args, "--cores", "4")
    assert result.code == 2 and "already exists" in result.err
    assert "# my notes" in target.read_text()
    assert cli(*args, "--cores", "4", "--force").code == 0
    assert "# my notes" in (project / "machine-classes" / "w.yaml.bak").read_text()
    assert _class(project, "w").providerdata().cores == 4


def test_id_defined_in_another_file(cli: Any, project: Path) -> None:
    assert (
        cli("--project-dir", project, "machineclass", "create", "w", "--storage-selector", SEL).code
        == 0
    )
    (project / "machine-classes" / "w.yaml").rename(project / "machine-classes" / "other.yaml")
    result = cli("--project-dir", project, "machineclass", "create", "w", "--storage-selector", SEL)
    assert result.code == 2 and "already defined in another file" in result.err


def test_dry_run_prints_and_writes_nothing(cli: Any, project: Path) -> None:
    result = cli(
        "--project-dir",
        project,
        "machineclass",
        "create",
        "w",
        "--storage-selector",
        SEL,
        "--dry-run",
    )
    assert result.code == 0
    assert result.out.startswith("# MachineClass w:")
    assert "    providerdata: |\n      cores: 2  # per socket\n      sockets: 1\n" in result.out
    assert not (project / "machine-classes" / "w.yaml").exists()
    data = cli(
        "--project-dir",
        project,
        "machineclass",
        "create",
        "w",
        "--storage-selector",
        SEL,
        "--dry-run",
        "--json",
    ).json()
    assert data["written"] is False and data["yaml"] == result.out


@pytest.mark.parametrize(
    ("option", "value", "fragment"),
    [
        ("--additional-disk", "100", "is not SIZE:SELECTOR"),
        ("--additional-disk", "big:true", "is not a whole number"),
        ("--nic", "vmbr1:x", "is not a whole number"),
        ("--pci", "gpu:fast", "--pci flag 'fast' is unknown"),
    ],
)
def test_bad_compact_options(
    cli: Any, project: Path, option: str, value: str, fragment: str
) -> None:
    result = cli(
        "--project-dir",
        project,
        "machineclass",
        "create",
        "w",
        "--storage-selector",
        SEL,
        option,
        value,
    )
    assert result.code == 2 and fragment in result.err


def test_warnings_are_shown_but_written(cli: Any, project: Path, tmp_path: Path) -> None:
    pd = tmp_path / "pd.yaml"
    pd.write_text(f"cores: 2\nmemory: 4096\ndisk_size: 40\nstorage_selector: {SEL}\ndiskSize: 9\n")
    result = cli("--project-dir", project, "machineclass", "create", "w", "--from", pd)
    assert result.code == 0
    assert "did you mean 'disk_size'?" in result.err
    assert (project / "machine-classes" / "w.yaml").exists()
