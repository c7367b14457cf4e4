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


# --- classes for other infra providers (omni.md §0.6) -------------------------------------------

LIBVIRT_DATA = """
    cores: 2
    memory: 4096
    disk_size: 20
"""


def test_libvirt_class_gets_no_proxmox_schema_errors(tmp_path: Path) -> None:
    """A second provider's class: Omni checks its own schema, never Proxmox's."""
    project = make_project(tmp_path / "infra", provider_id="proxmox")
    path = project.machine_classes_dir / "libvirt.yaml"
    path.write_text(machine_class(LIBVIRT_DATA, providerid="libvirt", cid="vm"))
    report = lint(project, path)
    assert report.errors == 0, report.problems
    [warning] = report.problems
    assert warning.rule == "mc-providerid-mismatch"
    assert "another provider's class" in warning.message
    assert warning.line == 7


def test_same_class_for_the_proxmox_provider_gets_the_schema(tmp_path: Path) -> None:
    project = make_project(tmp_path / "infra", provider_id="proxmox")
    path = project.machine_classes_dir / "pve.yaml"
    path.write_text(machine_class(LIBVIRT_DATA, providerid="proxmox", cid="vm"))
    rules = {p.rule for p in lint(project, path).problems if p.severity.value == "error"}
    assert "mc-providerdata-schema" in rules


def test_unknown_id_without_project_is_a_warning_only(tmp_path: Path) -> None:
    path = tmp_path / "incus.yaml"
    path.write_text(machine_class("instance_type: c2-m4\n", providerid="incus", cid="vm"))
    report = lint(None, path)
    assert report.errors == 0
    assert [p.rule for p in report.problems] == ["mc-providerid-mismatch"]


def test_near_miss_of_the_project_id_is_an_error_with_the_schema(tmp_path: Path) -> None:
    project = make_project(tmp_path / "infra", provider_id="matrix-cluster")
    path = project.machine_classes_dir / "typo.yaml"
    path.write_text(machine_class(LIBVIRT_DATA, providerid="matrix-clustr", cid="vm"))
    problems = lint(project, path).problems
    [mismatch] = [p for p in problems if p.rule == "mc-providerid-mismatch"]
    assert mismatch.severity.value == "error"
    assert "matrix-cluster" in (mismatch.hint or "")
    assert any(p.rule == "mc-providerdata-schema" for p in problems)
