"""Pure parts of provider setup: inputs checks, the key's identity, .env merging, the plan."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from omni_scale.core.provider.setup import (
    SetupInputs,
    apply_plan,
    check_env,
    check_key,
    check_token_id,
    extract_key,
    key_identity,
    key_provider_id,
    merge_env,
    normalize_proxmox_url,
    parse_env,
    plan_setup,
    read_config_values,
    read_env_values,
    split_username,
)
from omni_scale.errors import FileConflict, InputError
from omni_scale.project import Project


def make_key(name: str) -> str:
    payload = {"name": name, "pgp_key": "-----BEGIN PGP PRIVATE KEY BLOCK-----\nX\n"}
    return base64.b64encode(json.dumps(payload).encode()).decode()


def inputs(**overrides: object) -> SetupInputs:
    values: dict[str, object] = {
        "provider_id": "proxmox",
        "omni_endpoint": "https://omni.example.com",
        "proxmox_url": "https://pve1:8006/api2/json",
        "token_id": "omni@pve!provider",
        "token_secret": "11111111-2222-3333-4444-555555555555",
    }
    values.update(overrides)
    return SetupInputs(**values)  # type: ignore[arg-type]


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


def test_env_check_names_the_line_and_never_its_text() -> None:
    check_env("# c\n\nexport A=1\nB='x y'\nC=\"multi\nline\"\nD=2\n", path=".env")
    with pytest.raises(InputError) as info:
        check_env("A=1\nsecret-token-value\n", path=".env")
    assert info.value.line == 2 and "secret-token-value" not in info.value.one_line()
    with pytest.raises(InputError, match="never closed") as info:
        check_env("A=1\nB='open\n", path=".env")
    assert info.value.line == 2


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


def test_env_merge_keeps_other_lines_and_replaces_in_place() -> None:
    text = "# mine\nTS_AUTHKEY=abc\nOMNI_ENDPOINT=https://old\n"
    merged = merge_env(text, {"OMNI_ENDPOINT": "https://new", "OMNI_INFRA_PROVIDER_KEY": "k="})
    assert merged == (
        "# mine\nTS_AUTHKEY=abc\nOMNI_ENDPOINT=https://new\nOMNI_INFRA_PROVIDER_KEY=k=\n"
    )
    assert parse_env(merged)["OMNI_INFRA_PROVIDER_KEY"] == "k="
    assert parse_env("export A='x y'\n# B=1\n") == {"A": "x y"}


def test_plan_on_an_empty_project_creates_three_files(tmp_path: Path) -> None:
    plan = plan_setup(Project(tmp_path), inputs())
    assert [(f.rel, f.status) for f in plan.files] == [
        ("docker/compose.yaml", "create"),
        ("docker/config.yaml", "create"),
        (".env", "create"),
    ]
    assert not plan.key_present
    # secret values never appear in a change summary
    assert all("11111111" not in c for f in plan.files for c in f.changes)


def test_applied_plan_is_unchanged_on_rerun(tmp_path: Path) -> None:
    project = Project(tmp_path)
    apply_plan(plan_setup(project, inputs(key=make_key("infra-provider:proxmox"))))
    assert (tmp_path / "docker" / "config.yaml").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / ".env").stat().st_mode & 0o777 == 0o600
    again = plan_setup(project, inputs())
    assert {f.status for f in again.files} == {"unchanged"}
    assert again.key_present


def test_hand_edited_config_is_a_conflict_unless_forced(tmp_path: Path) -> None:
    project = Project(tmp_path)
    apply_plan(plan_setup(project, inputs()))
    config = tmp_path / "docker" / "config.yaml"
    config.write_text(config.read_text().replace("pve1", "pve2"))
    plan = plan_setup(project, inputs())
    [conflict] = plan.conflicts
    assert conflict.rel == "docker/config.yaml"
    assert conflict.changes == ["url: https://pve2:8006/api2/json -> https://pve1:8006/api2/json"]
    with pytest.raises(FileConflict, match="changed by hand"):
        apply_plan(plan)
    forced = plan_setup(project, inputs(), force=True)
    apply_plan(forced, force=True)
    assert "pve1" in config.read_text()
    assert "pve2" in (tmp_path / "docker" / "config.yaml.bak").read_text()
    assert (tmp_path / "docker" / "config.yaml.bak").stat().st_mode & 0o777 == 0o600


def test_adding_a_variable_to_a_hand_written_env_needs_no_force(tmp_path: Path) -> None:
    project = Project(tmp_path)
    (tmp_path / ".env").write_text("TS_AUTHKEY=abc\n")
    plan = plan_setup(project, inputs())
    env = next(f for f in plan.files if f.rel == ".env")
    assert env.status == "update" and env.additive
    apply_plan(plan)
    assert parse_env((tmp_path / ".env").read_text()) == {
        "TS_AUTHKEY": "abc",
        "OMNI_ENDPOINT": "https://omni.example.com",
    }


def test_password_mode_writes_username_realm_and_warns(tmp_path: Path) -> None:
    plan = plan_setup(
        Project(tmp_path),
        inputs(token_id=None, token_secret=None, username="root", password="pw", realm="pam"),
    )
    config = next(f for f in plan.files if f.rel == "docker/config.yaml")
    assert "username: root" in config.content and "realm: pam" in config.content
    assert "tokenID" not in config.content
    assert any("2 h ticket" in w for w in plan.warnings)


def test_compose_errors_count_the_stamp_line(tmp_path: Path) -> None:
    from omni_scale.fs.safe_write import write_managed

    project = Project(tmp_path)
    write_managed(project.compose_file, "name: lab\nservices: 3\n")
    with pytest.raises(InputError, match="'services' is not a mapping") as info:
        plan_setup(project, inputs())
    assert info.value.line == 3  # stamp, name, services
    write_managed(project.compose_file, "services:\n  a: [x\n", force=True)
    with pytest.raises(InputError, match="invalid YAML") as info:
        plan_setup(project, inputs())
    assert info.value.line == 4
