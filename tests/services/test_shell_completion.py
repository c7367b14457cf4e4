"""What TAB completes from the project: class ids, provider ids, cluster names; never a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes.fixtures_pve import write_class
from omni_scale.errors import InputError
from omni_scale.project import Project
from omni_scale.services.shell_completion import (
    class_ids,
    cluster_names,
    install,
    provider_ids,
    script_path,
)

PD = "cores: 2\nmemory: 4096\n"
PROVIDER = "ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0"


def test_class_ids_are_the_classes_that_load(project: Path) -> None:
    for name in ("workers", "control", "gpu"):
        write_class(project, name, PD)
    folder = project / "machine-classes"
    # a hand-made backup copy and a broken draft are not classes to offer
    (folder / "workers.bak.yaml").write_text(
        (folder / "workers.yaml").read_text().replace("id: workers", "id: old-workers")
    )
    (folder / "draft.yaml").write_text("metadata: {id: draft\n")
    assert class_ids(Project(project)) == ["control", "gpu", "workers"]
    assert class_ids(Project(project), "w") == ["workers"]
    assert class_ids(Project(project), "x") == []


def test_class_ids_without_a_folder_or_with_an_unreadable_one(project: Path) -> None:
    assert class_ids(Project(project)) == []
    (project / "machine-classes").write_text("a file where the folder should be\n")
    assert class_ids(Project(project)) == []
    assert class_ids(Project(project / "missing")) == []


def test_provider_ids_follow_the_compose_file(project: Path) -> None:
    assert provider_ids(Project(project)) == ["proxmox"]  # no compose file: the default
    (project / "docker").mkdir()
    compose = project / "docker" / "compose.yaml"
    compose.write_text(
        "services:\n"
        f"  main:\n    image: {PROVIDER}\n    command: [--id, proxmox]\n"
        f"  lab:\n    image: {PROVIDER}\n    command: [--id, lab]\n"
    )
    assert provider_ids(Project(project)) == ["proxmox", "lab"]
    assert provider_ids(Project(project), "l") == ["lab"]


def test_provider_ids_never_raise_on_a_bad_compose_file(project: Path) -> None:
    (project / "docker").mkdir()
    compose = project / "docker" / "compose.yaml"
    # an id that would leave its folder is refused by provider_targets (InputError)
    compose.write_text(f"services:\n  x:\n    image: {PROVIDER}\n    command: [--id, ../x]\n")
    assert provider_ids(Project(project)) == []
    compose.write_bytes(b"\x00\xff binary")
    assert provider_ids(Project(project)) == ["proxmox"]  # unreadable: the default id


def test_cluster_names_from_the_templates(project: Path) -> None:
    assert cluster_names(Project(project)) == []
    clusters = project / "clusters"
    clusters.mkdir()
    (clusters / "lab.yaml").write_text("kind: Cluster\nname: lab\n---\nkind: ControlPlane\n")
    (clusters / "prod.yaml").write_text("kind: Cluster\nname: prod\n")
    (clusters / "broken.yaml").write_text("kind: Cluster\nname: [oops\n")
    assert cluster_names(Project(project)) == ["lab", "prod"]
    assert cluster_names(Project(project), "p") == ["prod"]


def test_install_writes_once_and_keeps_the_rc_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    (home / ".zshrc").write_text("export EDITOR=vi")  # no final newline
    first = install("zsh", "#compdef omni-scale\n")
    script = tmp_path / "data" / "omni-scale" / "completion.zsh"
    assert first == {
        "script_file": str(script),
        "script_changed": True,
        "rc_file": str(home / ".zshrc"),
        "rc_changed": True,
    }
    assert script.read_text() == "#compdef omni-scale\n"
    assert (home / ".zshrc").read_text().splitlines() == [
        "export EDITOR=vi",
        f'[ -f "{script}" ] && . "{script}"  # omni-scale shell completion',
    ]
    again = install("zsh", "#compdef omni-scale\n")
    assert (again["script_changed"], again["rc_changed"]) == (False, False)
    changed = install("zsh", "#compdef omni-scale v2\n")
    assert (changed["script_changed"], changed["rc_changed"]) == (True, False)


def test_install_fish_uses_its_autoload_folder_and_no_rc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    result = install("fish", "complete -c omni-scale\n")
    target = tmp_path / "config" / "fish" / "completions" / "omni-scale.fish"
    assert script_path("fish") == target and target.read_text() == "complete -c omni-scale\n"
    assert (result["rc_file"], result["rc_changed"]) == (None, False)


def test_install_refuses_an_rc_file_it_cannot_read_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    rc = home / ".bashrc"
    rc.write_bytes(b"export X=\xff\xfe\n")
    with pytest.raises(InputError) as info:
        install("bash", "complete -F _omni_scale_completion omni-scale\n")
    assert ".bashrc" in info.value.one_line()
    assert rc.read_bytes() == b"export X=\xff\xfe\n"  # nothing lost
