"""Piped at 80 columns (a real process, stdout not a terminal, COLUMNS=80): nothing is cut.

The reports: `proxmox check`'s "what breaks" column shrank to 5 characters, `provider setup`'s
change table hid an image version change, `state show` cut values and printed `last_status` as
a Python repr, and `cluster status --watch` left its last line without a newline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes.fixtures_omnictl import FakeOmnictl, cluster_status
from fakes.fixtures_pve import TOKEN_ID, WITHOUT_PCI

NARROW = {"COLUMNS": "80", "NO_COLOR": "1"}
IMAGE = "ghcr.io/siderolabs/omni-infra-provider-proxmox"


def test_proxmox_check_shows_what_breaks_in_full(
    pve_project: Any, cli_proc: Any, fakepve: Any
) -> None:
    root = pve_project()
    fakepve.grant(TOKEN_ID, "/", *WITHOUT_PCI[8:])
    result = cli_proc("--project-dir", root, "proxmox", "check", env=NARROW)
    assert result.code == 1, result.err
    data = cli_proc("--project-dir", root, "--json", "proxmox", "check", env=NARROW).json()
    missing = [row for row in data["privileges"] if not row["granted"]]
    assert {row["privilege"] for row in missing} == set(WITHOUT_PCI[:8])
    for row in missing:
        assert f"breaks: {row['breaks']}" in result.out, row
        assert f"MISSING  {row['privilege']}" in result.out
    assert "…" not in result.out


def test_setup_shows_an_image_version_change(provider_project: Any, cli_proc: Any) -> None:
    root = provider_project(extra=("--image", "v0.2.0"))
    result = cli_proc(
        "--project-dir", root, "provider", "setup", "--offline", "--image", "v0.3.0", "--dry-run",
        env=NARROW,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert f"image: v0.2.0 -> v0.3.0 ({IMAGE})" in result.out
    assert "…" not in result.out


def test_state_show_cuts_nothing_and_prints_yaml(provider_project: Any, cli_proc: Any) -> None:
    from omni_scale.state import update_state

    root = provider_project()
    long_problem = "proxmox: 8 privilege(s) missing " + "x" * 90
    update_state(
        root / ".claude" / "omni-scale.local.md",
        {"last_status": {"health": "degraded", "exit_code": 1, "problems": [long_problem]}},
    )
    result = cli_proc("--project-dir", root, "state", "show", env=NARROW)
    assert result.code == 0, result.err
    assert f"provider_image: {IMAGE}:v0.3.0" in result.out
    assert "proxmox_endpoint: https://pve1.example.com:8006/api2/json" in result.out
    assert long_problem in result.out
    assert "  health: degraded" in result.out
    assert "{'" not in result.out
    got = cli_proc("--project-dir", root, "state", "get", "last_status", env=NARROW)
    assert long_problem in got.out and "{'" not in got.out


def test_cluster_status_watch_ends_with_a_newline(
    project: Path, cli_proc: Any, fake_omnictl: FakeOmnictl
) -> None:
    fake_omnictl.add(cluster_status("talos", phase=1, ready=False))
    result = cli_proc(
        "--project-dir", project, "cluster", "status", "talos", "--watch", "--timeout", "1",
        "--interval", "0.3", env=NARROW,
    )  # fmt: skip
    assert result.code == 1, result.err
    once = cli_proc("--project-dir", project, "cluster", "status", "talos", env=NARROW)
    # the state did not change while watching: exactly what one `cluster status` prints,
    # down to the final newline (rich's Live dropped it)
    assert result.out == once.out and result.out.endswith("\n") and "talos" in result.out
    assert "\x1b" not in result.out  # no cursor movement written into a pipe
    assert all(len(line) <= 80 for line in result.out.splitlines())
