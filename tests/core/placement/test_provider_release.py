"""Which provider behaviour a compose image reference selects (placement.md §1)."""

from __future__ import annotations

import pytest

from omni_scale.core.placement.release import resolve_release

IMAGE = "ghcr.io/siderolabs/omni-infra-provider-proxmox"


@pytest.mark.parametrize(
    ("image", "name", "rules", "assumed"),
    [
        (f"{IMAGE}:v0.2.0", "v0.2.0", "v0.2.0", False),
        (f"{IMAGE}:v0.1.0", "v0.1.0", "v0.1.0", False),
        (f"{IMAGE}:0.1.0", "v0.1.0", "v0.1.0", False),
        # a `git describe` main build after v0.1.0 replays v0.1.0 (not assumed: the table's row)
        (f"{IMAGE}:v0.1.0-7-g8e3dd5d", "v0.1.0", "v0.1.0", False),
        # v0.3.0's source was not readable: its placement is v0.2.0's, marked assumed
        (f"{IMAGE}:v0.3.0", "v0.3.0", "v0.2.0", True),
        # latest / no tag / a digest: CI pushes latest on every main push => the newest release
        (f"{IMAGE}:latest", "v0.3.0", "v0.2.0", True),
        (IMAGE, "v0.3.0", "v0.2.0", True),
        (f"{IMAGE}@sha256:{'a' * 64}", "v0.3.0", "v0.2.0", True),
        (None, "v0.3.0", "v0.2.0", True),
        # a bare commit: a pre-v0.1.0 main build, 0d9fd58's rules, assumed
        (f"{IMAGE}:559954c", "559954c", "0d9fd58", True),
        # ... unless it is a commit whose behaviour is known
        (f"{IMAGE}:0d9fd58", "0d9fd58", "0d9fd58", False),
        (f"{IMAGE}:b6e44c6", "b6e44c6", "v0.1.0", False),
        # a registry with a port is not a tag
        ("registry.local:5000/omni-infra-provider-proxmox", "v0.3.0", "v0.2.0", True),
        # a bare tag works too (what older callers pass)
        ("v0.2.0", "v0.2.0", "v0.2.0", False),
    ],
)
def test_release_from_image(image: str | None, name: str, rules: str, assumed: bool) -> None:
    release = resolve_release(image)
    assert (release.name, release.rules, release.assumed) == (name, rules, assumed)
    assert release.why


def test_digest_with_tag_keeps_the_tag() -> None:
    release = resolve_release(f"{IMAGE}:v0.1.0@sha256:{'b' * 64}")
    assert (release.name, release.rules, release.assumed) == ("v0.1.0", "v0.1.0", False)


def test_label_and_json_say_what_was_assumed() -> None:
    release = resolve_release(f"{IMAGE}:latest")
    assert release.label == "v0.3.0 (v0.2.0 placement), assumed"
    assert release.to_json()["assumed"] is True and "latest" in release.to_json()["why"]
    assert resolve_release(f"{IMAGE}:v0.2.0").label == "v0.2.0"
    assert resolve_release(f"{IMAGE}:v0.1.0").at_least("v0.1.0")
    assert not resolve_release(f"{IMAGE}:v0.1.0").at_least("v0.2.0")
