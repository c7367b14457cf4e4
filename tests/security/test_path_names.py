"""Names that become file names are validated: nothing is ever written outside the project.

`machineclass create NAME` (machine-classes/NAME.yaml), `cluster create NAME`
(clusters/NAME.yaml), `provider setup --id ID` (docker/config-ID.yaml, .env variables) refuse
`../x`, `a/b`, absolute paths, `.`/`..`, empty names and the like with exit 2 and a one-line
error; a provider id read from a hand-written docker/compose.yaml (which names the snapshot
proxmox-snapshot-ID.json and the config docker/config-ID.yaml) is checked the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_provider_project import TOKEN_ID, make_key
from fakes.fixtures_pve import write_class

BAD_NAMES = ["../x", "a/b", "/tmp/omni-scale-abs", "", ".", "..", "a\\b", "x.yaml", "a\nb", "..."]
PD = 'cores: 2\nsockets: 1\nmemory: 4096\ndisk_size: 32\nstorage_selector: name == "local-lvm"\n'


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if ".git" not in p.parts}


def one_error_line(err: str) -> bool:
    lines = [line for line in err.splitlines() if line.startswith("omni-scale: error:")]
    return len(lines) == 1 and "Traceback" not in err


@pytest.fixture
def outside(tmp_path: Path, project: Path) -> Path:
    """The project lives in tmp_path/<project>; everything else in tmp_path is 'outside'."""
    assert project.parent == tmp_path or tmp_path in project.parents
    return tmp_path


@pytest.mark.parametrize("name", BAD_NAMES)
def test_create_commands_refuse_path_names(
    name: str, project: Path, outside: Path, cli: Any, tmp_path: Path
) -> None:
    write_class(project, "workers", PD)
    (tmp_path / "secret").write_text("s3cret\n")
    (tmp_path / "key").write_text(make_key(f"infra-provider:{name}") + "\n")
    before = files_under(outside)
    commands = [
        (
            "machineclass",
            "create",
            name,
            "--cores",
            "2",
            "--memory",
            "4096",
            "--disk-size",
            "20",
            "--storage-selector",
            'name == "local-lvm"',
        ),
        ("cluster", "create", name, "--talos", "v1.10.5", "--kubernetes", "v1.33.3"),
        (
            "provider",
            "setup",
            "--offline",
            "--id",
            name,
            "--omni-endpoint",
            "https://omni.example.com",
            "--proxmox-url",
            "https://pve1.example.com:8006/api2/json",
            "--token-id",
            TOKEN_ID,
            "--token-secret-file",
            str(tmp_path / "secret"),
            "--key-file",
            str(tmp_path / "key"),
        ),
    ]
    for args in commands:
        result = cli("--project-dir", project, *args)
        assert result.code == 2, (args[:2], result.out, result.err)
        assert one_error_line(result.err), result.err
    assert files_under(outside) == before  # nothing written, inside or outside the project
    assert not Path("/tmp/omni-scale-abs.yaml").exists()


COMPOSE = """\
services:
  provider-proxmox:
    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0
    command: --id=proxmox --config-file=/config.yaml
  provider-evil:
    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0
    command: --id={evil} --config-file=/config.yaml
"""


@pytest.mark.parametrize("evil", ["../../escaped", "a/b", "..", "/tmp/omni-scale-escaped"])
def test_provider_ids_from_compose_never_leave_the_project(
    evil: str, project: Path, outside: Path, cli: Any
) -> None:
    (project / "docker").mkdir()
    (project / "docker" / "compose.yaml").write_text(COMPOSE.format(evil=evil))
    # the directories a traversal would need, as a hostile repository could ship them
    (project / "docker" / "config-..").mkdir()
    (project / "proxmox-snapshot-..").mkdir()
    write_class(project, "workers", PD)
    before = files_under(outside)
    for args in (
        ("proxmox", "snapshot", "--provider", evil, "-o", "-"),
        ("proxmox", "snapshot", "--provider", evil),
        ("proxmox", "check", "--provider", evil),
        ("machineclass", "plan", "--all"),
    ):
        result = cli("--project-dir", project, *args)
        assert result.code == 2, (args, result.out, result.err)
        assert one_error_line(result.err) and "provider id" in result.err, result.err
    assert files_under(outside) == before
