"""The provider's config.yaml: parsing, auth modes, secrets out of repr, whose file is which."""

from __future__ import annotations

from pathlib import Path

import pytest

from omni_scale.core.provider.config import (
    find_target,
    parse_provider_config,
    provider_targets,
)
from omni_scale.errors import InputError
from omni_scale.project import Project

TOKEN = """proxmox:
  url: https://pve1:8006/api2/json
  tokenID: "omni@pve!provider"
  tokenSecret: "0b6c2a3e-secret-value"
  insecureSkipVerify: false
"""


def test_token_config() -> None:
    cfg = parse_provider_config(TOKEN)
    assert cfg.auth_mode == "token" and cfg.identity == "omni@pve!provider"
    assert cfg.url == "https://pve1:8006/api2/json" and not cfg.insecure_skip_verify
    assert not cfg.is_root_login
    assert "0b6c2a3e-secret-value" not in repr(cfg)
    assert "0b6c2a3e-secret-value" not in str(cfg)


def test_password_wins_and_builds_identity() -> None:
    cfg = parse_provider_config(TOKEN + "  username: root\n  password: hunter2\n  realm: pam\n")
    assert cfg.auth_mode == "password" and cfg.identity == "root@pam" and cfg.is_root_login
    assert "hunter2" not in repr(cfg) and "hunter2" not in str(cfg)


def test_root_token_is_not_root() -> None:
    cfg = parse_provider_config(TOKEN.replace("omni@pve!provider", "root@pam!omni"))
    assert not cfg.is_root_login


def test_url_without_api_root_is_refused_with_line() -> None:
    with pytest.raises(InputError) as info:
        parse_provider_config(TOKEN.replace("/api2/json", ""), path="docker/config.yaml")
    assert info.value.line == 2 and "/api2/json" in info.value.message
    assert info.value.hint and "api2/json" in info.value.hint


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("other: 1\n", "no `proxmox:` mapping"),
        ("proxmox:\n  tokenID: x\n", "`proxmox.url` is missing"),
        ("proxmox:\n  url: https://h/api2/json\n  insecureSkipVerify: 'no'\n", "true or false"),
    ],
)
def test_bad_configs(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_provider_config(text)


def test_default_target_without_compose(project: Path) -> None:
    [target] = provider_targets(Project(project))
    assert target.provider_id == "proxmox"
    assert target.config_path == project / "docker/config.yaml"
    assert target.snapshot_path == project / "proxmox-snapshot.json"


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
