"""Secrets never reach the argv of omnictl, nor any output, in the commands that
tests/test_secret_canary.py does not run: the omnictl users (cluster status, cluster create
--sync, cluster template validate/sync/diff, machineclass apply) with OMNI_SERVICE_ACCOUNT_KEY
set to a canary, and the Proxmox commands (proxmox check/snapshot, plan --live) with a canary
token secret against the loopback fakepve: in success and failure, plain, -v and --json.

The fake omnictl is told to require OMNI_SERVICE_ACCOUNT_KEY in its environment, so a success
also proves the key went through the environment (and not, say, a flag).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_omnictl import FakeOmnictl, cluster_status, machine_set_status
from fakes.fixtures_provider_project import make_key
from fakes.fixtures_pve import TOKEN_ID, write_class

KEY_CANARY = make_key("automation", pgp="CANARY-SA-PGP-71f3c0d9")
TOKEN_CANARY = "CANARY-PVE-TOKEN-0c5b7e1a-2f44"
PASSWORD_CANARY = "CANARY-PVE-PASSWORD-93d1"
MODES: tuple[tuple[str, ...], ...] = ((), ("-v",), ("--json",))
PD = 'cores: 2\nsockets: 1\nmemory: 4096\ndisk_size: 32\nstorage_selector: name == "local-lvm"\n'


def leaks(text: str) -> list[str]:
    found = [c for c in (KEY_CANARY, TOKEN_CANARY, PASSWORD_CANARY) if c in text]
    found += [
        KEY_CANARY[i : i + 24]
        for i in range(0, len(KEY_CANARY) - 24, 24)
        if KEY_CANARY[i : i + 24] in text
    ]
    return found


def run_everywhere(cli: Any, root: Path, commands: list[tuple[str, ...]]) -> list[int]:
    codes = []
    for args in commands:
        for mode in MODES:
            result = cli("--project-dir", root, *mode, *args)
            codes.append(result.code)
            where = f"{' '.join(args)} {' '.join(mode)}"
            assert not leaks(result.out), f"a secret in the stdout of {where}"
            assert not leaks(result.err), f"a secret in the stderr of {where}"
            assert "Traceback" not in result.err or mode == ("-v",), result.err
    return codes


@pytest.fixture
def omni_project(project: Path, fake_omnictl: FakeOmnictl, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OMNI_ENDPOINT", "https://omni.example.com")
    monkeypatch.setenv("OMNI_SERVICE_ACCOUNT_KEY", KEY_CANARY)
    fake_omnictl.set_backend(require_env=["OMNI_SERVICE_ACCOUNT_KEY"])
    fake_omnictl.add(
        cluster_status("talos"),
        machine_set_status("talos", "talos-control-planes"),
        machine_set_status("talos", "talos-workers"),
    )
    write_class(project, "control-planes", PD)
    write_class(project, "workers", PD)
    return project


@pytest.mark.slow  # 33 command runs through the fake omnictl
def test_omnictl_gets_the_key_by_environment_only(
    omni_project: Path, cli: Any, fake_omnictl: FakeOmnictl
) -> None:
    create = (
        "cluster",
        "create",
        "lab",
        "--cp-class",
        "control-planes",
        "--worker-class",
        "workers",
        "--talos",
        "v1.10.5",
        "--kubernetes",
        "v1.33.3",
    )
    cli("--project-dir", omni_project, *create)
    template = str(omni_project / "clusters" / "lab.yaml")
    assert Path(template).is_file()
    commands = [
        ("cluster", "status", "talos"),
        ("cluster", "status"),
        ("cluster", "status", "missing"),
        ("cluster", "template", "validate", template),
        ("cluster", "template", "diff", template),
        ("cluster", "template", "sync", "--dry-run", template),
        ("cluster", "template", "sync", template),
        ("machineclass", "apply", "--dry-run", "--all"),
        ("machineclass", "apply", "--all"),
        ("machineclass", "apply", "workers"),
        (*create, "--force", "--sync"),
        ("omnictl", "which"),
    ]
    codes = run_everywhere(cli, omni_project, commands)
    assert 0 in codes  # the fake accepted calls that needed the key in the environment
    calls = fake_omnictl.calls()
    assert {c["argv"][0] for c in calls} >= {"get", "apply", "cluster"}
    for call in calls:
        assert not leaks(" ".join(call["argv"])), f"a secret in omnictl's argv: {call['argv']}"

    # failures: Omni refuses the key, then Omni is unreachable; the errors never quote the key
    fake_omnictl.set_backend(auth="invalid-signature")
    refused = run_everywhere(cli, omni_project, commands[:1] + commands[6:7] + commands[8:9])
    assert set(refused) == {3}
    fake_omnictl.set_backend(auth="ok", unreachable="refused")
    assert set(run_everywhere(cli, omni_project, commands[:1])) == {3}
    for call in fake_omnictl.calls():
        assert not leaks(" ".join(call["argv"]))


def test_without_the_key_in_the_environment_the_fake_refuses(
    omni_project: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control for the test above: the key really is what the fake checks for."""
    monkeypatch.delenv("OMNI_SERVICE_ACCOUNT_KEY")
    result = cli("--project-dir", omni_project, "cluster", "status", "talos")
    assert result.code == 3


@pytest.fixture
def canary_pve(pve_project: Any, fakepve: Any) -> Path:
    root: Path = pve_project(tokenSecret=TOKEN_CANARY)
    fakepve.apitokens[TOKEN_ID] = TOKEN_CANARY  # after pve_project, which sets its own
    fakepve.grant(TOKEN_ID, "/", "VM.Audit", "Sys.Audit", "Datastore.Audit")
    write_class(root, "workers", PD)
    return root


def test_proxmox_commands_keep_the_token_secret(
    canary_pve: Path, cli: Any, fakepve: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    snapshot = tmp_path / "inventory.yaml"
    commands = [
        ("proxmox", "check"),
        ("proxmox", "snapshot", "-o", "-"),
        ("proxmox", "snapshot", "-o", str(snapshot)),
        ("machineclass", "plan", "--all", "--live"),
        ("check", "--live"),
    ]
    codes = run_everywhere(cli, canary_pve, commands)
    assert 0 in codes
    assert snapshot.is_file() and not leaks(snapshot.read_text())
    state = canary_pve / ".claude" / "omni-scale.local.md"
    assert not state.exists() or not leaks(state.read_text())

    # the token is refused: exit 3, and the refusal does not quote it
    fakepve.apitokens[TOKEN_ID] = "another-secret"
    assert set(run_everywhere(cli, canary_pve, commands[:2])) == {3}
    # an unknown CA: refused before any secret is sent
    monkeypatch.delenv("SSL_CERT_FILE")
    assert set(run_everywhere(cli, canary_pve, commands[:1])) == {3}


def test_a_refused_password_is_not_quoted(pve_project: Any, cli: Any) -> None:
    """tests/cli/commands/test_proxmox.py checks the plain run; here -v and --json too."""
    root = pve_project(username="root", password=PASSWORD_CANARY, realm="pam")
    commands = [("proxmox", "check"), ("proxmox", "snapshot", "-o", "-")]
    assert set(run_everywhere(cli, root, commands)) == {3}
