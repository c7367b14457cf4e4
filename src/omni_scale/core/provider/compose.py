"""The project's docker/compose.yaml: one provider service per provider id.

Pure: text in, text out. `merge_provider` adds or updates one provider service in an existing
compose text (round-trip, so other services, comments and the user's extra keys stay), and
`read_providers` tells which providers a compose text runs, with their key variable and config
file. The service runs the provider with `--config-file`, `--omni-api-endpoint`, `--id`; the
key reaches it as the environment variable OMNI_SERVICE_ACCOUNT_KEY (not as a flag, so it is not
in the container's argv), interpolated from `.env`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from io import StringIO
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from omni_scale.errors import InputError
from omni_scale.yamlio import line_of, load_all, round_trip_yaml

IMAGE_REPOSITORY = "ghcr.io/siderolabs/omni-infra-provider-proxmox"
DEFAULT_TAG = "v0.3.0"  # siderolabs/omni-infra-provider-proxmox: newest release
DEFAULT_IMAGE = f"{IMAGE_REPOSITORY}:{DEFAULT_TAG}"
DEFAULT_PROVIDER_ID = "proxmox"
KEY_VARIABLE = "OMNI_INFRA_PROVIDER_KEY"
ENDPOINT_VARIABLE = "OMNI_ENDPOINT"
CONTAINER_CONFIG = "/config.yaml"
# An extra CA for the Proxmox API, beside the image's public bundle: Go's crypto/x509 reads
# /etc/ssl/certs/ca-certificates.crt and then every file in /etc/ssl/certs (root_unix.go).
CONTAINER_CA = "/etc/ssl/certs/omni-scale-proxmox-ca.pem"
RESTART_POLICY = "unless-stopped"

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_VAR_RE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::?[-?+][^}]*)?\}")


def check_provider_id(provider_id: str) -> str:
    """The id if it is a DNS-1123 label (what Omni >= 1.10 accepts), else InputError."""
    if not _DNS1123_LABEL.match(provider_id):
        lower = provider_id.lower()
        hint = "lowercase letters, digits and '-', starting and ending with a letter or digit"
        if lower != provider_id and _DNS1123_LABEL.match(lower):
            hint = f"use '{lower}' (ids are case-sensitive and Omni >= 1.10 rejects capitals)"
        raise InputError(
            f"provider id '{provider_id}' is not a DNS-1123 label (max 63 characters)",
            hint=hint,
        )
    return provider_id


def check_image(image: str) -> str:
    """Refuse floating images: the tag must be a release (vX.Y.Z) or a digest."""
    name = image.split("@", 1)[0]
    tag = name.rsplit(":", 1)[1] if ":" in name.rsplit("/", 1)[-1] else None
    if "@sha256:" in image:
        return image
    if tag is None or tag == "latest":
        raise InputError(
            f"image '{image}' floats ({'no tag' if tag is None else 'latest'})",
            hint=f"pin a release tag, e.g. {DEFAULT_IMAGE}, or a digest (@sha256:...)",
        )
    return image


_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
# docker's reference grammar (distribution/reference): [host[:port]/]path[:tag][@digest]
_IMAGE_RE = re.compile(
    rf"(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?{_COMPONENT}(?:/{_COMPONENT})*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?"
)


def check_image_reference(image: str) -> str:
    """An image reference docker accepts, naming the Proxmox provider (any registry or
    mirror): no `${...}` (compose would interpolate it), no spaces, no other program."""
    if not _IMAGE_RE.fullmatch(image):
        raise InputError(
            f"--image {image!r} is not an image reference (registry/path:tag)",
            hint=f"pass a release tag (v0.3.0) or a full image such as {DEFAULT_IMAGE}",
        )
    path = image.split("@", 1)[0]
    last = path.rsplit("/", 1)[-1].split(":", 1)[0]
    if last != IMAGE_REPOSITORY.rsplit("/", 1)[-1]:
        raise InputError(
            f"--image {image} is not the Proxmox provider's image ({IMAGE_REPOSITORY})",
            hint=f"pass a release tag (v0.3.0), or the provider's image from your mirror, "
            f"e.g. {DEFAULT_IMAGE}",
        )
    return image


def image_for(tag_or_image: str | None) -> str:
    """`v0.3.0` -> the full image; a full image reference is kept as given."""
    if not tag_or_image:
        return DEFAULT_IMAGE
    if "/" in tag_or_image or ":" in tag_or_image or "@" in tag_or_image:
        return check_image(check_image_reference(tag_or_image))
    tag = tag_or_image if tag_or_image.startswith("v") else "v" + tag_or_image
    return check_image(check_image_reference(f"{IMAGE_REPOSITORY}:{tag}"))


def key_variable_for(provider_id: str, *, first: bool) -> str:
    """OMNI_INFRA_PROVIDER_KEY for the project's first provider, else ..._<ID>."""
    if first:
        return KEY_VARIABLE
    return f"{KEY_VARIABLE}_{provider_id.upper().replace('-', '_')}"


