"""The provider's own Proxmox config file (`docker/config.yaml`), and which one each provider uses.

The file is the one `omni-infra-provider-proxmox --config-file` reads (provider.md §2):

    proxmox:
      url: https://pve1:8006/api2/json
      tokenID: "omni@pve!provider"
      tokenSecret: "<uuid>"
      # or: username: root, password: "...", realm: pam
      insecureSkipVerify: false

Secrets (`tokenSecret`, `password`) are kept out of `repr()`/`str()` and every message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from omni_scale.errors import InputError

API_ROOT = "/api2/json"
DEFAULT_PROVIDER_ID = "proxmox"


@dataclass(frozen=True)
class ProxmoxConfig:
    """The `proxmox:` block of the provider's config file."""

    url: str
    token_id: str | None = None
    token_secret: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    realm: str | None = None
    insecure_skip_verify: bool = False
    path: str | None = None

    def __str__(self) -> str:
        return f"{self.url} ({self.auth_mode} auth as {self.identity or 'nobody'})"

    @property
    def auth_mode(self) -> str:
        return auth_mode(self.token_id, self.token_secret, self.username, self.password)

    @property
    def identity(self) -> str | None:
        """Who Proxmox will see: `user@realm` for passwords (as PVE builds it), the token id."""
        if self.auth_mode == "password":
            assert self.username is not None
            return f"{self.username}@{self.realm}" if self.realm else self.username
        if self.auth_mode == "token":
            return self.token_id
        return None

    @property
    def is_root_login(self) -> bool:
        """True only for a password login of root@pam itself (a token of root@pam is not root)."""
        return self.auth_mode == "password" and self.identity in ("root@pam", "root")

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.token_secret, self.password) if s)


def _text(block: Mapping[str, Any], key: str) -> str | None:
    value = block.get(key)
    if value is None:
        return None
    return str(value)


def parse_provider_config(text: str, *, path: Path | str | None = None) -> ProxmoxConfig:
    """Parse the provider's config.yaml text; one-line InputError with line and hint on problems."""
    from omni_scale.yamlio import line_of, load_all

    docs = [d for d in load_all(text, path=path) if d is not None]
    if not docs or not isinstance(docs[0], Mapping):
        raise InputError(
            "the Proxmox config has no `proxmox:` mapping",
            path=path,
            hint="write `proxmox:` with `url:` and `tokenID:`/`tokenSecret:` (see provider docs)",
        )
    root = docs[0]
    block = root.get("proxmox")
    if not isinstance(block, Mapping):
        where = line_of(root)
        raise InputError(
            "the Proxmox config has no `proxmox:` mapping",
            path=path,
            line=where[0] if where else None,
            hint="put url, tokenID and tokenSecret under a top-level `proxmox:` key",
        )
    url = _text(block, "url")
    if not url:
        where = line_of(root, "proxmox")
        raise InputError(
            "`proxmox.url` is missing",
            path=path,
            line=where[0] if where else None,
            hint="set url: https://<pve-host>:8006/api2/json",
        )
    if API_ROOT not in url:
        where = line_of(block, "url")
        raise InputError(
            f"`proxmox.url` {url!r} does not contain {API_ROOT}: the provider would reach "
            "pveproxy's web UI, not the API",
            path=path,
            line=where[0] if where else None,
            hint=f"use the API root, e.g. https://pve1:8006{API_ROOT}",
        )
    skip = block.get("insecureSkipVerify", False)
    if not isinstance(skip, bool):
        where = line_of(block, "insecureSkipVerify")
        raise InputError(
            "`proxmox.insecureSkipVerify` must be true or false",
            path=path,
            line=where[0] if where else None,
            hint="write insecureSkipVerify: false (verify TLS) or true",
        )
    return ProxmoxConfig(
        url=url,
        token_id=_text(block, "tokenID"),
        token_secret=_text(block, "tokenSecret"),
        username=_text(block, "username"),
        password=_text(block, "password"),
        realm=_text(block, "realm"),
        insecure_skip_verify=skip,
        path=str(path) if path is not None else None,
    )


def is_loopback_host(host: str | None) -> bool:
    """localhost or a loopback address (where plain HTTP crosses no network)."""
    import ipaddress

    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def clear_text_refusal(url: str) -> tuple[str, str] | None:
    """(message, hint) when `url` is plain HTTP to anything but loopback, else None.

    One rule for setup, lint, doctor and the client: the token or password would cross the
    network in clear text (and pveproxy serves only HTTPS)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme != "http" or is_loopback_host(parts.hostname):
        return None
    return (
        f"refusing plain-HTTP Proxmox URL {url.strip()}: the credentials would travel in clear "
        "text (pveproxy serves only HTTPS)",
        f"use https://{parts.netloc}{parts.path}",
    )


def auth_mode(
    token_id: str | None, token_secret: str | None, username: str | None, password: str | None
) -> str:
    """`password` (wins when both are set, as in go-proxmox), `token`, or `none`."""
    if username and password:
        return "password"
    if token_id and token_secret:
        return "token"
    return "none"
