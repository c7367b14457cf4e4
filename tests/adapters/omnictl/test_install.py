from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from omni_scale.adapters.omnictl.install import InstallRequest, install_omnictl
from omni_scale.adapters.omnictl.version import read_version
from omni_scale.errors import EnvironmentProblem, FileConflict, InputError

from .conftest import leftovers, sysversion

REL = "/siderolabs/omni/releases/download"


def is_executable(path: Path) -> bool:
    return path.is_file() and bool(path.stat().st_mode & stat.S_IXUSR)


def test_latest_release_installs_verified_into_the_xdg_dir(
    github: Any, omnictl_build: Any, asset: str, xdg_bin: Path
) -> None:
    body = omnictl_build("v1.12.1")
    github.add_release("v1.12.1", {asset: body, "omnictl-other": b"x"})
    github.set_latest("v1.12.1")
    notes: list[str] = []
    result = install_omnictl(InstallRequest("github"), note=notes.append)
    target = xdg_bin / "omnictl"
    assert result.path == target and result.action == "installed"
    assert result.version.tag == "v1.12.1" and result.version.api == 2
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert target.read_bytes() == body
    assert result.sha256 == hashlib.sha256(body).hexdigest()
    assert result.verified_by[0] == "sha256 matches sha256sum.txt"
    assert read_version(target).tag == "v1.12.1"
    assert leftovers(xdg_bin) == ["omnictl"]
    assert github.requests == [
        "/siderolabs/omni/releases/latest",
        f"{REL}/v1.12.1/sha256sum.txt",
        f"{REL}/v1.12.1/{asset}",
    ]
    assert any("resolving the latest omnictl release" in n for n in notes)


def test_pinned_version(github: Any, omnictl_build: Any, asset: str, tmp_path: Path) -> None:
    github.add_release("v1.9.2", {asset: omnictl_build("v1.9.2")})
    github.add_release("v1.12.1", {asset: omnictl_build("v1.12.1")})
    github.set_latest("v1.12.1")
    result = install_omnictl(InstallRequest("github", version="1.9.2", target_dir=tmp_path / "b"))
    assert result.version.tag == "v1.9.2"
    assert "/siderolabs/omni/releases/latest" not in github.requests


def test_https_with_a_private_ca(
    release_server_tls: Any, omnictl_build: Any, asset: str, tmp_path: Path, monkeypatch: Any
) -> None:
    server = release_server_tls
    monkeypatch.setenv("OMNI_SCALE_OMNICTL_BASE_URL", server.base_url)
    server.add_release("v1.10.4", {asset: omnictl_build("v1.10.4")})
    server.set_latest("v1.10.4")
    with pytest.raises(EnvironmentProblem, match=r"not trusted|CERTIFICATE_VERIFY_FAILED"):
        install_omnictl(InstallRequest("github", target_dir=tmp_path / "no-ca"))
    result = install_omnictl(
        InstallRequest("github", target_dir=tmp_path / "ca", ca_file=server.ca_file)
    )
    assert result.version.tag == "v1.10.4" and result.url.startswith("https://localhost:")


