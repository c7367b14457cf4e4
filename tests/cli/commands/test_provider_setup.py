"""`provider setup` end to end: files, modes, re-runs, several providers, keys, validity."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_provider_project import TOKEN_ID, TOKEN_SECRET, make_key
from omni_scale.core.provider.compose import read_providers
from omni_scale.core.provider.env_file import parse_env
from omni_scale.state import read_state

needs_compose = pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose is not installed"
)


def setup_args(project: Path, tmp_path: Path, *extra: str, secret: str = TOKEN_SECRET) -> list[str]:
    secret_file = tmp_path / "secret"
    secret_file.write_text(secret)
    return [
        "--project-dir",
        str(project),
        "provider",
        "setup",
        "--omni-endpoint",
        "https://omni.example.com",
        "--proxmox-url",
        "https://pve1:8006/api2/json",
        "--token-id",
        TOKEN_ID,
        "--token-secret-file",
        str(secret_file),
        "--offline",
        *extra,
    ]


def test_setup_writes_every_file(provider_project: Any) -> None:
    root = provider_project()
    compose = (root / "docker" / "compose.yaml").read_text()
    [entry] = read_providers(compose)
    assert entry.provider_id == "proxmox"
    assert entry.image == "ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0"
    for path in (root / "docker" / "config.yaml", root / ".env"):
        assert path.stat().st_mode & 0o777 == 0o600
    config = (root / "docker" / "config.yaml").read_text()
    assert "url: https://pve1.example.com:8006/api2/json" in config
    assert f"tokenID: {TOKEN_ID}" in config
    env = parse_env((root / ".env").read_text())
    assert env["OMNI_ENDPOINT"] == "https://omni.example.com"
    assert env["OMNI_INFRA_PROVIDER_KEY"] == make_key("infra-provider:proxmox")
    gitignore = (root / ".gitignore").read_text().splitlines()
    assert {".env", "docker/config.yaml", "docker/config-*.yaml"} <= set(gitignore)
    state = read_state(root / ".claude" / "omni-scale.local.md")
    assert state["provider_configured"] is True
    assert state["provider_id"] == "proxmox"
    assert state["omni_endpoint"] == "https://omni.example.com"
    assert state["proxmox_endpoint"] == "https://pve1.example.com:8006/api2/json"
    assert state["provider_image"].endswith(":v0.3.0")


@pytest.mark.needs_docker_compose
@needs_compose
def test_written_files_pass_docker_compose_config(provider_project: Any) -> None:
    root = provider_project()
    provider_project(provider_id="lab-2")
    result = subprocess.run(
        ["docker-compose", "-f", "docker/compose.yaml", "--env-file", ".env", "config", "-q"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_rerun_changes_nothing(provider_project: Any, cli: Any) -> None:
    root = provider_project()
    before = {p: p.read_text() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}
    result = cli("--project-dir", root, "--json", "provider", "setup", "--offline")
    assert result.code == 0, result.err
    assert {f["status"] for f in result.json()["files"]} == {"unchanged"}
    after = {p: p.read_text() for p in before}
    assert {k: v for k, v in after.items() if "omni-scale.local.md" not in str(k)} == {
        k: v for k, v in before.items() if "omni-scale.local.md" not in str(k)
    }


def test_rerun_with_a_new_value_shows_the_change(provider_project: Any, cli: Any) -> None:
    root = provider_project()
    result = cli(
        "--project-dir",
        root,
        "--json",
        "provider",
        "setup",
        "--offline",
        "--dry-run",
        "--proxmox-url",
        "https://pve2:8006/api2/json",
        "--image",
        "v0.2.0",
    )
    assert result.code == 0, result.err
    files = {f["path"]: f for f in result.json()["files"]}
    assert files["docker/config.yaml"]["changes"] == [
        "url: https://pve1.example.com:8006/api2/json -> https://pve2:8006/api2/json"
    ]
    assert any("v0.2.0" in c for c in files["docker/compose.yaml"]["changes"])
    assert "pve1.example.com" in (root / "docker" / "config.yaml").read_text()  # dry run


def test_hand_edits_are_kept_unless_force(provider_project: Any, cli: Any) -> None:
    root = provider_project()
    compose = root / "docker" / "compose.yaml"
    compose.write_text(compose.read_text().replace("unless-stopped", "always"))
    result = cli("--project-dir", root, "provider", "setup", "--offline", "--image", "v0.2.0")
    assert result.code == 2
    assert "changed by hand" in result.err and "--force" in result.err
    assert "v0.3.0" in compose.read_text()
    forced = cli(
        "--project-dir", root, "provider", "setup", "--offline", "--image", "v0.2.0", "--force"
    )
    assert forced.code == 0, forced.err
    assert "v0.2.0" in compose.read_text()
    assert "restart: always" in compose.read_text()  # the hand edit survives the merge
    assert (root / "docker" / "compose.yaml.bak").exists()


def test_second_provider_gets_its_own_config_and_key(provider_project: Any) -> None:
    root = provider_project()
    provider_project(provider_id="lab-2")
    entries = read_providers((root / "docker" / "compose.yaml").read_text())
    assert [(e.provider_id, e.key_variable, e.config_name) for e in entries] == [
        ("proxmox", "OMNI_INFRA_PROVIDER_KEY", "config.yaml"),
        ("lab-2", "OMNI_INFRA_PROVIDER_KEY_LAB_2", "config-lab-2.yaml"),
    ]
    assert (root / "docker" / "config-lab-2.yaml").stat().st_mode & 0o777 == 0o600
    env = parse_env((root / ".env").read_text())
    assert env["OMNI_INFRA_PROVIDER_KEY_LAB_2"] == make_key("infra-provider:lab-2")
    assert read_state(root / ".claude" / "omni-scale.local.md")["provider_id"] == "proxmox"


def test_missing_key_explains_how_to_get_one(project: Path, tmp_path: Path, cli: Any) -> None:
    result = cli(*setup_args(project, tmp_path), "--json")
    assert result.code == 1
    data = result.json()
    assert data["key"]["present"] is False
    how = "\n".join(data["key"]["how_to"])
    assert "omnictl infraprovider create proxmox" in how
    assert "--create-key" in how and "Omni UI" in how
    assert "serviceaccount create" in how and "must equal --id" in how
    assert read_state(project / ".claude" / "omni-scale.local.md")["provider_configured"] is False
    human = cli(*setup_args(project, tmp_path))
    assert "The provider key is missing" in human.out


def test_key_for_another_id_is_refused(project: Path, tmp_path: Path, cli: Any) -> None:
    key = tmp_path / "key"
    key.write_text(make_key("infra-provider:Proxmox"))
    result = cli(*setup_args(project, tmp_path), "--key-file", key)
    assert result.code == 2
    assert "created for provider id 'Proxmox'" in result.err
    assert not (project / "docker").exists()


def test_plain_service_account_key_is_refused(project: Path, tmp_path: Path, cli: Any) -> None:
    key = tmp_path / "key"
    key.write_text(make_key("automation"))
    result = cli(*setup_args(project, tmp_path), "--key-file", key)
    assert result.code == 2
    assert "not to an infra provider" in result.err


def test_key_from_stdin_with_the_whole_omnictl_output(
    project: Path, tmp_path: Path, cli_proc: Any
) -> None:
    key = make_key("infra-provider:proxmox")
    output = f"OMNI_ENDPOINT=https://omni.example.com\nOMNI_SERVICE_ACCOUNT_KEY={key}\n"
    result = cli_proc(*setup_args(project, tmp_path), "--key-file", "-", input=output)
    assert result.code == 0, result.err
    assert parse_env((project / ".env").read_text())["OMNI_INFRA_PROVIDER_KEY"] == key


def test_create_key_runs_omnictl_and_stores_the_key(
    project: Path, tmp_path: Path, cli: Any, fake_omnictl: Any
) -> None:
    key = make_key("infra-provider:proxmox")
    fake_omnictl.update(infraprovider_key=key)
    result = cli(*setup_args(project, tmp_path), "--create-key", "--json")
    assert result.code == 0, result.err
    assert result.json()["key"]["source"] == "created"
    assert parse_env((project / ".env").read_text())["OMNI_INFRA_PROVIDER_KEY"] == key
    assert key not in result.out + result.err
    assert [c["argv"][:4] for c in fake_omnictl.calls()] == [
        ["infraprovider", "create", "--", "proxmox"]
    ]


def test_password_mode_splits_the_realm_and_warns(
    project: Path, tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROXMOX_PASSWORD", "pw-value")
    result = cli(
        "--project-dir",
        project,
        "--json",
        "provider",
        "setup",
        "--offline",
        "--omni-endpoint",
        "https://omni.example.com",
        "--proxmox-url",
        "https://pve1:8006",
        "--username",
        "root@pam",
    )
    assert result.code == 1  # no key yet
    data = result.json()
    assert data["auth"] == "password"
    assert any("2 h ticket" in w for w in data["warnings"])
    config = (project / "docker" / "config.yaml").read_text()
    assert "username: root\n" in config and "realm: pam" in config
    assert "url: https://pve1:8006/api2/json" in config


def test_missing_inputs_are_named(project: Path, cli: Any) -> None:
    result = cli("--project-dir", project, "provider", "setup", "--offline")
    assert result.code == 2
    assert "--proxmox-url" in result.err and "--omni-endpoint" in result.err
    assert "--token-secret-file" in result.err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--id", "Proxmox"), "DNS-1123"),
        (("--image", "ghcr.io/siderolabs/omni-infra-provider-proxmox:latest"), "floats"),
        (("--token-id", "omni@pve"), "user@realm!tokenname"),
    ],
)
def test_bad_values_are_refused(
    project: Path, tmp_path: Path, cli: Any, extra: tuple[str, ...], message: str
) -> None:
    result = cli(*setup_args(project, tmp_path), *extra)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_live_check_against_fakepve(
    project: Path,
    tmp_path: Path,
    cli: Any,
    fakepve: Any,
    fakepve_cafile: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", fakepve_cafile)
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    args = setup_args(project, tmp_path)
    args.remove("--offline")
    args[args.index("https://pve1:8006/api2/json")] = fakepve.url + "/api2/json"
    result = cli(*args, "--json")
    assert result.code == 1, result.err  # no key, but the check ran
    assert result.json()["proxmox"]["checked"] is True
    assert result.json()["proxmox"]["version"]


def test_live_check_refused_credentials_write_nothing(
    project: Path,
    tmp_path: Path,
    cli: Any,
    fakepve: Any,
    fakepve_cafile: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", fakepve_cafile)
    fakepve.apitokens[TOKEN_ID] = "another-secret"
    args = setup_args(project, tmp_path)
    args.remove("--offline")
    args[args.index("https://pve1:8006/api2/json")] = fakepve.url + "/api2/json"
    result = cli(*args)
    assert result.code == 3
    assert "401" in result.err
    assert not (project / "docker").exists()


def _expect(fd: int, text: str, seen: bytearray, timeout: float = 20.0) -> None:
    import os
    import select
    import time

    end = time.monotonic() + timeout
    while text.encode() not in seen:
        remaining = end - time.monotonic()
        assert remaining > 0, f"prompt {text!r} not shown; got {bytes(seen)!r}"
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            assert chunk, f"process ended before {text!r}; got {bytes(seen)!r}"
            seen.extend(chunk)


def test_prompts_on_a_terminal_hide_the_secrets(project: Path) -> None:
    import os
    import pty
    import sys

    key = make_key("infra-provider:proxmox")
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "200"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "omni_scale",
            "--project-dir",
            str(project),
            "provider",
            "setup",
            "--offline",
        ],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    seen = bytearray()
    try:
        # click writes a prompt's last character through getpass, which turns echo off first:
        # answering a hidden prompt before that character is shown would race with it.
        for prompt, answer in (
            ("Omni endpoint URL", "https://omni.example.com"),
            ("Proxmox API URL", "https://pve1:8006/api2/json"),
            ("Proxmox token id", TOKEN_ID),
            ("Proxmox token secret: ", TOKEN_SECRET),
            ("Infra provider key (from `omnictl infraprovider create`; empty to skip): ", key),
        ):
            _expect(master, prompt, seen)
            os.write(master, answer.encode() + b"\r")
        _expect(master, "next: omni-scale provider up", seen)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    shown = bytes(seen).decode(errors="replace")
    assert TOKEN_SECRET not in shown and key not in shown  # hidden input is not echoed
    assert "https://omni.example.com" in shown  # plain input is
    env_values = parse_env((project / ".env").read_text())
    assert env_values["OMNI_INFRA_PROVIDER_KEY"] == key
    assert f"tokenSecret: {TOKEN_SECRET}" in (project / "docker" / "config.yaml").read_text()


def test_omni_insecure_flag_survives_a_rerun(provider_project: Any, cli: Any) -> None:
    root = provider_project(extra=("--omni-insecure-skip-verify",))
    compose = root / "docker" / "compose.yaml"
    assert "- --insecure-skip-verify" in compose.read_text()
    again = cli("--project-dir", root, "--json", "provider", "setup", "--offline")
    assert {f["status"] for f in again.json()["files"]} == {"unchanged"}
    off = cli("--project-dir", root, "provider", "setup", "--offline", "--omni-verify-tls")
    assert off.code == 0, off.err
    assert "--insecure-skip-verify" not in compose.read_text()


def test_endpoints_default_to_the_state_file(project: Path, tmp_path: Path, cli: Any) -> None:
    from omni_scale.state import update_state

    update_state(
        project / ".claude" / "omni-scale.local.md",
        {"omni_endpoint": "https://omni.lan", "proxmox_endpoint": "https://pve7:8006/api2/json"},
    )
    secret = tmp_path / "secret"
    secret.write_text(TOKEN_SECRET)
    result = cli(
        "--project-dir",
        project,
        "--json",
        "provider",
        "setup",
        "--offline",
        "--token-id",
        TOKEN_ID,
        "--token-secret-file",
        secret,
    )
    assert result.code == 1, result.err  # complete but for the key
    assert parse_env((project / ".env").read_text())["OMNI_ENDPOINT"] == "https://omni.lan"
    assert "https://pve7:8006/api2/json" in (project / "docker" / "config.yaml").read_text()


def test_hand_written_equivalent_compose_is_unchanged(
    project: Path, tmp_path: Path, cli: Any
) -> None:
    from conftest import EXAMPLE

    shutil.copytree(EXAMPLE / "docker", project / "docker")
    (project / ".env").write_text("OMNI_ENDPOINT=https://omni.example.com\n")
    before = (project / "docker" / "compose.yaml").read_text()
    key = tmp_path / "key"
    key.write_text(make_key("infra-provider:proxmox"))
    result = cli(
        "--project-dir", project, "--json", "provider", "setup", "--offline", "--key-file", key
    )
    assert result.code == 0, result.err
    statuses = {f["path"]: f["status"] for f in result.json()["files"]}
    assert statuses == {
        "docker/compose.yaml": "unchanged",
        "docker/config.yaml": "unchanged",
        ".env": "update",
    }
    assert (project / "docker" / "compose.yaml").read_text() == before
    assert parse_env((project / ".env").read_text())["OMNI_ENDPOINT"] == "https://omni.example.com"


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://pve1.example.com:8006/api2/json", 2),
        ("http://192.0.2.10:8006/api2/json", 2),
        ("http://127.0.0.1:8006/api2/json", 1),  # loopback is allowed (1: no key given yet)
    ],
)
def test_offline_setup_refuses_plain_http_off_loopback(
    project: Path, tmp_path: Path, cli: Any, url: str, code: int
) -> None:
    """The report: --offline wrote a plain-HTTP, non-loopback Proxmox URL."""
    args = setup_args(project, tmp_path)
    args[args.index("--proxmox-url") + 1] = url
    result = cli(*args)
    assert result.code == code, result.err
    if code == 1:
        assert "http://127.0.0.1:8006" in (project / "docker" / "config.yaml").read_text()
    else:
        assert "refusing plain-HTTP Proxmox URL" in result.err
        assert "use https://" in result.err
        assert not (project / "docker" / "config.yaml").exists()


def test_live_setup_audits_privileges_and_says_what_to_grant(
    project: Path,
    tmp_path: Path,
    cli: Any,
    fakepve: Any,
    fakepve_cafile: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The report: a token missing 8 privileges was "ok" in setup, whose next step was `up`."""
    from fakes.fixtures_pve import WITHOUT_PCI

    monkeypatch.setenv("SSL_CERT_FILE", fakepve_cafile)
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    fakepve.grant(TOKEN_ID, "/", *WITHOUT_PCI[8:])
    key = tmp_path / "key"
    key.write_text(make_key("infra-provider:proxmox"))
    args = setup_args(project, tmp_path, "--key-file", str(key))
    args.remove("--offline")
    args[args.index("https://pve1:8006/api2/json")] = fakepve.url + "/api2/json"
    result = cli(*args, "--json")
    assert result.code == 1, result.err
    proxmox = result.json()["proxmox"]
    assert proxmox["checked"] is True and proxmox["ok"] is False
    assert {r["privilege"] for r in proxmox["missing"]} == set(WITHOUT_PCI[:8])
    assert any("pveum acl modify" in line for line in proxmox["grant"])
    human = cli(*args)
    assert human.code == 1
    assert "Proxmox: NOT ok" in human.out and "MISSING VM.Allocate" in human.out
    assert "next: omni-scale provider up" not in human.out
    assert "pveum role" in human.out
    # once granted, the same setup is ok and says `provider up`
    fakepve.grant(TOKEN_ID, "/", *WITHOUT_PCI)
    again = cli(*args)
    assert again.code == 0, again.out + again.err
    assert "next: omni-scale provider up" in again.out


