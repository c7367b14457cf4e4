"""Reading the project's files: machine classes, provider targets, snapshots, .env, config."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLES
from omni_scale.errors import InputError
from omni_scale.project import Project
from omni_scale.services.project_files import (
    find_machine_class,
    find_target,
    load_machine_classes,
    loadable_machine_classes,
    provider_targets,
    proxmox_target,
    read_config_values,
    read_env_values,
)


def test_env_and_config_readers_count_the_stamp_line(tmp_path: Path) -> None:
    from omni_scale.fs.safe_write import write_managed

    write_managed(tmp_path / ".env", "A=1\nnot a pair\n")
    with pytest.raises(InputError) as info:
        read_env_values(tmp_path / ".env")
    assert info.value.line == 3  # stamp, A=1, the bad line
    write_managed(tmp_path / "config.yaml", "other: 1\nproxmox: 7\n")
    with pytest.raises(InputError, match="'proxmox' is not a mapping") as info:
        read_config_values(tmp_path / "config.yaml")
    assert info.value.line == 3
    assert read_env_values(tmp_path / "missing") == {}
    assert read_config_values(tmp_path / "missing") == {}
    (tmp_path / "empty.yaml").write_text("# only a comment\n")
    assert read_config_values(tmp_path / "empty.yaml") == {}


COMPOSE = """services:
  main:
    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0
    command: ["--config-file", "/config.yaml", "--id", "proxmox"]
    volumes: ["./config.yaml:/config.yaml:ro"]
  lab:
    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.2.0
    command: ["--config-file", "/etc/pve.yaml", "--id", "lab"]
    volumes:
      - type: bind
        source: ./lab.yaml
        target: /etc/pve.yaml
  other:
    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.1.0
    command: ["--id", "edge"]
"""


def test_default_target_without_compose(project: Path) -> None:
    [target] = provider_targets(Project(project))
    assert target.provider_id == "proxmox"
    assert target.config_path == project / "docker/config.yaml"
    assert target.snapshot_path == project / "proxmox-snapshot.json"


def test_several_providers_each_with_their_config_and_snapshot(project: Path) -> None:
    (project / "docker").mkdir()
    (project / "docker/compose.yaml").write_text(COMPOSE)
    targets = {t.provider_id: t for t in provider_targets(Project(project))}
    assert targets["proxmox"].config_path == project / "docker/config.yaml"
    assert targets["proxmox"].snapshot_path == project / "proxmox-snapshot.json"
    assert targets["lab"].config_path == (project / "docker/lab.yaml").resolve()
    assert targets["lab"].snapshot_path == project / "proxmox-snapshot-lab.json"
    assert targets["lab"].version == "v0.2.0"
    assert targets["edge"].config_path == project / "docker/config-edge.yaml"
    with pytest.raises(InputError, match="several providers"):
        find_target(Project(project), None)
    with pytest.raises(InputError, match="no provider with id 'nope'"):
        find_target(Project(project), "nope")
    assert find_target(Project(project), "lab").provider_id == "lab"


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


def test_loadable_machine_classes_skips_only_the_broken_file_and_says_which(
    project: Path,
) -> None:
    from fakes.fixtures_pve import write_class

    write_class(project, "workers", "cores: 2\nmemory: 4096\n")
    broken = project / "machine-classes" / "draft.yaml"
    broken.write_text("metadata:\n  id: draft\n  bad: [unclosed\n")
    warnings: list[str] = []
    classes = loadable_machine_classes(Project(project), warnings.append)
    assert [c.id for c in classes] == ["workers"]
    [warning] = warnings
    # the file (as the project names it) and its line, to fix it
    where = "machine-classes/draft.yaml:4:1: invalid YAML"
    assert warning.startswith(f"machine class file skipped: {where}")
    # without a listener the broken file is skipped silently (lint reports it)
    assert [c.id for c in loadable_machine_classes(Project(project))] == ["workers"]


def test_proxmox_target_needs_the_config_file(project: Path) -> None:
    with pytest.raises(InputError, match=r"no Proxmox config at docker/config\.yaml") as info:
        proxmox_target(Project(project), None)
    assert "provider setup" in (info.value.hint or "")
    (project / "docker").mkdir()
    (project / "docker" / "config.yaml").write_text(
        'proxmox:\n  url: "https://pve1:8006/api2/json"\n  tokenID: "a@pve!b"\n  tokenSecret: "s"\n'
    )
    target, config = proxmox_target(Project(project), None)
    assert target.provider_id == "proxmox" and config.url == "https://pve1:8006/api2/json"
