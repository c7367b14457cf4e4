"""`doctor`: each line ok/warn/fail with a fix; exit 1 on any fail."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_omnictl import resource
from fakes.fixtures_pve import TOKEN_ID, WITHOUT_PCI


@pytest.fixture
def ready(provider_on_fakepve: Path, fake_docker: Any, fake_omnictl: Any) -> Path:
    """A set-up project whose token reaches fakepve with the recommended role on /."""
    root = provider_on_fakepve
    (root / "machine-classes").mkdir()
    fake_omnictl.add(
        resource(
            "SysVersions.system.sidero.dev",
            "current",
            {"backendversion": "1.10.4"},
            namespace="ephemeral",
        )
    )
    return root


def statuses(result: Any) -> dict[str, str]:
    return {c["name"]: c["status"] for c in result.json()["checks"]}


def test_all_ok(ready: Path, cli: Any) -> None:
    result = cli("--project-dir", ready, "--json", "doctor")
    assert result.code == 0, result.out
    found = statuses(result)
    assert set(found.values()) == {"ok"}, found
    for name in (
        "python",
        "docker",
        "docker engine",
        "docker compose",
        "omnictl",
        "omnictl auth",
        "compose file",
        "config proxmox",
        ".env",
        "state",
        "secret file modes",
        ".gitignore",
        "provider ids",
        "proxmox proxmox",
    ):
        assert name in found
    human = cli("--project-dir", ready, "doctor")
    assert human.out.splitlines()[-1].endswith("0 warn, 0 fail")


def test_loose_modes_and_missing_gitignore(ready: Path, cli: Any) -> None:
    (ready / ".env").chmod(0o644)
    (ready / ".gitignore").write_text("")
    result = cli("--project-dir", ready, "--json", "doctor", "--offline")
    assert result.code == 1
    checks = {c["name"]: c for c in result.json()["checks"]}
    assert checks["secret file modes"]["status"] == "fail"
    assert checks["secret file modes"]["fix"] == "chmod 600 .env"
    assert checks[".gitignore"]["status"] == "fail"
    assert checks["omnictl auth"]["status"] == "warn"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_committed_secret(ready: Path, cli: Any) -> None:
    shutil.rmtree(ready / ".git")
    subprocess.run(["git", "init", "-q", str(ready)], check=True)
    subprocess.run(["git", "-C", str(ready), "add", "-f", ".env"], check=True)
    result = cli("--project-dir", ready, "--json", "doctor", "--offline")
    assert result.code == 1
    checks = {c["name"]: c for c in result.json()["checks"]}
    assert checks[".gitignore"]["status"] == "ok"
    assert checks["committed secrets"]["status"] == "fail"
    assert "git rm --cached .env" in checks["committed secrets"]["fix"]


def test_engine_down_and_no_omnictl(provider_project: Any, fake_docker: Any, cli: Any) -> None:
    root = provider_project()
    fake_docker.update(engine="down")
    result = cli("--project-dir", root, "--json", "doctor", "--offline")
    assert result.code == 1
    checks = {c["name"]: c for c in result.json()["checks"]}
    assert checks["docker engine"]["status"] == "fail"
    assert "Cannot connect to the Docker daemon" in checks["docker engine"]["message"]
    assert checks["omnictl"]["status"] == "fail"
    assert "omnictl install" in checks["omnictl"]["fix"]


def test_omnictl_not_authenticated(ready: Path, cli: Any, fake_omnictl: Any) -> None:
    fake_omnictl.set_backend(auth="invalid-signature")
    result = cli("--project-dir", ready, "--json", "doctor")
    assert result.code == 1
    checks = {c["name"]: c for c in result.json()["checks"]}
    assert checks["omnictl auth"]["status"] == "fail"


def test_empty_project(project: Path, cli: Any, fake_docker: Any) -> None:
    result = cli("--project-dir", project, "--json", "doctor", "--offline")
    assert result.code == 1
    checks = {c["name"]: c for c in result.json()["checks"]}
    assert checks["compose file"]["status"] == "fail"
    assert checks["compose file"]["fix"] == "omni-scale provider setup"


def test_ids_and_state_disagree(ready: Path, cli: Any) -> None:
    subprocess.run(
        [
            "sed",
            "-i",
            "s/provider_id: proxmox/provider_id: Proxmox/",
            str(ready / ".claude" / "omni-scale.local.md"),
        ],
        check=True,
    )
    result = cli("--project-dir", ready, "--json", "doctor", "--offline")
    assert result.code == 1
    checks = {c["name"]: c for c in result.json()["checks"]}
    assert checks["state"]["status"] == "warn"
    assert checks["provider ids"]["status"] == "fail"
    assert "state provider_id 'Proxmox'" in checks["provider ids"]["message"]


def test_unreadable_env_is_a_failed_line(ready: Path, cli: Any) -> None:
    (ready / ".env").write_bytes(b"OMNI_ENDPOINT=caf\xe9\n")
    result = cli("--project-dir", ready, "--json", "doctor", "--offline")
    assert result.code == 1
    checks = {c["name"]: c for c in result.json()["checks"]}
    assert checks[".env"]["status"] == "fail"
    assert "not valid UTF-8" in checks[".env"]["message"]
    assert checks["provider ids"]["status"] == "fail"


def test_plain_http_proxmox_url_is_a_failed_check(ready: Path, cli: Any) -> None:
    """The report: README says plain HTTP is refused, yet doctor said ok for it."""
    config = ready / "docker" / "config.yaml"
    config.write_text(config.read_text().replace("https://127.0.0.1", "http://pve1.example.com"))
    result = cli("--project-dir", ready, "--json", "doctor", "--offline")
    assert result.code == 1
    [check] = [c for c in result.json()["checks"] if c["name"] == "config proxmox"]
    assert check["status"] == "fail" and "plain-HTTP" in check["message"]
    assert "https://pve1.example.com:" in check["fix"]


def test_token_missing_privileges_is_not_ok(ready: Path, cli: Any, fakepve: Any) -> None:
    """The report: a token missing 8 privileges was "ok" in doctor."""
    fakepve.acl = None  # the fake's ACL table: start over with a role lacking 8 privileges
    fakepve.grant(TOKEN_ID, "/", *WITHOUT_PCI[8:])
    result = cli("--project-dir", ready, "--json", "doctor")
    assert result.code == 1
    [check] = [c for c in result.json()["checks"] if c["name"] == "proxmox proxmox"]
    assert check["status"] == "fail", check
    assert "8 privilege(s) missing" in check["message"]
    assert "pveum acl modify" in check["fix"] and "VM.Allocate" in check["fix"]