def config_name_for(provider_id: str, *, first: bool) -> str:
    """docker/config.yaml for the first provider, else docker/config-<id>.yaml."""
    return "config.yaml" if first else f"config-{provider_id}.yaml"


@dataclass(frozen=True)
class ProviderSpec:
    """What setup wants one provider service to be."""

    provider_id: str
    image: str = DEFAULT_IMAGE
    key_variable: str = KEY_VARIABLE
    config_name: str = "config.yaml"  # file in docker/, next to compose.yaml
    service: str | None = None  # default: provider-<id>
    omni_insecure_skip_verify: bool = False
    ca_name: str | None = None  # a CA bundle in docker/ to mount (self-signed Proxmox)

    @property
    def service_name(self) -> str:
        return self.service or f"provider-{self.provider_id}"


@dataclass(frozen=True)
class ProviderEntry:
    """One provider service found in a compose text."""

    service: str
    provider_id: str
    id_explicit: bool  # False: no --id, the provider runs as the default 'proxmox'
    image: str | None
    key_variable: str | None  # the .env variable holding its key
    key_literal: bool  # the key is written into the compose file itself
    config_name: str | None  # host path of the mounted config, relative to docker/
    endpoint: str | None
    command: tuple[str, ...]


# -- reading ---------------------------------------------------------------------------


def command_args(command: Any) -> list[str]:
    """A service's `command` as argv: a list as is, a string split like a shell (as compose
    does; unbalanced quotes fall back to whitespace)."""
    if isinstance(command, str):
        try:
            return shlex.split(command)
        except ValueError:
            return command.split()
    if isinstance(command, list):
        return [str(a) for a in command]
    return []


def flag_value(args: list[str] | tuple[str, ...], flag: str) -> str | None:
    """The value of `flag` in argv (`--flag value` or `--flag=value`), the first one wins."""
    for index, arg in enumerate(args):
        if arg == flag and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith(flag + "="):
            return arg.split("=", 1)[1]
    return None


def _environment(service: Mapping[str, Any]) -> dict[str, str | None]:
    env = service.get("environment")
    if isinstance(env, Mapping):
        return {str(k): None if v is None else str(v) for k, v in env.items()}
    out: dict[str, str | None] = {}
    if isinstance(env, list):
        for item in env:
            name, sep, value = str(item).partition("=")
            out[name] = value if sep else None
    return out


def variables_in(text: str) -> list[str]:
    return [m.group("name") for m in _VAR_RE.finditer(text)]


_DEFAULT_RE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?-)(?P<default>[^}]*)\}")


def resolve_defaults(value: str, env: Mapping[str, str] | None = None) -> str:
    """`${PROVIDER_ID:-matrix-cluster}` -> the variable from `env`, else its default
    (`:-` also when it is empty; `-` only when it is unset), as compose interpolates."""
    environ = env or {}

    def replace(match: re.Match[str]) -> str:
        current = environ.get(match.group("name"))
        if current is None or (current == "" and match.group("op") == ":-"):
            return match.group("default")
        return current

    return _DEFAULT_RE.sub(replace, value)


