"""Where omnictl comes from: GitHub release URLs, "latest", checksum files, the Omni server.

- Release asset: `<base>/releases/download/<tag>/omnictl-<os>-<arch>`, with
  `<base>/releases/download/<tag>/sha256sum.txt` (GNU format `<hex>  <filename>`).
- `<base>` is `https://github.com/siderolabs/omni`, or `$OMNI_SCALE_OMNICTL_BASE_URL` (a mirror
  with the same layout).
- "latest": `<base>/releases/latest` redirects to `<base>/releases/tag/<tag>`; when that is not
  a stable `vX.Y.Z` tag (e.g. a `client/vX.Y.Z` Go-module tag), the highest stable tag linked
  from `<base>/releases.atom` is used.
- The Omni server's own build: `<omni>/api/omnictl/omnictl-<os>-<arch>` (no checksum file).
"""

from __future__ import annotations

import ipaddress
import os
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

from omni_scale.adapters.omnictl.version import normalize_tag, semver
from omni_scale.errors import EnvironmentProblem, InputError

if TYPE_CHECKING:
    import httpx

DEFAULT_BASE_URL = "https://github.com/siderolabs/omni"
BASE_URL_ENV = "OMNI_SCALE_OMNICTL_BASE_URL"
CHECKSUM_FILE = "sha256sum.txt"
MAX_TEXT_BYTES = 1 << 20

_TAG_RE = re.compile(r"^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")
_STABLE_TAG_RE = re.compile(r"^v\d+\.\d+\.\d+$")
_ATOM_TAG_RE = re.compile(r"/releases/tag/([^\"'<>\s?#]+)")
_HEX64_RE = re.compile(r"^[0-9a-fA-F]{64}$")


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url_allowed(url: str, *, what: str = "download URL") -> None:
    """HTTPS only; plain HTTP only to a loopback host (tests, a local mirror)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and is_loopback(parts.hostname):
        return
    if parts.scheme == "http":
        raise InputError(
            f"refusing plain-HTTP {what} {url}: omnictl is only downloaded over HTTPS "
            "(plain HTTP is allowed for localhost only)",
            hint=f"use an https:// URL (check ${BASE_URL_ENV}, OMNI_ENDPOINT or the state "
            "file's omni_endpoint)",
        )
    raise InputError(
        f"unsupported {what} {url!r}: expected https://HOST/...",
        hint=f"check ${BASE_URL_ENV}, OMNI_ENDPOINT or the state file's omni_endpoint",
    )


def release_base_url(env: dict[str, str] | None = None) -> str:
    environ = os.environ if env is None else env
    base = (environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).strip().rstrip("/")
    check_url_allowed(base, what=f"release base URL (${BASE_URL_ENV})")
    return base


def parse_tag(text: str) -> str:
    """`1.10.4` / `v1.10.4` -> `v1.10.4`; anything else (e.g. `client/v1.0.0`) is refused."""
    tag = normalize_tag(text)
    if not _TAG_RE.match(tag):
        raise InputError(
            f"--version {text!r} is not an Omni release tag",
            hint="use a tag such as v1.10.4 (see https://github.com/siderolabs/omni/releases)",
        )
    return tag


def asset_url(base: str, tag: str, asset: str) -> str:
    return f"{base}/releases/download/{tag}/{asset}"


def checksum_url(base: str, tag: str) -> str:
    return asset_url(base, tag, CHECKSUM_FILE)


def server_asset_url(endpoint: str, asset: str) -> str:
    """`https://omni.example.com[:port][/...]` -> `https://omni.example.com[:port]/api/omnictl/<asset>`."""
    raw = endpoint.strip()
    if "://" not in raw:
        raw = f"https://{raw}"
    parts = urlsplit(raw)
    if not parts.hostname:
        raise InputError(
            f"Omni endpoint {endpoint!r} has no host name",
            hint="set it as https://omni.example.com (omni-scale state set omni_endpoint=URL)",
        )
    url = f"{parts.scheme}://{parts.netloc}/api/omnictl/{asset}"
    check_url_allowed(url, what="Omni endpoint")
    return url


def parse_checksums(text: str) -> dict[str, str]:
    """GNU `sha256sum` output (`<hex>  <name>` or `<hex> *<name>`) -> {name: hex}."""
    sums: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.strip().split(maxsplit=1)
        if len(parts) != 2 or not _HEX64_RE.match(parts[0]):
            continue
        name = parts[1].strip().removeprefix("*")
        sums[name] = parts[0].lower()
    return sums


def tag_from_location(location: str) -> str | None:
    """`.../releases/tag/v1.10.4` -> `v1.10.4` (URL-decoded)."""
    marker = "/releases/tag/"
    path = urlsplit(location).path
    if marker not in path:
        return None
    return unquote(path.split(marker, 1)[1]).strip("/") or None


def highest_stable(tags: list[str]) -> str | None:
    stable = [t for t in tags if _STABLE_TAG_RE.match(t)]
    return max(stable, key=lambda t: semver(t) or (0, 0, 0)) if stable else None


def resolve_latest(client: httpx.Client, base: str) -> str:
    """The newest stable Omni release tag, asked of the release site at run time."""
    import httpx

    latest_url = f"{base}/releases/latest"
    try:
        response = client.get(latest_url, follow_redirects=False)
    except httpx.HTTPError as exc:
        raise _unreachable(latest_url, exc) from None
    tag: str | None = None
    if response.is_redirect:
        location = urljoin(latest_url, response.headers.get("location", ""))
        tag = tag_from_location(location)
    if tag is not None and _STABLE_TAG_RE.match(tag):
        return tag
    feed_url = f"{base}/releases.atom"
    try:
        feed = client.get(feed_url, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise _unreachable(feed_url, exc) from None
    if feed.status_code == 200:
        found = [unquote(t) for t in _ATOM_TAG_RE.findall(feed.text[:MAX_TEXT_BYTES])]
        best = highest_stable(found)
        if best is not None:
            return best
    raise EnvironmentProblem(
        f"cannot tell the latest omnictl release from {base} ({latest_url} answered "
        f"{response.status_code}"
        + (f" pointing at tag {tag!r}" if tag else "")
        + f"; {feed_url} answered {feed.status_code})",
        hint="name the release: omni-scale omnictl install --version vX.Y.Z",
    )


def _unreachable(url: str, exc: Exception) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"cannot reach {url}: {type(exc).__name__}: {exc}",
        hint=f"check the network; behind a mirror set ${BASE_URL_ENV}; or pass --ca-file "
        "for a private CA",
    )
