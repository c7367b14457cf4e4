"""provider setup: the plan from the project's files, and writing it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_provider_project import make_key
from omni_scale.core.provider.env_file import parse_env
from omni_scale.core.provider.setup import SetupInputs
from omni_scale.errors import FileConflict, InputError, OmniScaleError
from omni_scale.project import Project
from omni_scale.services.provider_setup import apply_plan, plan_setup


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


def test_write_setup_ignores_secrets_first_and_records_the_provider(tmp_path: Path) -> None:
    from omni_scale.services.provider_setup import write_setup
    from omni_scale.state import read_state

    project = Project(tmp_path)
    notes: list[str] = []
    plan = write_setup(project, inputs(), key_given=False, force=False, note=notes.append)
    assert [f.status for f in plan.files] == ["create", "create", "create"]
    ignored = (tmp_path / ".gitignore").read_text().splitlines()
    assert ".env" in ignored and any("config" in line for line in ignored)
    assert any(n.startswith(".gitignore: added ") for n in notes)
    state = read_state(project.state_file)
    assert state["provider_id"] == "proxmox" and state["provider_configured"] is False
    assert state["proxmox_endpoint"] == "https://pve1:8006/api2/json"
    # the key arrives on a re-run: configured now, and nothing else rewritten
    keyed = inputs(key=make_key("infra-provider:proxmox"))
    write_setup(project, keyed, key_given=True, force=False, note=notes.append)
    assert read_state(project.state_file)["provider_configured"] is True
    # a second provider beside a configured one does not take over the project's id
    write_setup(project, inputs(provider_id="lab"), key_given=False, force=False, note=print)
    assert read_state(project.state_file)["provider_id"] == "proxmox"


def test_choose_provider_id_from_option_compose_or_state(tmp_path: Path) -> None:
    from omni_scale.services.provider_setup import choose_provider_id, write_setup
    from omni_scale.state import update_state

    project = Project(tmp_path)
    assert choose_provider_id(project, None) == "proxmox"  # nothing yet: the default
    update_state(project.state_file, {"provider_id": "lab"})
    assert choose_provider_id(project, None) == "lab"  # the state file's
    with pytest.raises(InputError):
        choose_provider_id(project, "../x")
    write_setup(project, inputs(provider_id="one"), key_given=False, force=False, note=print)
    assert choose_provider_id(project, None) == "one"  # the project's only provider
    write_setup(project, inputs(provider_id="two"), key_given=False, force=False, note=print)
    with pytest.raises(InputError, match=r"several providers \(one, two\)"):
        choose_provider_id(project, None)
    assert choose_provider_id(project, "two") == "two"


def test_existing_settings_and_a_broken_state_file(tmp_path: Path) -> None:
    from omni_scale.services.provider_setup import existing_settings, setup_state

    project = Project(tmp_path)
    assert existing_settings(project, "proxmox") == ({}, {}, None)
    apply_plan(plan_setup(project, inputs(key=make_key("infra-provider:proxmox"))))
    config, env, entry = existing_settings(project, "proxmox")
    assert config["tokenID"] == "omni@pve!provider" and config["url"].startswith("https://pve1")
    assert "OMNI_INFRA_PROVIDER_KEY" in env and entry is not None
    assert entry.provider_id == "proxmox"
    project.state_file.parent.mkdir(parents=True, exist_ok=True)
    project.state_file.write_bytes(b"\x00binary")
    warnings: list[str] = []
    assert setup_state(project, warnings.append) == {}
    [warning] = warnings
    assert warning.startswith("state file ignored: ")


def test_proxmox_ca_from_the_option_or_kept_from_an_earlier_run(
    tmp_path: Path, fakepve_cafile: str
) -> None:
    from omni_scale.services.provider_setup import proxmox_ca

    project = Project(tmp_path)
    plain = inputs()
    plan = plan_setup(project, plain)
    # offline and nothing given or kept: nothing to mount (no network asked)
    assert proxmox_ca(project, plain, plan, ca_file=None, offline=True) is None
    # plain http has no certificate to trust
    http = inputs(proxmox_url="http://pve1:8006/api2/json")
    assert proxmox_ca(project, http, plan_setup(project, http), ca_file=None, offline=False) is None
    given = proxmox_ca(project, plain, plan, ca_file=Path(fakepve_cafile), offline=True)
    assert given is not None and "BEGIN CERTIFICATE" in given[0]
    assert (
        given[1] == f"the provider container trusts the CA in {fakepve_cafile} (mounted read-only)"
    )
    plain.proxmox_ca = given[0]
    apply_plan(plan_setup(project, plain))
    kept = proxmox_ca(project, inputs(), plan_setup(project, inputs()), ca_file=None, offline=True)
    assert kept is not None and kept[0].strip() == given[0].strip()
    assert kept[1].startswith("keeping the Proxmox CA in docker/")
    bad = tmp_path / "not-a-ca.pem"
    bad.write_text("hello\n")
    with pytest.raises(InputError):
        proxmox_ca(project, plain, plan, ca_file=bad, offline=True)


def test_offline_ca_warning_only_for_a_bundle_of_its_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from omni_scale.services.provider_setup import offline_ca_warning

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    assert offline_ca_warning(inputs()) is None
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt")
    assert offline_ca_warning(inputs()) is None  # the distribution's public bundle
    own = str(tmp_path / "corp-ca.pem")
    monkeypatch.setenv("SSL_CERT_FILE", own)
    warning = offline_ca_warning(inputs())
    assert warning is not None and warning.endswith(f"re-run with --proxmox-ca-file {own}")
    assert offline_ca_warning(inputs(insecure_skip_verify=True)) is None


ORIGINS = {"url": "--proxmox-url U", "id": "--token-id I", "secret": "the token secret in F"}


def test_live_check_audits_the_given_credentials(
    project: Path, fakepve: Any, fakepve_cafile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakes.fixtures_pve import TOKEN_ID, TOKEN_SECRET, WITHOUT_PCI
    from omni_scale.services.provider_setup import live_check

    monkeypatch.setenv("SSL_CERT_FILE", fakepve_cafile)
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    fakepve.grant(TOKEN_ID, "/", *[p for p in WITHOUT_PCI if p != "VM.PowerMgmt"])
    given = inputs(
        proxmox_url=fakepve.url + "/api2/json", token_id=TOKEN_ID, token_secret=TOKEN_SECRET
    )
    notes: list[str] = []
    result = live_check(Project(project), given, ORIGINS, note=notes.append, warn=print)
    assert result["checked"] is True and result["ok"] is False
    assert [row["privilege"] for row in result["missing"]] == ["VM.PowerMgmt"]
    assert any("VM.PowerMgmt" in line for line in result["grant"])
    assert notes[0] == f"checking the Proxmox credentials at {fakepve.url}/api2/json ..."


def test_live_check_refused_names_where_the_values_came_from(
    project: Path, fakepve: Any, fakepve_cafile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakes.fixtures_pve import TOKEN_ID
    from omni_scale.services.provider_setup import live_check

    monkeypatch.setenv("SSL_CERT_FILE", fakepve_cafile)
    fakepve.apitokens[TOKEN_ID] = "another-secret"
    given = inputs(proxmox_url=fakepve.url + "/api2/json", token_id=TOKEN_ID)
    with pytest.raises(OmniScaleError) as info:
        live_check(Project(project), given, ORIGINS, note=print, warn=print)
    assert info.value.exit_code == 3
    assert info.value.hint == "check --token-id I and the token secret in F"


def test_live_check_audits_for_the_release_the_image_names(
    project: Path, fakepve: Any, fakepve_cafile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As `proxmox check` does: a main build after v0.0.1 (`git describe` tag) creates no pools,
    so the pool privileges are not required of it; the same token for v0.3.0 lacks them."""
    from fakes.fixtures_pve import POOL_PRIVILEGES, TOKEN_ID, TOKEN_SECRET, WITHOUT_PCI
    from omni_scale.services.provider_setup import live_check

    monkeypatch.setenv("SSL_CERT_FILE", fakepve_cafile)
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    fakepve.grant(TOKEN_ID, "/", *[p for p in WITHOUT_PCI if p not in POOL_PRIVILEGES])
    image = "ghcr.io/siderolabs/omni-infra-provider-proxmox:"
    url = fakepve.url + "/api2/json"

    def check(tag: str) -> dict[str, Any]:
        given = inputs(proxmox_url=url, token_id=TOKEN_ID, token_secret=TOKEN_SECRET)
        given.image = image + tag
        return live_check(Project(project), given, ORIGINS, note=print, warn=print)

    assert check("v0.0.1-2-gabc1234")["ok"] is True
    newest = check("v0.3.0")
    assert newest["ok"] is False
    assert {row["privilege"] for row in newest["missing"]} == set(POOL_PRIVILEGES)