def test_state_body_next_steps_follow_setup(provider_project: Any) -> None:
    """The report: right after setup the state body still said "1. `omni-scale provider setup`"."""
    root = provider_project()
    body = (root / ".claude" / "omni-scale.local.md").read_text().split("---\n", 2)[2]
    assert "1. `omni-scale provider up`" in body
    assert "`omni-scale provider setup` to configure" not in body


def test_state_body_notes_the_user_wrote_are_kept(provider_project: Any, cli: Any) -> None:
    root = provider_project()
    state = root / ".claude" / "omni-scale.local.md"
    state.write_text(state.read_text().replace("1. `omni-scale provider up`", "1. my own step"))
    assert cli("--project-dir", root, "state", "set", "default_cores=4").code == 0
    assert "1. my own step" in state.read_text()


def test_refused_token_secret_file_error_names_that_file(
    project: Path,
    tmp_path: Path,
    cli: Any,
    fakepve: Any,
    fakepve_cafile: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The report: --token-secret-file errors pointed at docker/config.yaml (not yet written)."""
    monkeypatch.setenv("SSL_CERT_FILE", fakepve_cafile)
    fakepve.apitokens[TOKEN_ID] = "another-secret"
    args = setup_args(project, tmp_path)
    args.remove("--offline")
    args[args.index("https://pve1:8006/api2/json")] = fakepve.url + "/api2/json"
    result = cli(*args)
    assert result.code == 3
    assert "docker/config.yaml" not in result.err
    assert str(tmp_path / "secret") in result.err and f"--token-id {TOKEN_ID}" in result.err
    unreachable = setup_args(project, tmp_path)
    unreachable.remove("--offline")
    unreachable[unreachable.index("https://pve1:8006/api2/json")] = "https://127.0.0.1:9/api2/json"
    result = cli(*unreachable)
    assert result.code == 3
    assert "docker/config.yaml" not in result.err
    assert "--proxmox-url https://127.0.0.1:9/api2/json" in result.err


def test_self_signed_proxmox_ca_is_mounted_into_the_container(
    project: Path,
    tmp_path: Path,
    cli: Any,
    fakepve: Any,
    fakepve_cafile: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The report: the CA trusted on the host (SSL_CERT_FILE) never reached the container."""
    monkeypatch.setenv("SSL_CERT_FILE", fakepve_cafile)
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    key = tmp_path / "key"
    key.write_text(make_key("infra-provider:proxmox"))
    args = setup_args(project, tmp_path, "--key-file", str(key))
    args.remove("--offline")
    args[args.index("https://pve1:8006/api2/json")] = fakepve.url + "/api2/json"
    result = cli(*args, "--json")
    assert result.code == 0, result.out + result.err
    ca = project / "docker" / "proxmox-ca.pem"
    assert Path(fakepve_cafile).read_text().strip() in ca.read_text()
    compose = (project / "docker" / "compose.yaml").read_text()
    assert "./proxmox-ca.pem:/etc/ssl/certs/omni-scale-proxmox-ca.pem:ro" in compose
    assert any("not publicly trusted" in n for n in result.json()["notes"])
    # an offline re-run keeps the mount
    again = cli(*setup_args(project, tmp_path, "--key-file", str(key)), "--json")
    assert again.code == 0, again.err
    assert "omni-scale-proxmox-ca.pem" in (project / "docker" / "compose.yaml").read_text()
    if shutil.which("docker-compose"):
        done = subprocess.run(
            ["docker-compose", "-f", str(project / "docker" / "compose.yaml"), "--env-file",
             str(project / ".env"), "config"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "/etc/ssl/certs/omni-scale-proxmox-ca.pem" in done.stdout


def test_offline_setup_with_ssl_cert_file_says_how_to_mount_it(
    project: Path, tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))
    result = cli(*setup_args(project, tmp_path), "--json")
    assert any(f"--proxmox-ca-file {ca}" in w for w in result.json()["warnings"])
    given = cli(*setup_args(project, tmp_path, "--proxmox-ca-file", str(ca)), "--json")
    assert (project / "docker" / "proxmox-ca.pem").is_file(), given.err
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate\n")
    refused = cli(*setup_args(project, tmp_path, "--proxmox-ca-file", str(bad)))
    assert refused.code == 2 and "no PEM certificate" in refused.err