def test_checksum_mismatch_leaves_nothing(
    github: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    github.add_release("v1.10.4", {asset: omnictl_build()}, checksums={asset: "0" * 64})
    target_dir = tmp_path / "bin"
    with pytest.raises(EnvironmentProblem) as caught:
        install_omnictl(InstallRequest("github", version="v1.10.4", target_dir=target_dir))
    text = caught.value.one_line()
    assert "checksum mismatch" in text and "nothing was installed" in text
    assert leftovers(target_dir) == []


def test_missing_checksum_line_is_refused(
    github: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    github.add_release("v1.10.4", {"omnictl-somewhere-else": omnictl_build()})
    github.add(f"{REL}/v1.10.4/{asset}", omnictl_build())
    with pytest.raises(EnvironmentProblem, match="lists no checksum"):
        install_omnictl(InstallRequest("github", version="v1.10.4", target_dir=tmp_path / "b"))
    assert f"{REL}/v1.10.4/{asset}" not in github.requests  # refused before downloading
    assert leftovers(tmp_path / "b") == []


def test_truncated_download_leaves_nothing(
    github: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    body = omnictl_build() + b"#" * 100_000
    github.add_release("v1.10.4", {asset: body}, truncate_at=50_000)
    with pytest.raises(EnvironmentProblem) as caught:
        install_omnictl(InstallRequest("github", version="v1.10.4", target_dir=tmp_path / "b"))
    assert "cut off" in caught.value.message and "nothing was installed" in caught.value.message
    assert leftovers(tmp_path / "b") == []


def test_404_names_the_url_and_suggests_a_version(github: Any, tmp_path: Path) -> None:
    with pytest.raises(EnvironmentProblem) as caught:
        install_omnictl(InstallRequest("github", version="v9.9.9", target_dir=tmp_path / "b"))
    assert "HTTP 404" in caught.value.message and "v9.9.9/sha256sum.txt" in caught.value.message
    assert caught.value.hint and "--version" in caught.value.hint


def test_slow_server_times_out(github: Any, omnictl_build: Any, asset: str, tmp_path: Path) -> None:
    github.add_release("v1.10.4", {asset: omnictl_build()}, delay=2.0)
    with pytest.raises(EnvironmentProblem, match="timed out"):
        install_omnictl(
            InstallRequest("github", version="v1.10.4", target_dir=tmp_path / "b", timeout=0.3)
        )
    assert leftovers(tmp_path / "b") == []


def test_plain_http_mirror_refused_before_any_request(
    monkeypatch: Any, tmp_path: Path, loopback_only: list[Any]
) -> None:
    monkeypatch.setenv("OMNI_SCALE_OMNICTL_BASE_URL", "http://mirror.example.com/omni")
    with pytest.raises(InputError, match="refusing plain-HTTP"):
        install_omnictl(InstallRequest("github", version="v1.10.4", target_dir=tmp_path / "b"))
    assert loopback_only == []  # refused before connecting anywhere


def test_redirect_to_plain_http_is_refused(
    github: Any, tmp_path: Path, loopback_only: list[Any]
) -> None:
    github.add(
        f"{REL}/v1.10.4/sha256sum.txt",
        status=302,
        headers={"Location": "http://objects.example.com/sha256sum.txt"},
    )
    with pytest.raises(InputError, match="refusing plain-HTTP"):
        install_omnictl(InstallRequest("github", version="v1.10.4", target_dir=tmp_path / "b"))
    assert loopback_only == []


def test_mirror_serving_another_version_is_refused(
    github: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    github.add_release("v1.10.4", {asset: omnictl_build("v1.9.0")})
    with pytest.raises(EnvironmentProblem, match=r"not the requested v1\.10\.4"):
        install_omnictl(InstallRequest("github", version="v1.10.4", target_dir=tmp_path / "b"))
    assert leftovers(tmp_path / "b") == []


def test_non_executable_download_is_refused(github: Any, asset: str, tmp_path: Path) -> None:
    github.add_release("v1.10.4", {asset: b"\x7fELF not really"})
    with pytest.raises(EnvironmentProblem, match="does not run on this machine"):
        install_omnictl(InstallRequest("github", version="v1.10.4", target_dir=tmp_path / "b"))
    assert leftovers(tmp_path / "b") == []


def test_same_version_is_left_alone_other_needs_force(
    github: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    target_dir = tmp_path / "bin"
    github.add_release("v1.10.4", {asset: omnictl_build("v1.10.4")})
    github.add_release("v1.11.0", {asset: omnictl_build("v1.11.0", api=3)})
    install_omnictl(InstallRequest("github", version="v1.10.4", target_dir=target_dir))
    again = install_omnictl(InstallRequest("github", version="v1.10.4", target_dir=target_dir))
    assert again.action == "unchanged"
    assert github.requests.count(f"{REL}/v1.10.4/{asset}") == 1
    with pytest.raises(FileConflict) as caught:
        install_omnictl(InstallRequest("github", version="v1.11.0", target_dir=target_dir))
    assert "--force" in (caught.value.hint or "")
    assert f"{REL}/v1.11.0/{asset}" not in github.requests
    assert read_version(target_dir / "omnictl").tag == "v1.10.4"
    replaced = install_omnictl(
        InstallRequest("github", version="v1.11.0", target_dir=target_dir, force=True)
    )
    assert replaced.action == "replaced" and replaced.previous is not None
    assert replaced.previous.tag == "v1.10.4"
    assert read_version(target_dir / "omnictl").tag == "v1.11.0"
    asked: list[str] = []
    back = install_omnictl(
        InstallRequest("github", version="v1.10.4", target_dir=target_dir),
        confirm=lambda q: asked.append(q) or True,
    )
    assert back.action == "replaced" and len(asked) == 1 and "v1.11.0" in asked[0]


def test_server_hosted_binary_cross_checked_with_the_server(
    release_server: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    body = omnictl_build("v1.10.4", resources=[sysversion("1.10.4", 2)])
    release_server.add_server_binary(asset, body)
    notes: list[str] = []
    result = install_omnictl(
        InstallRequest("server", endpoint=release_server.url, target_dir=tmp_path / "b"),
        note=notes.append,
    )
    assert result.source == "server"
    assert result.url == f"{release_server.url}/api/omnictl/{asset}"
    assert "version matches the server (v1.10.4)" in result.verified_by
    assert result.compatibility is not None and result.compatibility.level == "ok"
    assert release_server.requests == [f"/api/omnictl/{asset}"]  # no checksum file there
    assert is_executable(tmp_path / "b" / "omnictl")


def test_server_hosted_without_credentials_says_it_is_unchecked(
    release_server: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    body = omnictl_build("v1.10.4", backend={"auth": "invalid-signature"})
    release_server.add_server_binary(asset, body)
    notes: list[str] = []
    result = install_omnictl(
        InstallRequest("server", endpoint=release_server.url, target_dir=tmp_path / "b"),
        note=notes.append,
    )
    assert result.verified_by[-1] == "served by the Omni server (no checksum published)"
    said = " ".join(notes)
    assert "no checksum exists" in said and "not cross-checked" in said
    assert "invalid signature" in said


def test_server_binary_disagreeing_with_the_server_is_refused(
    release_server: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    body = omnictl_build(
        "v1.10.4", backend={"version": "1.10.9"}, resources=[sysversion("1.10.9", 2)]
    )
    release_server.add_server_binary(asset, body)
    with pytest.raises(EnvironmentProblem, match=r"server reports v1\.10\.9"):
        install_omnictl(
            InstallRequest("server", endpoint=release_server.url, target_dir=tmp_path / "b")
        )
    assert leftovers(tmp_path / "b") == []


def test_server_source_needs_an_endpoint(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="needs its URL"):
        install_omnictl(InstallRequest("server", target_dir=tmp_path / "b"))


def test_stale_temp_files_of_killed_runs_are_removed(
    github: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    target_dir = tmp_path / "bin"
    target_dir.mkdir()
    stale = target_dir / ".omnictl-abc123.part"
    stale.write_bytes(b"half")
    github.add_release("v1.10.4", {asset: omnictl_build()})
    install_omnictl(InstallRequest("github", version="v1.10.4", target_dir=target_dir))
    assert leftovers(target_dir) == ["omnictl"]


def test_unwritable_target_dir(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    locked = tmp_path / "ro"
    locked.mkdir(mode=0o500)
    with pytest.raises(InputError, match="not writable"):
        install_omnictl(InstallRequest("github", version="v1.10.4", target_dir=locked))


def test_version_latest_is_the_same_as_no_version(
    github: Any, omnictl_build: Any, asset: str, tmp_path: Path
) -> None:
    github.add_release("v1.12.1", {asset: omnictl_build("v1.12.1")})
    github.set_latest("v1.12.1")
    result = install_omnictl(InstallRequest("github", version="latest", target_dir=tmp_path / "b"))
    assert result.version.tag == "v1.12.1"


def test_server_refusing_the_download_points_to_the_release(
    release_server: Any, asset: str, tmp_path: Path
) -> None:
    release_server.add_server_binary(asset, b"login first", status=403)
    with pytest.raises(EnvironmentProblem) as caught:
        install_omnictl(
            InstallRequest("server", endpoint=release_server.url, target_dir=tmp_path / "b")
        )
    assert "HTTP 403" in caught.value.message
    assert "--from-github --version" in (caught.value.hint or "")
    assert leftovers(tmp_path / "b") == []
