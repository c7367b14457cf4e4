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
from omni_scale.project import PROVIDER_CONFIG, SNAPSHOT_FILE, Project

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


def load_provider_config(path: Path) -> ProxmoxConfig:
    from omni_scale.yamlio import read_text_file

    return parse_provider_config(read_text_file(path, what="Proxmox config"), path=path)


@dataclass(frozen=True)
class ProviderTarget:
    """One provider the project runs: its id, its Proxmox config file and its snapshot file."""

    provider_id: str
    config_path: Path
    snapshot_path: Path
    version: str | None = None
    service: str | None = None


def _volume_source(base: Path, service: Any, target: str) -> Path | None:
    """The host path a compose service mounts at `target` (short or long volume syntax)."""
    volumes = service.get("volumes") if isinstance(service, Mapping) else None
    for volume in volumes if isinstance(volumes, list) else []:
        source = dest = None
        if isinstance(volume, str):
            parts = volume.split(":")
            if len(parts) >= 2:
                source, dest = parts[0], parts[1]
        elif isinstance(volume, Mapping):
            source, dest = volume.get("source"), volume.get("target")
        if source and dest and str(dest) == target and str(source).startswith((".", "/")):
            return (base / str(source)).resolve()
    return None


def snapshot_name(provider_id: str, several: bool) -> Path:
    """`proxmox-snapshot.json`, or `proxmox-snapshot-<id>.json` for non-default ids of several."""
    if several and provider_id != DEFAULT_PROVIDER_ID:
        return Path(f"proxmox-snapshot-{provider_id}.json")
    return SNAPSHOT_FILE


def provider_targets(project: Project, *, strict: bool = False) -> list[ProviderTarget]:
    """Every provider of the project (from docker/compose.yaml), else the single default one.

    With `strict`, a compose file that cannot be read or parsed raises its one-line error
    instead of being taken for "no providers" (which would silently pick the default id).
    """
    from omni_scale.lint.context import providers_from_compose
    from omni_scale.lint.document import read_source

    found: list[tuple[Any, Any]] = []  # (ComposeProvider, its service mapping)
    if project.compose_file.is_file():
        import os

        from omni_scale.core.provider_setup import compose_variables

        env = compose_variables(project, os.environ)
        source = read_source(project.compose_file)
        if strict and source.error is not None:
            raise source.error
        for doc in source.documents:
            services = doc.data.get("services") if isinstance(doc.data, Mapping) else None
            for provider in providers_from_compose(doc.data, env):
                service = services.get(provider.service) if isinstance(services, Mapping) else None
                found.append((provider, service))
    if not found:
        provider_id = _state_provider_id(project) or DEFAULT_PROVIDER_ID
        snapshot = project.root / snapshot_name(provider_id, False)
        return [ProviderTarget(provider_id, project.provider_config, snapshot)]
    several = len(found) > 1
    base = project.compose_file.parent
    targets: list[ProviderTarget] = []
    for provider, _service in found:
        _check_path_safe_id(project, provider.provider_id)
    for provider, service in found:
        config: Path | None = None
        if provider.config_file:
            config = _volume_source(base, service, provider.config_file)
        if config is None:
            if not several or provider.provider_id == DEFAULT_PROVIDER_ID:
                config = project.root / PROVIDER_CONFIG
            else:
                config = project.root / "docker" / f"config-{provider.provider_id}.yaml"
        targets.append(
            ProviderTarget(
                provider.provider_id,
                config,
                project.root / snapshot_name(provider.provider_id, several),
                provider.version,
                provider.service,
            )
        )
    return targets


def _check_path_safe_id(project: Project, provider_id: str) -> None:
    """A provider id names files (docker/config-ID.yaml, proxmox-snapshot-ID.json): one that
    could leave its folder (`a/b`, `../x`, `..`, an absolute path) is refused, whatever the
    compose file says."""
    if provider_id in ("", ".", "..") or any(c in provider_id for c in "/\\\0"):
        raise InputError(
            f"provider id {provider_id!r} is not a valid id (it would be used in file names)",
            path=project.relative(project.compose_file),
            hint="use a DNS-1123 label in --id=..., e.g. --id=proxmox",
        )


def _state_provider_id(project: Project) -> str | None:
    from omni_scale.state import read_state

    try:
        value = read_state(project.state_file).get("provider_id")
    except InputError:
        return None
    return str(value) if value else None


def find_target(project: Project, provider_id: str | None) -> ProviderTarget:
    targets = provider_targets(project, strict=True)
    if provider_id is None:
        if len(targets) > 1:
            ids = ", ".join(t.provider_id for t in targets)
            raise InputError(
                f"the project runs several providers ({ids})",
                hint="choose one with --provider ID",
            )
        return targets[0]
    for target in targets:
        if target.provider_id == provider_id:
            return target
    ids = ", ".join(t.provider_id for t in targets)
    raise InputError(
        f"no provider with id {provider_id!r} in this project (known: {ids})",
        path=project.relative(project.compose_file),
        hint="pass an id from docker/compose.yaml (--id of a provider service)",
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
