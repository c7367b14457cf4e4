"""Writes that fail part-way: a full disk (RLIMIT_FSIZE in a child process; tests run as root,
where permissions do not stop a write) and a project path that cannot be written (a file where
a folder must be, a folder where the file must be).

Whatever the command, the old file stays whole, no new or temp file is left behind, and one
clear line says what happened; never a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_pve import write_config
from fakes.pve_standin import StandIn, cluster_routes

# The CLI in a child whose files may not grow past LIMIT bytes: a write beyond it fails with
# EFBIG, as on a full disk (SIGXFSZ ignored so the write returns the error instead of killing).
CHILD = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from omni_scale.cli.main import main
sys.exit(main(sys.argv[2:]))
"""
LIMIT = 64  # bytes: less than any file omni-scale writes


def run_disk_full(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(LIMIT), *[str(a) for a in args]],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=dict(os.environ),
    )


def _clear_failure(code: int, err: str, expected: int = 3) -> str:
    """3: the file system refused (an environment problem)."""
    assert "Traceback" not in err and "internal error" not in err, err
    assert code == expected, err
    line = err.strip().splitlines()[-1]
    assert line.startswith("omni-scale: error: "), err
    return line


CLUSTER_CREATE = (
    "cluster", "create", "fresh", "--cp-class", "homelab-control-plane",
    "--worker-class", "homelab-worker", "--talos", "v1.10.6", "--kubernetes", "v1.33.3",
)  # fmt: skip

WRITERS: dict[str, tuple[tuple[str, ...], str]] = {
    # name: (args, the file it writes)
    "state set": (("state", "set", "default_cores=8"), ".claude/omni-scale.local.md"),
    "machineclass create": (("machineclass", "create", "fresh"), "machine-classes/fresh.yaml"),
    "machineclass create --force": (
        ("machineclass", "create", "homelab-worker", "--force"),
        "machine-classes/homelab-worker.yaml",
    ),
    "cluster create": (CLUSTER_CREATE, "clusters/fresh.yaml"),
    "cluster create --force": (
        (*CLUSTER_CREATE[:2], "homelab", *CLUSTER_CREATE[3:], "--force"),
        "clusters/homelab.yaml",
    ),
}


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_disk_full(
    name: str,
    homelab: Path,
    snapshot_tree: Callable[[Path], Callable[[], list[str]]],
) -> None:
    args, target = WRITERS[name]
    changed = snapshot_tree(homelab)
    proc = run_disk_full("--project-dir", homelab, *args)
    line = _clear_failure(proc.returncode, proc.stderr)
    assert "File too large" in line or "disk" in line, line
    assert [c for c in changed() if not c.endswith(".lock")] == [], target


def test_disk_full_provider_setup(
    project: Path,
    tmp_path: Path,
    snapshot_tree: Callable[[Path], Callable[[], list[str]]],
) -> None:
    secret = tmp_path / "secret"
    secret.write_text("5e1f0a7c-9d7b-4d7e-8c41-7f0b9a2f1c33\n")
    changed = snapshot_tree(project)
    proc = run_disk_full(
        "--project-dir", project, "provider", "setup", "--offline",
        "--omni-endpoint", "https://omni.example.com",
        "--proxmox-url", "https://pve1.example.com:8006/api2/json",
        "--token-id", "omni@pve!provider", "--token-secret-file", secret,
    )  # fmt: skip
    _clear_failure(proc.returncode, proc.stderr)
    left = [c for c in changed() if not c.endswith(".lock") and not c.endswith(" .claude")]
    assert left == [] or all(
        c.startswith("+ ") and c.endswith(("docker", ".claude")) for c in left
    ), left


def test_disk_full_proxmox_snapshot(
    homelab: Path, standin: StandIn, snapshot_tree: Callable[[Path], Callable[[], list[str]]]
) -> None:
    standin.routes.update(cluster_routes(2, 2))
    write_config(homelab, standin.url)
    changed = snapshot_tree(homelab)
    proc = run_disk_full("--project-dir", homelab, "proxmox", "snapshot")
    _clear_failure(proc.returncode, proc.stderr)
    assert [c for c in changed() if not c.endswith(".lock")] == []


# A path that cannot be written even by root: a file where a folder must be, or a folder where
# the file must be.
BLOCKED: dict[str, tuple[tuple[str, ...], Callable[[Path], None]]] = {
    "state set, .claude is a file": (
        ("state", "set", "default_cores=8"),
        lambda root: _replace_with_file(root / ".claude"),
    ),
    "machineclass create, machine-classes is a file": (
        ("machineclass", "create", "fresh", "--providerid", "proxmox"),
        lambda root: _replace_with_file(root / "machine-classes"),
    ),
    "machineclass create, the target is a folder": (
        ("machineclass", "create", "fresh", "--force"),
        lambda root: (root / "machine-classes" / "fresh.yaml").mkdir(),
    ),
    "cluster create, the target is a folder": (
        (*CLUSTER_CREATE, "--force"),
        lambda root: (root / "clusters" / "fresh.yaml").mkdir(),
    ),
    "proxmox snapshot -o a folder": (
        ("proxmox", "snapshot", "-o", "{root}/out", "--force"),
        lambda root: (root / "out").mkdir(),
    ),
}


def _replace_with_file(path: Path) -> None:
    import shutil

    shutil.rmtree(path)
    path.write_text("not a folder\n")


@pytest.mark.parametrize("name", sorted(BLOCKED))
def test_unwritable_path(
    name: str,
    homelab: Path,
    standin: StandIn,
    cli: Any,
    snapshot_tree: Callable[[Path], Callable[[], list[str]]],
) -> None:
    standin.routes.update(cluster_routes(2, 2))
    write_config(homelab, standin.url)
    args, block = BLOCKED[name]
    block(homelab)
    changed = snapshot_tree(homelab)
    result = cli("--project-dir", homelab, *[a.replace("{root}", str(homelab)) for a in args])
    # -o naming a folder is refused by the option check itself (bad usage, 2)
    _clear_failure(result.code, result.err, 2 if "-o a folder" in name else 3)
    assert [c for c in changed() if not c.endswith(".lock")] == []
