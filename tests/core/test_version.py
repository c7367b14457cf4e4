from __future__ import annotations

from omni_scale.core.version import at_least, normalize_tag, same_release, semver


def test_same_release_ignores_v_prefix_and_suffix() -> None:
    assert same_release("v1.10.4", "1.10.4")
    assert same_release("v1.10.4-dirty", "v1.10.4")
    assert not same_release("v1.10.4", "v1.10.3")


def test_semver_reads_the_leading_release_only() -> None:
    assert semver("v0.3.0") == (0, 3, 0)
    assert semver(" 1.10.4-rc1 ") == (1, 10, 4)
    assert semver("latest") is None
    assert semver(None) is None
    assert semver("1.10") is None


def test_normalize_tag_and_at_least() -> None:
    assert normalize_tag("1.10.4") == "v1.10.4" and normalize_tag("v1.10.4") == "v1.10.4"
    assert at_least("v0.3.0", (0, 3, 0)) and not at_least("v0.2.9", (0, 3, 0))
    assert not at_least(None, (0, 0, 0))
