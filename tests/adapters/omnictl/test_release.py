from __future__ import annotations

from typing import Any

import pytest

from omni_scale.adapters.omnictl.download import make_client
from omni_scale.adapters.omnictl.release import (
    DEFAULT_BASE_URL,
    asset_url,
    check_url_allowed,
    checksum_url,
    parse_checksums,
    parse_tag,
    release_base_url,
    resolve_latest,
    server_asset_url,
    tag_from_location,
)
from omni_scale.errors import EnvironmentProblem, InputError

HEX_A = "a" * 64
HEX_B = "0123456789abcdef" * 4


def test_github_release_urls() -> None:
    assert release_base_url({}) == DEFAULT_BASE_URL
    assert (
        asset_url(DEFAULT_BASE_URL, "v1.10.4", "omnictl-linux-amd64")
        == "https://github.com/siderolabs/omni/releases/download/v1.10.4/omnictl-linux-amd64"
    )
    assert checksum_url(DEFAULT_BASE_URL, "v1.10.4").endswith("/v1.10.4/sha256sum.txt")


def test_base_url_override_for_mirrors() -> None:
    env = {"OMNI_SCALE_OMNICTL_BASE_URL": "https://mirror.example/omni/"}
    assert release_base_url(env) == "https://mirror.example/omni"


def test_plain_http_mirror_is_refused_unless_loopback() -> None:
    with pytest.raises(InputError, match="refusing plain-HTTP"):
        release_base_url({"OMNI_SCALE_OMNICTL_BASE_URL": "http://mirror.example/omni"})
    assert release_base_url({"OMNI_SCALE_OMNICTL_BASE_URL": "http://127.0.0.1:8080/o"})


@pytest.mark.parametrize(
    "url", ["http://example.com/x", "http://10.0.0.1/x", "ftp://example.com/x", "file:///etc"]
)
def test_non_https_urls_are_refused(url: str) -> None:
    with pytest.raises(InputError):
        check_url_allowed(url)


@pytest.mark.parametrize("url", ["http://localhost:1/x", "http://[::1]:1/x", "https://a.b/x"])
def test_https_and_loopback_http_are_allowed(url: str) -> None:
    check_url_allowed(url)


def test_server_hosted_url() -> None:
    assert (
        server_asset_url("https://omni.example.com:8443/some/path", "omnictl-linux-arm64")
        == "https://omni.example.com:8443/api/omnictl/omnictl-linux-arm64"
    )
    assert server_asset_url("omni.example.com", "omnictl-linux-amd64").startswith("https://")
    with pytest.raises(InputError):
        server_asset_url("http://omni.example.com", "omnictl-linux-amd64")


def test_parse_gnu_checksums() -> None:
    text = f"{HEX_A}  omnictl-linux-amd64\n{HEX_B} *omnictl-darwin-arm64\ngarbage line\n\n"
    assert parse_checksums(text) == {
        "omnictl-linux-amd64": HEX_A,
        "omnictl-darwin-arm64": HEX_B,
    }


def test_tags() -> None:
    assert parse_tag("1.10.4") == "v1.10.4"
    assert parse_tag("v1.11.0-beta.1") == "v1.11.0-beta.1"
    for bad in ("client/v1.10.4", "latest", "v1.10", "v1.10.4; rm -rf /"):
        with pytest.raises(InputError):
            parse_tag(bad)
    assert tag_from_location("https://github.com/o/r/releases/tag/v1.10.4") == "v1.10.4"
    assert tag_from_location("https://x/releases/tag/client%2Fv1.0.0") == "client/v1.0.0"
    assert tag_from_location("https://x/releases") is None


def test_latest_follows_githubs_redirect(release_server: Any) -> None:
    release_server.set_latest("v1.12.1")
    with make_client() as client:
        assert resolve_latest(client, release_server.base_url) == "v1.12.1"
    assert "/siderolabs/omni/releases.atom" not in release_server.requests


def test_latest_skips_client_module_tags_via_the_feed(release_server: Any) -> None:
    release_server.set_latest(
        "client%2Fv1.12.2", feed_tags=["client%2Fv1.12.2", "v1.12.1", "v1.13.0-beta.0", "v1.9.9"]
    )
    with make_client() as client:
        assert resolve_latest(client, release_server.base_url) == "v1.12.1"


def test_latest_unknown_says_to_pin_a_version(release_server: Any) -> None:
    with make_client() as client, pytest.raises(EnvironmentProblem) as caught:
        resolve_latest(client, release_server.base_url)
    assert "--version vX.Y.Z" in caught.value.one_line()
