"""Broken project files: one line with file, line and hint; exit 2; no traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.mark.parametrize(
    "args",
    [
        ("provider", "status"),
        ("provider", "up", "--no-wait"),
        ("provider", "down"),
        ("provider", "logs"),
        ("provider", "setup", "--offline"),
    ],
)
def test_broken_compose_file(project: Path, cli: Any, args: tuple[str, ...]) -> None:
    (project / "docker").mkdir()
    (project / "docker" / "compose.yaml").write_text("services:\n  p:\n    image: [unclosed\n")
    result = cli("--project-dir", project, *args)
    assert result.code == 2
    [line] = result.err.strip().splitlines()
    assert "docker/compose.yaml:4:1: invalid YAML" in line and "hint:" in line
    assert "Traceback" not in result.err


def test_compose_without_provider_service(project: Path, cli: Any) -> None:
    (project / "docker").mkdir()
    (project / "docker" / "compose.yaml").write_text("services:\n  web:\n    image: nginx:1\n")
    result = cli("--project-dir", project, "--json", "provider", "status")
    assert result.code == 2
    assert "no omni-infra-provider-proxmox service" in result.json()["error"]["message"]


def test_broken_provider_config_is_a_failed_check(provider_project: Any, cli: Any) -> None:
    root = provider_project()
    (root / "docker" / "config.yaml").write_text("proxmox:\n  url: https://pve1:8006\n")
    result = cli("--project-dir", root, "--json", "provider", "status", "--check", "proxmox")
    assert result.code == 1
    [check] = result.json()["checks"]
    assert check["status"] == "fail"
    assert "/api2/json" in check["summary"]


def test_empty_or_missing_secret_file(project: Path, tmp_path: Path, cli: Any) -> None:
    empty = tmp_path / "empty"
    empty.write_text("\n\n")
    result = cli(
        "--project-dir",
        project,
        "provider",
        "setup",
        "--offline",
        "--omni-endpoint",
        "https://omni.example.com",
        "--proxmox-url",
        "https://pve1:8006/api2/json",
        "--token-id",
        "omni@pve!p",
        "--token-secret-file",
        empty,
    )
    assert result.code == 2
    assert "file is empty" in result.err
    missing = cli(
        "--project-dir",
        project,
        "provider",
        "setup",
        "--offline",
        "--omni-endpoint",
        "https://omni.example.com",
        "--proxmox-url",
        "https://pve1:8006/api2/json",
        "--token-id",
        "omni@pve!p",
        "--token-secret-file",
        tmp_path / "nope",
    )
    assert missing.code == 2
    assert "not found" in missing.err
