"""Rules that need the project: mc-providerid-mismatch, mc-provider-version, mc-duplicate-id."""

from __future__ import annotations

from pathlib import Path

from lint.mc_helpers import GOOD, by_rule, lint, machine_class, make_project, write
from omni_scale.lint.problem import Severity


def test_providerid_differs_from_compose(tmp_path: Path) -> None:
    project = make_project(tmp_path / "infra", provider_id="matrix-cluster")
    path = write(project.machine_classes_dir / "w.yaml", machine_class(GOOD))
    [problem] = by_rule(lint(project, path), "mc-providerid-mismatch")
    assert problem.severity is Severity.ERROR
    assert "matrix-cluster" in problem.message and "docker/compose.yaml" in problem.message
    assert problem.line == 7


def test_case_trap(tmp_path: Path) -> None:
    project = make_project(tmp_path / "infra", provider_id=None)  # default --id proxmox
    path = write(project.machine_classes_dir / "w.yaml", machine_class(GOOD, providerid="Proxmox"))
    [problem] = by_rule(lint(project, path), "mc-providerid-mismatch")
    assert "differs only in case" in problem.message
    assert problem.hint == "write 'providerid: proxmox'"


def test_matching_uppercase_id_warns_about_omni_1_10(tmp_path: Path) -> None:
    project = make_project(tmp_path / "infra", provider_id="Proxmox")
    path = write(project.machine_classes_dir / "w.yaml", machine_class(GOOD, providerid="Proxmox"))
    [problem] = by_rule(lint(project, path), "mc-providerid-mismatch")
    assert problem.severity is Severity.WARNING and "DNS-1123" in problem.message


def test_state_file_provider_id(tmp_path: Path) -> None:
    root = tmp_path / "infra"
    (root / ".claude").mkdir(parents=True)
    (root / ".claude" / "omni-scale.local.md").write_text("---\nprovider_id: homelab\n---\n")
    from omni_scale.project import Project

    path = write(root / "machine-classes" / "w.yaml", machine_class(GOOD, providerid="homelab"))
    assert lint(Project(root), path).problems == []
    other = write(root / "machine-classes" / "x.yaml", machine_class(GOOD, cid="x"))
    [problem] = by_rule(lint(Project(root), other), "mc-providerid-mismatch")
    assert problem.severity is Severity.ERROR and "state file" in problem.message


def test_no_project_default_id_is_only_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "w.yaml", machine_class(GOOD, providerid="homelab"))
    [problem] = by_rule(lint(None, path), "mc-providerid-mismatch")
    assert problem.severity is Severity.WARNING


def test_field_newer_than_provider_image(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "infra",
        image="ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.1.0",
    )
    path = write(
        project.machine_classes_dir / "w.yaml",
        machine_class(
            GOOD + "placement_strategy: spread\nnetwork_firewall: false\n"
            "usb_devices:\n  - mapping: sdr\n"
        ),
    )
    problems = by_rule(lint(project, path), "mc-provider-version")
    assert [p.message.split("'")[1] for p in problems] == [
        "placement_strategy",
        "usb_devices",
        "usb_devices[].mapping",
    ]
    assert all(p.severity is Severity.WARNING for p in problems)
    assert "v0.2.0" in problems[0].message and "v0.1.0" in problems[0].message


def test_no_version_warning_when_image_untagged(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "infra", image="ghcr.io/siderolabs/omni-infra-provider-proxmox:latest"
    )
    path = write(project.machine_classes_dir / "w.yaml", machine_class(GOOD + "bios: ovmf\n"))
    assert lint(project, path).problems == []


def test_duplicate_ids_across_files_and_documents(tmp_path: Path) -> None:
    a = write(tmp_path / "a.yaml", machine_class(GOOD))
    b = write(tmp_path / "b.yaml", machine_class(GOOD, cid="other") + "---\n" + machine_class(GOOD))
    problems = by_rule(lint(None, a, b), "mc-duplicate-id")
    assert len(problems) == 2
    assert {p.path for p in problems} == {str(a), str(b)}
    assert "document 2" in next(p for p in problems if p.path == str(a)).message