def is_provider_service(service: Any) -> bool:
    if not isinstance(service, Mapping):
        return False
    image = service.get("image")
    if image is not None:
        return "omni-infra-provider-proxmox" in str(image)
    args = command_args(service.get("command"))
    return flag_value(args, "--config-file") is not None and any("omni" in a for a in args)


def _mounted_config(service: Mapping[str, Any], container_path: str) -> str | None:
    volumes = service.get("volumes")
    if not isinstance(volumes, list):
        return None
    for volume in volumes:
        if isinstance(volume, Mapping):
            source, target = volume.get("source"), volume.get("target")
        else:
            parts = str(volume).split(":")
            if len(parts) < 2:
                continue
            source, target = parts[0], parts[1]
        if str(target) == container_path and source:
            src = str(source)
            return src[2:] if src.startswith("./") else src
    return None


def entry_from_service(
    name: str, service: Mapping[str, Any], variables: Mapping[str, str] | None = None
) -> ProviderEntry:
    args = command_args(service.get("command"))
    raw_id = flag_value(args, "--id")
    provider_id = resolve_defaults(raw_id, variables) if raw_id is not None else None
    env = _environment(service)
    key_source = flag_value(args, "--omni-service-account-key") or env.get(
        "OMNI_SERVICE_ACCOUNT_KEY"
    )
    key_variable = None
    key_literal = False
    if key_source:
        names = variables_in(key_source)
        key_variable = names[0] if names else None
        key_literal = not names
    elif "OMNI_SERVICE_ACCOUNT_KEY" in env:  # `- OMNI_SERVICE_ACCOUNT_KEY` passes the host's
        key_variable = "OMNI_SERVICE_ACCOUNT_KEY"
    config_file = flag_value(args, "--config-file")
    image = service.get("image")
    return ProviderEntry(
        service=name,
        provider_id=provider_id or DEFAULT_PROVIDER_ID,
        id_explicit=provider_id is not None,
        image=None if image is None else str(image),
        key_variable=key_variable,
        key_literal=key_literal,
        config_name=_mounted_config(service, config_file) if config_file else None,
        endpoint=flag_value(args, "--omni-api-endpoint") or env.get(ENDPOINT_VARIABLE),
        command=tuple(args),
    )


def load_compose(text: str, *, path: Any = None, line_offset: int = 0) -> Any:

    docs = load_all(text, path=path, line_offset=line_offset)
    data = docs[0] if docs else None
    if data is None:
        return CommentedMap()
    if not isinstance(data, MutableMapping):
        raise InputError(
            "compose file is not a mapping",
            path=path,
            line=1 + line_offset,
            hint="expected 'services:' at top",
        )
    return data


def read_providers(
    text: str,
    *,
    path: Any = None,
    line_offset: int = 0,
    env: Mapping[str, str] | None = None,
) -> list[ProviderEntry]:
    """Provider services of a compose text, in file order. `env`: the variables compose
    interpolates with (the project's .env under the shell's), for `--id=${VAR:-default}`."""
    data = load_compose(text, path=path, line_offset=line_offset)
    services = data.get("services")
    if not isinstance(services, Mapping):
        return []
    return [
        entry_from_service(str(name), service, env)
        for name, service in services.items()
        if is_provider_service(service)
    ]


# -- writing ---------------------------------------------------------------------------


def _command(spec: ProviderSpec, previous: list[str]) -> list[str]:
    ours = {
        "--config-file": CONTAINER_CONFIG,
        "--omni-api-endpoint": f"${{{ENDPOINT_VARIABLE}:?{ENDPOINT_VARIABLE} is not set in .env}}",
        "--id": spec.provider_id,
    }
    managed = (*ours, "--omni-service-account-key", "--insecure-skip-verify")
    kept: list[str] = []
    skip = False
    for index, arg in enumerate(previous):
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in managed:
            nxt = previous[index + 1] if index + 1 < len(previous) else ""
            skip = "=" not in arg and name != "--insecure-skip-verify" and not nxt.startswith("-")
            continue
        kept.append(arg)
    command = [f"{flag}={value}" for flag, value in ours.items()]
    if spec.omni_insecure_skip_verify:
        command.append("--insecure-skip-verify")
    return command + kept


