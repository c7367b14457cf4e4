"""Release versions, one parser for all of them: omnictl, Omni, the provider image tag.

`semver` reads the leading MAJOR.MINOR.PATCH of a tag (`v1.10.4`, `1.10.4`, `v0.3.0-rc1`,
`v1.10.4-dirty`) and ignores what follows; anything else is None.
"""

from __future__ import annotations

import re

_SEMVER_RE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)")


def semver(text: str | None) -> tuple[int, int, int] | None:
    match = _SEMVER_RE.match((text or "").strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def normalize_tag(text: str) -> str:
    """`1.10.4` -> `v1.10.4` (release tags carry the v)."""
    text = text.strip()
    return text if text.startswith("v") else f"v{text}"


def same_release(a: str, b: str) -> bool:
    """`v1.10.4` and `1.10.4` (and `v1.10.4-dirty`) name the same release."""
    va, vb = semver(a), semver(b)
    return va is not None and va == vb


def at_least(version: str | None, wanted: tuple[int, int, int]) -> bool:
    """True when `version` is known and >= wanted (an unknown release is not assumed newer)."""
    parsed = semver(version)
    return parsed is not None and parsed >= wanted
