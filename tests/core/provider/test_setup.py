"""Pure parts of provider setup: inputs checks, the key's identity, .env merging, the plan."""

from __future__ import annotations

import pytest

from fakes.fixtures_provider_project import make_key
from omni_scale.core.provider.setup import (
    Answers,
    check_key,
    check_token_id,
    extract_key,
    key_identity,
    key_provider_id,
    normalize_proxmox_url,
    setup_inputs,
    split_username,
)
from omni_scale.errors import InputError


@pytest.mark.parametrize(
    ("given", "expected", "noted"),
    [
        ("https://pve1:8006/api2/json", "https://pve1:8006/api2/json", False),
        ("https://pve1:8006/api2/json/", "https://pve1:8006/api2/json", False),
        ("https://pve1:8006", "https://pve1:8006/api2/json", True),
        ("pve1.lan", "https://pve1.lan:8006/api2/json", True),
    ],
)
def test_proxmox_url_gets_the_api_root(given: str, expected: str, noted: bool) -> None:
    url, note = normalize_proxmox_url(given)
    assert url == expected
    assert (note is not None) is noted


def test_proxmox_url_with_another_path_is_refused() -> None:
    with pytest.raises(InputError, match="does not end in /api2/json"):
        normalize_proxmox_url("https://pve1:8006/ui")


def test_proxmox_url_with_the_api_root_twice_says_so() -> None:
    with pytest.raises(InputError, match="repeats /api2/json"):
        normalize_proxmox_url("https://pve1:8006/api2/json/api2/json")
    with pytest.raises(InputError, match="does not end in /api2/json"):
        normalize_proxmox_url("https://pve1:8006/api2/json/nodes")


@pytest.mark.parametrize("bad", ["omni@pve", "provider", "omni!x", "omni@pve!"])
def test_token_id_needs_user_realm_and_name(bad: str) -> None:
    with pytest.raises(InputError, match="user@realm!tokenname"):
        check_token_id(bad)


def test_username_with_realm_is_split_so_the_realm_is_not_doubled() -> None:
    assert split_username("root@pam", None) == ("root", "pam")
    assert split_username("root@pam", "pam") == ("root", "pam")
    assert split_username("root", None) == ("root", "pam")
    with pytest.raises(InputError, match="names realm"):
        split_username("root@pam", "pve")


def test_key_identity_reads_the_name_not_the_private_key() -> None:
    key = make_key("infra-provider:proxmox")
    assert key_identity(key) == "infra-provider:proxmox"
    assert key_provider_id(key) == "proxmox"
    assert key_identity("not-a-key") is None
    assert key_provider_id(make_key("automation")) is None


def test_check_key() -> None:
    assert check_key(make_key("infra-provider:proxmox"), "proxmox") == []
    with pytest.raises(InputError, match="created for provider id 'Proxmox'"):
        check_key(make_key("infra-provider:Proxmox"), "proxmox")
    with pytest.raises(InputError, match="not to an infra provider"):
        check_key(make_key("automation"), "proxmox")
    assert "does not decode" in check_key("garbage", "proxmox")[0]


def test_extract_key_from_the_omnictl_output() -> None:
    key = make_key("infra-provider:proxmox")
    output = (
        'Your infra provider "proxmox" is ready to use\n'
        "Set the following environment variables to use the service account:\n"
        f"OMNI_ENDPOINT=https://omni.example.com\nOMNI_SERVICE_ACCOUNT_KEY={key}\n\n"
        "Note: Store the service account key securely, it will not be displayed again\n"
    )
    assert extract_key(output) == key
    assert extract_key(f"  {key}\n") == key
    with pytest.raises(InputError, match="holds no key"):
        extract_key("line one\nline two\n")


def test_setup_inputs_names_every_missing_setting_at_once() -> None:
    with pytest.raises(InputError) as info:
        setup_inputs("proxmox", Answers(password_mode=True), {}, None)
    assert str(info.value) == (
        "provider setup needs --proxmox-url, --omni-endpoint (or OMNI_ENDPOINT), --username, "
        "--password-file (or PROXMOX_PASSWORD)"
    )


def test_setup_inputs_completes_answers_from_the_current_config() -> None:
    answers = Answers(
        omni_endpoint="https://omni.example.com",
        proxmox_url="pve1:8006",
        token_id="omni@pve!provider",
        token_secret="s3cret",
    )
    inputs, notes = setup_inputs("proxmox", answers, {"insecureSkipVerify": True}, None)
    assert inputs.proxmox_url == "https://pve1:8006/api2/json" and notes
    assert inputs.insecure_skip_verify is True and inputs.auth_mode == "token"
    assert inputs.username is None and inputs.password is None