def _key_value(spec: ProviderSpec) -> str:
    hint = (
        f"{spec.key_variable} is not set in .env (omnictl infraprovider create {spec.provider_id})"
    )
    return f"${{{spec.key_variable}:?{hint}}}"


def _seq(items: list[Any]) -> Any:

    return CommentedSeq(items)


def _apply(service: MutableMapping[str, Any], spec: ProviderSpec) -> None:

    service["image"] = spec.image
    if "restart" not in service:
        service["restart"] = RESTART_POLICY
    service["command"] = _seq(_command(spec, command_args(service.get("command"))))
    env = service.get("environment")
    if isinstance(env, list):
        items = [str(i) for i in env if str(i).split("=", 1)[0] != "OMNI_SERVICE_ACCOUNT_KEY"]
        items.append(f"OMNI_SERVICE_ACCOUNT_KEY={_key_value(spec)}")
        service["environment"] = _seq(items)
    else:
        mapping = env if isinstance(env, MutableMapping) else CommentedMap()
        mapping["OMNI_SERVICE_ACCOUNT_KEY"] = _key_value(spec)
        service["environment"] = mapping
    mounts = [f"./{spec.config_name}:{CONTAINER_CONFIG}:ro"]
    ours = {CONTAINER_CONFIG}
    if spec.ca_name:
        mounts.append(f"./{spec.ca_name}:{CONTAINER_CA}:ro")
        ours.add(CONTAINER_CA)
    volumes = service.get("volumes")
    kept = []
    if isinstance(volumes, list):
        for volume in volumes:
            target = (
                volume.get("target")
                if isinstance(volume, Mapping)
                else [*str(volume).split(":"), ""][1]
            )
            if str(target) not in ours:
                kept.append(volume)
    service["volumes"] = _seq([*mounts, *kept])


def new_service(spec: ProviderSpec) -> Any:

    service = CommentedMap()
    _apply(service, spec)
    return service


def merge_provider(
    existing: str | None, spec: ProviderSpec, *, path: Any = None, line_offset: int = 0
) -> str:
    """The compose text with `spec`'s provider service added or updated; the rest kept.

    `line_offset`: lines above `existing` in the file (a stamp line), for error positions.
    """

    data = (
        load_compose(existing, path=path, line_offset=line_offset) if existing else CommentedMap()
    )
    services = data.get("services")
    if services is not None and not isinstance(services, MutableMapping):
        where = line_of(data, "services")
        raise InputError(
            "'services' is not a mapping",
            path=path,
            line=where[0] + line_offset if where else None,
            hint="'services:' maps each service name to its settings; fix it, or move the "
            "file away to let setup write a new one",
        )
    if services is None:
        services = CommentedMap()
        data["services"] = services
    target: str | None = None
    for name, service in services.items():
        if is_provider_service(service):
            entry = entry_from_service(str(name), service)
            if entry.provider_id == spec.provider_id:
                target = str(name)
                break
    if target is None:
        target = spec.service_name
        if target in services:
            raise InputError(
                f"compose service '{target}' exists and is not a Proxmox provider",
                path=path,
                hint="rename that service, or pick another provider id",
            )
        services[target] = new_service(spec)
    else:
        _apply(services[target], spec)
    out = StringIO()
    round_trip_yaml().dump(data, out)
    return out.getvalue()


def remove_provider(existing: str, provider_id: str, *, path: Any = None) -> str:
    """The compose text without the provider service of `provider_id`."""

    data = load_compose(existing, path=path)
    services = data.get("services")
    if isinstance(services, MutableMapping):
        for name in list(services):
            service = services[name]
            if (
                is_provider_service(service)
                and entry_from_service(str(name), service).provider_id == provider_id
            ):
                del services[name]
    out = StringIO()
    round_trip_yaml().dump(data, out)
    return out.getvalue()
