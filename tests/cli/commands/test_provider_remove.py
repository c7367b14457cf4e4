"""`provider remove`: compose service, config, .env entries and state go; a .bak of each stays."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from omni_scale.core.provider.compose import read_providers
from omni_scale.core.provider.env_file import parse_env
from omni_scale.state import read_state


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def test_dry_run_changes_nothing(provider_project: Any, cli: Any) -> None:
    root = provider_project()
    before = _snapshot(root)
    result = cli("--project-dir", root, "--json", "provider", "remove", "--dry-run")
    assert result.code == 0, result.err
    data = result.json()
    assert data["dry_run"] is True and data["provider_id"] == "proxmox"
    actions = {f["path"]: f["action"] for f in data["files"]}
    assert actions == {
        "docker/compose.yaml": "update",
        "docker/config.yaml": "remove",
        ".env": "update",
    }
    assert _snapshot(root) == before


def test_remove_the_only_provider(provider_project: Any, cli: Any) -> None:
    root = provider_project()
    config = (root / "docker" / "config.yaml").read_bytes()
    result = cli("--project-dir", root, "provider", "remove")
    assert result.code == 0, result.err
    assert "removed provider proxmox" in result.out
    assert "state: provider_configured = false" in result.out  # no Python repr
    assert "state: provider_id = unset" in result.out and "None" not in result.out
    assert read_providers((root / "docker" / "compose.yaml").read_text()) == []
    assert not (root / "docker" / "config.yaml").exists()
    backup = root / "docker" / "config.yaml.bak"
    assert backup.read_bytes() == config  # nothing lost, and still a secret file
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    env = parse_env((root / ".env").read_text())
    assert "OMNI_INFRA_PROVIDER_KEY" not in env and "OMNI_ENDPOINT" not in env
    assert "OMNI_INFRA_PROVIDER_KEY" in parse_env((root / ".env.bak").read_text())
    state = read_state(root / ".claude" / "omni-scale.local.md")
    assert state["provider_configured"] is False and state["provider_id"] is None
    # lint and doctor agree the provider is gone (no stale compose entry)
    assert cli("--project-dir", root, "provider", "remove").code == 2


def test_remove_one_of_two_keeps_the_other(provider_project: Any, cli: Any) -> None:
    root = provider_project()
    provider_project(provider_id="lab-2")
    ambiguous = cli("--project-dir", root, "provider", "remove")
    assert ambiguous.code == 2 and "--provider ID" in ambiguous.err
    result = cli("--project-dir", root, "--json", "provider", "remove", "--provider", "lab-2")
    assert result.code == 0, result.err
    [left] = read_providers((root / "docker" / "compose.yaml").read_text())
    assert left.provider_id == "proxmox"
    assert (root / "docker" / "config.yaml").is_file()
    assert not (root / "docker" / "config-lab-2.yaml").exists()
    env = parse_env((root / ".env").read_text())
    assert "OMNI_ENDPOINT" in env and "OMNI_INFRA_PROVIDER_KEY" in env
    assert result.json()["remaining_providers"] == ["proxmox"]
    lint = cli("--project-dir", root, "--json", "lint")
    assert lint.code in (0, 1) and "lab-2" not in lint.out


def test_unknown_provider_is_bad_input(provider_project: Any, cli: Any) -> None:
    root = provider_project()
    result = cli("--project-dir", root, "provider", "remove", "--provider", "nope")
    assert result.code == 2 and "providers: proxmox" in result.err
