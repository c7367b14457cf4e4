"""`omni-scale omnictl install | which` end to end (in-process and as real processes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from adapters.omnictl.conftest import (  # omnictl fixtures: loopback only, no omnictl on PATH
    asset,
    bare_path,
    github,
    leftovers,
    loopback_only,
    sysversion,
    xdg_bin,
)
from omni_scale.state import read_state, update_state

__all__ = ["asset", "bare_path", "github", "loopback_only", "xdg_bin"]

REL = "/siderolabs/omni/releases/download"


def test_which_none_found_exits_3(cli: Any, project: Path) -> None:
    result = cli("--project-dir", project, "omnictl", "which", "--json")
    assert result.code == 3
    data = result.json()
    assert data["found"] is False
    assert "PATH" in data["searched"]
    text = cli("--project-dir", project, "omnictl", "which")
    assert text.code == 3 and "omni-scale omnictl install" in text.out


def test_which_on_path(cli: Any, project: Path, fake_omnictl: Any) -> None:
    fake_omnictl.update(version="v1.10.4", api_version=2)
    result = cli("--project-dir", project, "omnictl", "which", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["path"] == str(fake_omnictl.path)
    assert (data["source"], data["version"], data["api_version"]) == ("PATH", "v1.10.4", 2)
    assert data["compatibility"] is None  # no endpoint known
    text = cli("--project-dir", project, "omnictl", "which")
    assert "source   PATH" in text.out and "v1.10.4 (API version 2)" in text.out


def test_which_state_recorded_path(cli: Any, project: Path, tmp_path: Path) -> None:
    exe = tmp_path / "tools" / "omnictl"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\necho 'omnictl version v1.9.2 (API Version: 2)'\n")
    exe.chmod(0o755)
    update_state(project / ".claude" / "omni-scale.local.md", {"omnictl_path": str(exe)})
    data = cli("--project-dir", project, "omnictl", "which", "--json").json()
    assert (data["source"], data["version"]) == ("state", "v1.9.2")


def test_which_xdg(cli: Any, project: Path, xdg_bin: Path) -> None:
    exe = xdg_bin / "omnictl"
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\necho 'omnictl version v1.10.1 (API Version: 2)'\n")
    exe.chmod(0o755)
    data = cli("--project-dir", project, "omnictl", "which", "--json").json()
    assert (data["path"], data["source"]) == (str(exe), "xdg")


def test_which_api_mismatch_exits_1_with_the_fix(
    cli: Any, project: Path, fake_omnictl: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("OMNI_ENDPOINT", "https://omni.test")
    fake_omnictl.add(sysversion("1.11.0", 3))
    fake_omnictl.set_backend(version="1.11.0", api_version=3)
    result = cli("--project-dir", project, "omnictl", "which", "--json")
    assert result.code == 1
    compat = result.json()["compatibility"]
    assert compat["level"] == "error"
    assert "omni-scale omnictl install --force --from-server" in compat["hint"]
    text = cli("--project-dir", project, "omnictl", "which")
    assert text.code == 1 and "fix      omni-scale omnictl install" in text.out


def test_which_minor_difference_warns_exit_0(
    cli: Any, project: Path, fake_omnictl: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("OMNI_ENDPOINT", "https://omni.test")
    fake_omnictl.add(sysversion("1.9.3", 2))
    fake_omnictl.set_backend(version="1.9.3", api_version=2)
    result = cli("--project-dir", project, "omnictl", "which", "--json")
    assert result.code == 0
    assert result.json()["compatibility"]["level"] == "warning"
    assert result.json()["compatibility"]["server"] == {"version": "v1.9.3", "api_version": 2}


def test_which_offline_does_not_ask_the_server(
    cli: Any, project: Path, fake_omnictl: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("OMNI_ENDPOINT", "https://omni.test")
    result = cli("--project-dir", project, "omnictl", "which", "--offline", "--json")
    assert result.code == 0 and result.json()["compatibility"] is None
    assert all(call["argv"] == ["--version"] for call in fake_omnictl.calls())


def test_install_latest_json_and_state_record(
    cli: Any, project: Path, github: Any, omnictl_build: Any, asset: str, xdg_bin: Path
) -> None:
    github.add_release("v1.12.1", {asset: omnictl_build("v1.12.1")})
    github.set_latest("v1.12.1")
    state = project / ".claude" / "omni-scale.local.md"
    update_state(state, {"default_cores": 2})
    result = cli("--project-dir", project, "omnictl", "install", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["action"] == "installed" and data["version"] == "v1.12.1"
    assert data["source"] == "github" and data["path"] == str(xdg_bin / "omnictl")
    assert data["url"] == f"{github.base_url}/releases/download/v1.12.1/{asset}"
    assert data["verified_by"][0] == "sha256 matches sha256sum.txt"
    assert data["recorded_in_state"] == str(state)
    assert read_state(state)["omnictl_path"] == str(xdg_bin / "omnictl")
    which = cli("--project-dir", project, "omnictl", "which", "--json").json()
    assert (which["source"], which["version"]) == ("state", "v1.12.1")


def test_install_text_output_and_conflict_then_force(
    cli: Any, project: Path, github: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    target = tmp_path / "bin"
    github.add_release("v1.10.4", {asset: omnictl_build("v1.10.4")})
    github.add_release("v1.9.2", {asset: omnictl_build("v1.9.2")})
    first = cli("--project-dir", project, "omnictl", "install", "--version", "v1.10.4",
                "--dir", target)  # fmt: skip
    assert first.code == 0, first.err
    assert f"Installed omnictl v1.10.4 at {target / 'omnictl'}" in first.out
    assert "verified sha256 matches sha256sum.txt" in first.out
    clash = cli("--project-dir", project, "omnictl", "install", "--version", "1.9.2",
                "--dir", target)  # fmt: skip
    assert clash.code == 2
    assert "already holds v1.10.4" in clash.err and "--force" in clash.err
    assert "Traceback" not in clash.err
    forced = cli("--project-dir", project, "omnictl", "install", "--version", "1.9.2",
                 "--dir", target, "--yes", "--json")  # fmt: skip
    assert forced.code == 0
    assert forced.json()["action"] == "replaced"
    assert forced.json()["previous_version"] == "v1.10.4"


def test_install_checksum_mismatch_json_error(
    cli: Any, project: Path, github: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    github.add_release("v1.10.4", {asset: omnictl_build()}, checksums={asset: "f" * 64})
    result = cli("--project-dir", project, "omnictl", "install", "--version", "v1.10.4",
                 "--dir", tmp_path / "bin", "--json")  # fmt: skip
    assert result.code == 3
    error = result.json()["error"]
    assert "checksum mismatch" in error["message"]
    assert leftovers(tmp_path / "bin") == []


def test_install_plain_http_non_loopback_refused(
    cli: Any, project: Path, monkeypatch: Any, loopback_only: list[Any]
) -> None:
    monkeypatch.setenv("OMNI_SCALE_OMNICTL_BASE_URL", "http://mirror.example.com/omni")
    result = cli("--project-dir", project, "omnictl", "install", "--version", "v1.10.4")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "refusing plain-HTTP" in result.err
    assert loopback_only == []


def test_install_option_errors(cli: Any, project: Path) -> None:
    both = cli("--project-dir", project, "omnictl", "install", "--from-server", "--version", "1")
    assert both.code == 2 and "cannot be combined" in both.err
    no_url = cli("--project-dir", project, "omnictl", "install", "--from-server")
    assert no_url.code == 2 and "needs its URL" in no_url.err


def test_install_prefers_the_servers_build_when_the_endpoint_is_known(
    cli: Any, project: Path, release_server: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    update_state(project / ".claude" / "omni-scale.local.md", {"omni_endpoint": release_server.url})
    release_server.add_server_binary(asset, omnictl_build("v1.10.4", resources=[sysversion()]))
    result = cli("--project-dir", project, "omnictl", "install", "--dir", tmp_path / "b", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["source"] == "server" and data["compatibility"]["level"] == "ok"
    assert "version matches the server (v1.10.4)" in data["verified_by"]


def _spawn(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "omni_scale", "--project-dir", str(project), "omnictl", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=dict(os.environ),
    )


def test_concurrent_installs_do_not_corrupt_each_other(
    project: Path, github: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    body = omnictl_build("v1.10.4") + b"#" * 200_000
    github.add_release("v1.10.4", {asset: body}, chunk_delay=0.01)
    github.set_latest("v1.10.4")
    target = tmp_path / "bin"
    procs = [_spawn(project, "install", "--dir", str(target), "--json") for _ in range(2)]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert (target / "omnictl").read_bytes() == body
    assert leftovers(target) == ["omnictl"]
    actions = sorted(__import__("json").loads(out)["action"] for out, _ in outputs)
    assert actions == ["installed", "unchanged"]
    assert github.requests.count(f"{REL}/v1.10.4/{asset}") == 1


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_during_download_leaves_nothing(
    project: Path, github: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    body = omnictl_build("v1.10.4") + b"#" * 400_000
    github.add_release("v1.10.4", {asset: body}, chunk_delay=0.02)
    target = tmp_path / "bin"
    proc = _spawn(project, "install", "--version", "v1.10.4", "--dir", str(target))
    assert github.wait_for(f"{REL}/v1.10.4/{asset}")
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "interrupted: the partial download was deleted; nothing was installed" in err
    assert "Traceback" not in err
    assert leftovers(target) == []


def test_install_from_an_https_omni_with_a_private_ca(
    cli: Any, project: Path, release_server_tls: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    server = release_server_tls
    server.add_server_binary(asset, omnictl_build("v1.10.4", resources=[sysversion()]))
    args = ("--project-dir", project, "omnictl", "install", "--from-server",
            "--endpoint", server.url, "--dir", tmp_path / "b", "--json")  # fmt: skip
    untrusted = cli(*args)
    assert untrusted.code == 3
    assert "--ca-file" in untrusted.json()["error"]["hint"]
    trusted = cli(*args, "--ca-file", server.ca_file)
    assert trusted.code == 0, trusted.err
    assert trusted.json()["url"] == f"{server.url}/api/omnictl/{asset}"
