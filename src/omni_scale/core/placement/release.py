"""Which provider release a plan replays, from the compose image reference (placement.md §1).

The provider's placement changed between builds, so every plan names the behaviour it replayed:

- `vX.Y.Z` (or `X.Y.Z`): that release; v0.3.0 and later replay v0.2.0's placement, assumed.
- `v0.1.0-N-gSHA` (`git describe`): a main build N commits after v0.1.0, replayed as v0.1.0.
- `latest`, no tag, only a digest: the newest known release (v0.3.0), assumed.
- a bare commit (`abc1234`): a pre-v0.1.0 main build, 0d9fd58's rules, assumed (a known release
  commit such as `b6e44c6` = v0.1.0 is not assumed).

Sources: CI pushes `latest` on every main push (`.github/workflows/ci.yaml:106-112@fd21629`); the
release commits `b6e44c6 release(v0.1.0)` and `9510c5a` (v0.2.0); v0.3.0's source was not
readable, so its placement is taken to be v0.2.0's and marked assumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# The placement behaviours this replay knows, oldest first.
RULES = ("0d9fd58", "v0.1.0", "v0.2.0")
NEWEST_KNOWN = "v0.3.0"
# Commits whose behaviour is known exactly (upstream SHAs, the same in the v0.1.0/v0.2.0 mirror).
KNOWN_COMMITS = {
    "0d9fd58": "0d9fd58",
    "b6e44c6": "v0.1.0",
    "fd21629": "v0.2.0",
    "9510c5a": "v0.2.0",
}

_SEMVER = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:-(.+))?$")
_DESCRIBE = re.compile(r"^(\d+)-g([0-9a-f]{7,40})$")
_COMMIT = re.compile(r"^[0-9a-f]{7,40}$")


@dataclass(frozen=True)
class Release:
    """The provider build a plan assumes is running, and whose placement rules it replays."""

    name: str  # what runs, as far as we can tell: "v0.2.0", "v0.3.0", "0d9fd58", "abc1234"
    rules: str  # the behaviour replayed: one of RULES
    assumed: bool  # True when the image tag does not pin that behaviour
    why: str  # one line: how the image reference was read

    def at_least(self, rules: str) -> bool:
        """True when the replayed behaviour is `rules` or newer (`rules` is one of RULES)."""
        return RULES.index(self.rules) >= RULES.index(rules)

    @property
    def label(self) -> str:
        """`v0.2.0`, `v0.3.0 (v0.2.0 placement, assumed)`, `latest → v0.3.0 (assumed)`."""
        text = self.name if self.rules == self.name else f"{self.name} ({self.rules} placement)"
        return f"{text}, assumed" if self.assumed else text

    def to_json(self) -> dict[str, Any]:
        return {"release": self.name, "rules": self.rules, "assumed": self.assumed, "why": self.why}


def _rules_for(version: tuple[int, int, int]) -> str:
    if version >= (0, 2, 0):
        return "v0.2.0"
    if version >= (0, 1, 0):
        return "v0.1.0"
    return "0d9fd58"


def image_tag(image: str | None) -> tuple[str | None, bool]:
    """The tag of an image reference and whether it carries a digest (`repo:tag@sha256:…`)."""
    if not image:
        return None, False
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = last.partition(":")[2] if ":" in last else None
    return tag or None, bool(digest)


def resolve_release(image: str | None) -> Release:
    """The release behind a compose `image:` (a full reference or just its tag); None = no image."""
    newest = Release(
        NEWEST_KNOWN,
        "v0.2.0",
        True,
        "",
    )
    if image is None or not image.strip():
        return _with(newest, "no provider image in docker/compose.yaml: the newest known release")
    text = image.strip()
    tag, digest = image_tag(text) if ("/" in text or ":" in text or "@" in text) else (text, False)
    if tag is None:
        what = "a digest without a tag" if digest else "no tag (docker pulls `latest`)"
        return _with(newest, f"image {text} has {what}: the newest known main build")
    if tag == "latest":
        return _with(newest, "tag `latest` follows every main push: the newest known release")
    match = _SEMVER.match(tag)
    if match:
        version = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
        name = f"v{version[0]}.{version[1]}.{version[2]}"
        rules = _rules_for(version)
        suffix = match.group(4)
        if suffix and _DESCRIBE.match(suffix):
            commits = _DESCRIBE.match(suffix)
            assert commits is not None
            why = f"tag {tag}: a main build {commits.group(1)} commit(s) after {name}"
            return Release(name, rules, version > (0, 2, 0), why)
        if version > (0, 2, 0) or version < (0, 1, 0):
            why = f"tag {tag}: placement of {name} not read from source, {rules}'s assumed"
            return Release(name, rules, True, why)
        if suffix:
            return Release(
                name, rules, True, f"tag {tag}: a pre-release of {name}, its rules assumed"
            )
        return Release(name, rules, False, f"tag {tag}")
    if _COMMIT.match(tag):
        known = next((v for k, v in KNOWN_COMMITS.items() if tag.startswith(k)), None)
        if known is not None:
            return Release(tag, known, False, f"tag {tag}: a known commit ({known})")
        return Release(tag, "0d9fd58", True, f"tag {tag}: a commit build from before v0.1.0")
    return _with(newest, f"tag {tag!r} names no release: the newest known release")


def _with(release: Release, why: str) -> Release:
    return Release(release.name, release.rules, release.assumed, why)


def release_from_version(version: str | Release | None) -> Release:
    """Accept a Release, a bare tag (`v0.2.0`) or None (unknown: the newest, assumed)."""
    if isinstance(version, Release):
        return version
    return resolve_release(version)
