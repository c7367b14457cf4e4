"""Secret canary: the provider key and the Proxmox secrets never leave their files.

Canary values are used as the infra-provider key (its base64 text and the private key inside
it), the Proxmox token secret and a Proxmox password. Every provider/doctor/lint/state command
runs, in success and failure, with -v and --json; no canary may appear on stdout, stderr, in
the state file, the compose file, or in the argv of a child process we start (the fakes log
their argv).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_docker import container
from fakes.fixtures_omnictl import provider_combined_status, resource
from fakes.fixtures_provider_project import TOKEN_ID, make_key

PGP_CANARY = "CANARY-PGP-9b1e4c77d2"
TOKEN_CANARY = "CANARY-TOKEN-4d1f-93aa-6c2e0b8f7a51"
PASSWORD_CANARY = "CANARY-PASSWORD-e8a2"
KEY_CANARY = make_key("infra-provider:proxmox", pgp=PGP_CANARY)
KEY_LAB_CANARY = make_key("infra-provider:lab-2", pgp=PGP_CANARY + "-lab")
CANARIES = (PGP_CANARY, TOKEN_CANARY, PASSWORD_CANARY, KEY_CANARY, KEY_LAB_CANARY)


def assert_clean(where: str, text: str) -> None:
    for canary in CANARIES:
        assert canary not in text, f"a secret canary leaked into {where}"
    # the base64 key could also leak in pieces (wrapped lines): check a long substring
    for canary in (KEY_CANARY, KEY_LAB_CANARY):
        for start in range(0, len(canary) - 24, 24):
            assert canary[start : start + 24] not in text, f"part of the key leaked into {where}"


@pytest.fixture
def world(
    project: Path,
    tmp_path: Path,
    fake_docker: Any,
    fake_omnictl: Any,
    fakepve: Any,
    fakepve_cafile: str,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, Any]:
    monkeypatch.setenv("SSL_CERT_FILE", fakepve_cafile)
    fakepve.apitokens[TOKEN_ID] = TOKEN_CANARY
    files = {}
    for name, value in (
        ("token", TOKEN_CANARY),
        ("key", KEY_CANARY),
        ("key-lab", KEY_LAB_CANARY),
        ("password", PASSWORD_CANARY),
        ("wrong-key", make_key("infra-provider:Proxmox", pgp=PGP_CANARY)),
    ):
        files[name] = tmp_path / f"{name}.txt"
        files[name].write_text(value + "\n")
    fake_omnictl.update(infraprovider_key=KEY_LAB_CANARY)
    fake_omnictl.add(
        resource("InfraProviders.omni.sidero.dev", "proxmox", namespace="infra-provider"),
        provider_combined_status("proxmox"),
        resource(
            "SysVersions.system.sidero.dev",
            "current",
            {"backendversion": "1.10.4"},
            namespace="ephemeral",
        ),
    )
    fake_docker.update(
        services=["provider-proxmox", "provider-lab-2"],
        containers=[container("provider-proxmox")],
    )
    fake_docker.set_logs(
        "provider-proxmox",
        [
            '{"level":"error","ts":1,"msg":"reconcile failed","error":"not authorized to access '
            'endpoint"}',
            'Error: resource ID must match the infra provider ID "Proxmox"',
        ],
    )
    return {
        "root": project,
        "files": files,
        "pve": fakepve.url + "/api2/json",
        "docker": fake_docker,
        "omnictl": fake_omnictl,
    }


def commands(world: dict[str, Any]) -> list[tuple[str, ...]]:
    f = world["files"]
    base = (
        "--omni-endpoint",
        "https://omni.example.com",
        "--proxmox-url",
        world["pve"],
        "--token-id",
        TOKEN_ID,
    )
    return [
        # setup: success, re-run, dry run, a second provider with --create-key
        (
            "provider",
            "setup",
            *base,
            "--token-secret-file",
            str(f["token"]),
            "--key-file",
            str(f["key"]),
        ),
        ("provider", "setup"),
        ("provider", "setup", "--dry-run", "--image", "v0.2.0"),
        (
            "provider",
            "setup",
            "--id",
            "lab-2",
            *base,
            "--token-secret-file",
            str(f["token"]),
            "--create-key",
        ),
        # setup failures
        (
            "provider",
            "setup",
            "--id",
            "x1",
            *base,
            "--token-secret-file",
            str(f["token"]),
            "--key-file",
            str(f["wrong-key"]),
            "--offline",
        ),
        (
            "provider",
            "setup",
            "--id",
            "x2",
            "--omni-endpoint",
            "https://omni.example.com",
            "--proxmox-url",
            world["pve"],
            "--token-id",
            "bad-token",
            "--token-secret-file",
            str(f["token"]),
        ),
        (
            "provider",
            "setup",
            "--id",
            "x3",
            "--omni-endpoint",
            "https://omni.example.com",
            "--proxmox-url",
            world["pve"],
            "--username",
            "root@pam",
            "--password-file",
            str(f["password"]),
        ),
        ("provider", "setup", "--id", "x4", *base, "--token-secret-file", str(f["password"])),
        # run, watch, diagnose
        ("provider", "up", "--provider", "proxmox", "--timeout", "5"),
        ("provider", "up", "--provider", "lab-2", "--timeout", "1"),
        ("provider", "restart", "--provider", "proxmox", "--timeout", "5"),
        ("provider", "status", "--timeout", "10"),
        ("provider", "logs", "--diagnose"),
        ("provider", "logs", "--raw"),
        ("provider", "logs", "--provider", "nope"),
        ("provider", "down", "--provider", "lab-2"),
        ("provider", "down"),
        ("doctor",),
        ("lint",),
        ("lint", str(world["root"] / "docker")),
        ("state", "show"),
        ("state", "get", "last_status"),
    ]


@pytest.mark.slow  # ~70 command runs against the fakes: essential, so kept whole
def test_no_canary_anywhere(world: dict[str, Any], cli: Any) -> None:
    root = world["root"]
    codes = []
    for args in commands(world):
        for mode in ((), ("-v",), ("--json",)):
            result = cli("--project-dir", root, *mode, *args)
            codes.append(result.code)
            assert_clean(f"stdout of {' '.join(args)} {mode}", result.out)
            assert_clean(f"stderr of {' '.join(args)} {mode}", result.err)
    assert 0 in codes and 1 in codes and 2 in codes and 3 in codes  # successes and failures ran
    # the secrets did reach their files
    assert KEY_CANARY in (root / ".env").read_text()
    assert KEY_LAB_CANARY in (root / ".env").read_text()
    assert TOKEN_CANARY in (root / "docker" / "config.yaml").read_text()
    # and nothing else
    assert_clean("the state file", (root / ".claude" / "omni-scale.local.md").read_text())
    assert_clean("the compose file", (root / "docker" / "compose.yaml").read_text())
    assert_clean(".gitignore", (root / ".gitignore").read_text())
    for call in world["docker"].calls():
        assert_clean(f"docker argv {call['argv']}", " ".join(call["argv"]))
    omnictl_calls = world["omnictl"].calls()
    assert any(c["argv"][:2] == ["infraprovider", "create"] for c in omnictl_calls)
    for call in omnictl_calls:
        assert_clean("omnictl argv", " ".join(call["argv"]))
    compose_calls = world["docker"].compose_calls("up")
    assert compose_calls and all("--env-file" in argv for argv in compose_calls)


def test_canary_not_in_a_process_run(world: dict[str, Any], cli_proc: Any) -> None:
    f = world["files"]
    result = cli_proc(
        "--project-dir",
        world["root"],
        "-v",
        "provider",
        "setup",
        "--omni-endpoint",
        "https://omni.example.com",
        "--proxmox-url",
        "https://127.0.0.1:9/api2/json",
        "--token-id",
        TOKEN_ID,
        "--token-secret-file",
        str(f["token"]),
        "--key-file",
        "-",
        input=f"OMNI_SERVICE_ACCOUNT_KEY={KEY_CANARY}\n",
    )
    assert result.code == 3  # nothing listens on port 9
    assert_clean("stdout", result.out)
    assert_clean("stderr", result.err)
    assert re.search(r"127\.0\.0\.1", result.err)
