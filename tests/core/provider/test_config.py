"""The provider's config.yaml: parsing, auth modes, secrets out of repr, whose file is which."""

from __future__ import annotations

import pytest

from omni_scale.core.provider.config import parse_provider_config
from omni_scale.errors import InputError

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
