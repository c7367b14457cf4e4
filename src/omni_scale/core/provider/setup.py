"""What `provider setup` writes: docker/compose.yaml, docker/config*.yaml, .env, and the plan.

`plan_setup` computes every file's new content and a change summary without writing anything
(secret values are never part of a summary: only "set" / "changed"). `apply_plan` writes the
plan through the file layer: atomic, secrets 0600, generated files stamped, and nothing a user
changed by hand is replaced without `force` (adding a new service or variable is not a
replacement and needs no force).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from omni_scale.core.machineclass.model import is_dns_label
from omni_scale.core.provider.compose import (
    DEFAULT_IMAGE,
    ProviderEntry,
    flag_value,
    image_for,
    variables_in,
)
from omni_scale.core.provider.config import auth_mode, clear_text_refusal
from omni_scale.errors import InputError
from omni_scale.yamlio import load_all, round_trip_yaml

API_ROOT = "/api2/json"
TOKEN_ID_RE = re.compile(r"^(?P<user>[^@!\s]+)@(?P<realm>[^@!\s]+)!(?P<name>[A-Za-z][\w.-]*)$")
_URL_RE = re.compile(r"^https?://[^/\s:]+(?::\d+)?(?P<path>/[^\s]*)?$")
KEY_NAME_PREFIX = "infra-provider:"


# -- inputs --------------------------------------------------------------------------


@dataclass
class SetupInputs:
    """Everything setup needs. Secrets are excluded from repr."""

    provider_id: str
    omni_endpoint: str
    proxmox_url: str
    token_id: str | None = None
    token_secret: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    realm: str | None = None
    insecure_skip_verify: bool = False
    image: str = DEFAULT_IMAGE
    key: str | None = field(default=None, repr=False)
    omni_insecure_skip_verify: bool = False
    proxmox_ca: str | None = field(default=None, repr=False)  # PEM to mount (not a secret)

    @property
    def auth_mode(self) -> str:
        return auth_mode(self.token_id, self.token_secret, self.username, self.password)

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.token_secret, self.password, self.key) if s)


@dataclass
class Answers:
    """What the user gave for setup, each already taken from its option, environment variable,
    the project's current files or a prompt (None: not given anywhere)."""

    omni_endpoint: str | None = None
    proxmox_url: str | None = None
    password_mode: bool = False  # username + password instead of an API token
    token_id: str | None = None
    token_secret: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    realm: str | None = None
    insecure_skip_verify: bool | None = None  # None: keep the config's value
    omni_insecure_skip_verify: bool | None = None  # None: keep the compose flag
    image: str | None = None  # given with --image (not the compose file's)


def setup_inputs(
    provider_id: str,
    answers: Answers,
    config: Mapping[str, Any],
    entry: ProviderEntry | None,
) -> tuple[SetupInputs, list[str]]:
    """Check the answers and complete them from the current config and compose service:
    (SetupInputs, notes). InputError naming every missing option at once."""
    password_mode = answers.password_mode
    missing = [
        option
        for option, value in (
            ("--proxmox-url", answers.proxmox_url),
            ("--omni-endpoint (or OMNI_ENDPOINT)", answers.omni_endpoint),
            *(
                (
                    ("--username", answers.username),
                    ("--password-file (or PROXMOX_PASSWORD)", answers.password),
                )
                if password_mode
                else (
                    ("--token-id", answers.token_id),
                    ("--token-secret-file (or PROXMOX_TOKEN_SECRET)", answers.token_secret),
                )
            ),
        )
        if not value
    ]
    if missing:
        raise InputError(
            f"provider setup needs {', '.join(missing)}",
            hint="pass them as options or environment variables, or run in a terminal to be "
            "asked (secrets are read from a file, an environment variable or a hidden prompt)",
        )
    assert answers.proxmox_url is not None and answers.omni_endpoint is not None
    notes: list[str] = []
    url, note = normalize_proxmox_url(answers.proxmox_url)
    if note:
        notes.append(note)
    username, realm = answers.username, answers.realm
    if password_mode and username:
        username, realm = split_username(username, realm or config.get("realm"))
    token_id = None if password_mode else answers.token_id
    if token_id:
        check_token_id(token_id)
    skip = answers.insecure_skip_verify
    if skip is None:
        skip = bool(config.get("insecureSkipVerify", False))
    image = answers.image or (entry.image if entry and entry.image else None)
    if image and ":latest" in image and not answers.image:
        notes.append(f"replacing the floating image {image} with a pinned release")
        image = None
    omni_skip = answers.omni_insecure_skip_verify
    if omni_skip is None:
        omni_skip = entry is not None and "--insecure-skip-verify" in entry.command
    inputs = SetupInputs(
        provider_id=provider_id,
        omni_endpoint=check_omni_endpoint(answers.omni_endpoint),
        proxmox_url=url,
        token_id=token_id,
        token_secret=None if password_mode else answers.token_secret,
        username=username if password_mode else None,
        password=answers.password if password_mode else None,
        realm=realm if password_mode else None,
        insecure_skip_verify=bool(skip),
        image=image_for(image),
        omni_insecure_skip_verify=bool(omni_skip),
    )
    return inputs, notes


def normalize_proxmox_url(url: str) -> tuple[str, str | None]:
    """(url with /api2/json, a note when it was added). InputError for what is no URL."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    match = _URL_RE.match(text)
    if not match:
        raise InputError(
            f"Proxmox URL {url!r} is not an http(s) URL",
            hint="e.g. --proxmox-url https://pve1.example.com:8006/api2/json",
        )
    refusal = clear_text_refusal(text)
    if refusal is not None:
        message, hint = refusal
        raise InputError(message, hint=f"{hint} (--proxmox-url)")
    path = (match.group("path") or "").rstrip("/")
    if path == API_ROOT:
        return text.rstrip("/"), None
    if path == "":
        host = text.rstrip("/")
        if not re.search(r":\d+$", host):
            host += ":8006"
        return host + API_ROOT, f"added {API_ROOT} (the provider needs the API root)"
    if path.endswith(API_ROOT) and path.count(API_ROOT) > 1:
        raise InputError(
            f"Proxmox URL {url!r} repeats {API_ROOT} in its path",
            hint=f"give {API_ROOT} once, e.g. https://pve1:8006{API_ROOT}",
        )
    raise InputError(
        f"Proxmox URL {url!r} does not end in {API_ROOT}",
        hint=f"use the API root, e.g. https://pve1:8006{API_ROOT}",
    )


def check_omni_endpoint(url: str) -> str:
    text = url.strip()
    if not re.match(r"^https?://[^/\s]+(/\S*)?$", text):
        raise InputError(
            f"Omni endpoint {url!r} is not an http(s) URL",
            hint="the URL omnictl uses, e.g. --omni-endpoint https://omni.example.com",
        )
    return text


def check_token_id(token_id: str) -> str:
    if not TOKEN_ID_RE.match(token_id):
        raise InputError(
            f"token id {token_id!r} is not of the form user@realm!tokenname",
            hint="copy the full token id from Proxmox (Datacenter > Permissions > API Tokens), "
            "e.g. omni@pve!provider",
        )
    return token_id


def split_username(username: str, realm: str | None) -> tuple[str, str]:
    """`root@pam` -> ("root", "pam"). go-proxmox appends the realm, so it must not be doubled."""
    user, sep, user_realm = username.partition("@")
    if not sep:
        return username, realm or "pam"
    if realm and realm != user_realm:
        raise InputError(
            f"username {username!r} names realm {user_realm!r} but --realm is {realm!r}",
            hint=f"pass --username {user} --realm {realm} (or drop --realm)",
        )
    return user, user_realm


def auth_warnings(inputs: SetupInputs) -> list[str]:
    out: list[str] = []
    if inputs.auth_mode == "password":
        out.append(
            "password auth: provider builds on go-proxmox < v0.4.1 never renew the 2 h ticket, "
            "so calls fail with 'not authorized to access endpoint' after about 2 hours "
            "(provider issue #25); TFA users cannot log in. Prefer an API token "
            "(--token-id and --token-secret-file)"
        )
    if inputs.insecure_skip_verify:
        out.append(
            "insecureSkipVerify: true turns off TLS verification towards Proxmox: anyone on "
            "the path can read the credentials. Prefer a trusted certificate"
        )
    return out


# -- the key -------------------------------------------------------------------------


def extract_key(text: str) -> str:
    """The key from a file: a bare key, or the whole output of `omnictl infraprovider create`."""
    match = re.search(r"^\s*(?:export\s+)?OMNI_SERVICE_ACCOUNT_KEY=(\S+)\s*$", text, re.MULTILINE)
    if match:
        return match.group(1).strip("'\"")
    stripped = text.strip()
    if "\n" in stripped or not stripped:
        raise InputError(
            "the key file holds no key",
            hint="save the line OMNI_SERVICE_ACCOUNT_KEY=... printed by "
            "`omnictl infraprovider create <id>`, or just the key",
        )
    return stripped.strip("'\"")


def key_identity(key: str) -> str | None:
    """The service-account name inside a key (`infra-provider:<id>`), None if undecodable.

    An Omni service-account key is base64 of {"name": ..., "pgp_key": ...} (omni.md §3.5); the
    name is not secret, the pgp_key is and is never returned.
    """
    padded = key.strip() + "=" * (-len(key.strip()) % 4)
    for decoder in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            data = json.loads(decoder(padded))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            continue
        if isinstance(data, Mapping) and isinstance(data.get("name"), str):
            return str(data["name"])
    return None


def key_provider_id(key: str) -> str | None:
    """The provider id a key was created for (None when not an infra-provider key)."""
    name = key_identity(key)
    if name and name.startswith(KEY_NAME_PREFIX):
        return name[len(KEY_NAME_PREFIX) :]
    return None


def check_key(key: str, provider_id: str) -> list[str]:
    """Warnings about a key: wrong id (error), plain service account (error), opaque (warn)."""
    name = key_identity(key)
    if name is None:
        return [
            "the provider key does not decode as an Omni service-account key; check that you "
            "copied the whole OMNI_SERVICE_ACCOUNT_KEY value"
        ]
    if not name.startswith(KEY_NAME_PREFIX):
        raise InputError(
            f"the key belongs to service account {name!r}, not to an infra provider: the "
            f'provider would fail with \'infra provider with name "{provider_id}" is not '
            "registered in the system'",
            hint=f"an Omni admin runs: omnictl infraprovider create {provider_id} "
            "(a key from `omnictl serviceaccount create` is not registered as a provider)",
        )
    key_id = name[len(KEY_NAME_PREFIX) :]
    if key_id != provider_id:
        create = f"omnictl infraprovider create {provider_id}"
        if is_dns_label(key_id):
            hint = f"run setup with --id {key_id}, or create a key for {provider_id}: {create}"
        else:
            # `--id Proxmox` would be refused by setup itself (not DNS-1123, which Omni >= 1.10
            # requires): the only fix that passes is a key for a valid id.
            hint = (
                f"create a key for '{provider_id}' ({key_id!r} is not a lowercase DNS-1123 "
                f"label, so it cannot be the provider's --id): {create}"
            )
        raise InputError(
            f"the key was created for provider id {key_id!r}, not {provider_id!r}: the provider "
            f"would fail with 'resource ID must match the infra provider ID \"{key_id}\"'",
            hint=hint,
        )
    return []


def how_to_get_a_key(provider_id: str, key_variable: str) -> list[str]:
    """The steps to obtain an infra-provider key, with the known traps."""
    return [
        f"An Omni admin runs: omnictl infraprovider create {provider_id}",
        "  It prints OMNI_SERVICE_ACCOUNT_KEY=<key> once; save that output to a file, then:",
        "  omni-scale provider setup --key-file FILE   (or: ... | omni-scale provider setup "
        "--key-file -)",
        "Or let omni-scale do it (omnictl must be logged in as an Omni admin):",
        "  omni-scale provider setup --create-key",
        f"Or in the Omni UI: Settings > Infra Providers > create '{provider_id}', copy the key.",
        "Traps:",
        f"  - the key's name must equal --id exactly ('{provider_id}'; ids are case-sensitive);",
        "  - a plain service-account key (omnictl serviceaccount create) is not registered as "
        "a provider: the provider fails with 'is not registered in the system'.",
        f"The key goes into .env as {key_variable}; it is never printed.",
    ]


# -- config.yaml ---------------------------------------------------------------------

AUTH_KEYS = ("tokenID", "tokenSecret", "username", "password", "realm")
SECRET_CONFIG_KEYS = frozenset({"tokenSecret", "password"})


def config_values(inputs: SetupInputs) -> dict[str, Any]:
    values: dict[str, Any] = {"url": inputs.proxmox_url}
    if inputs.auth_mode == "password":
        values.update(username=inputs.username, password=inputs.password, realm=inputs.realm)
    else:
        values.update(tokenID=inputs.token_id, tokenSecret=inputs.token_secret)
    values["insecureSkipVerify"] = inputs.insecure_skip_verify
    return values


def existing_config_values(text: str | None) -> dict[str, Any]:
    if not text:
        return {}

    try:
        docs = load_all(text, path=None)
    except InputError:
        return {}
    block = docs[0].get("proxmox") if docs and isinstance(docs[0], Mapping) else None
    if not isinstance(block, Mapping):
        return {}
    return {str(k): v for k, v in block.items()}


CONFIG_HINT = (
    "docker/config.yaml holds a 'proxmox:' block: url, tokenID and tokenSecret "
    "(or username, password, realm) and insecureSkipVerify"
)


def render_config(existing: str | None, inputs: SetupInputs) -> str:
    """The provider config text: existing comments and unknown keys kept, ours set."""

    data: Any = None
    if existing:
        try:
            docs = load_all(existing, path=None)
            data = docs[0] if docs else None
        except InputError:
            data = None
    if not isinstance(data, CommentedMap):
        data = CommentedMap()
    block = data.get("proxmox")
    if not isinstance(block, CommentedMap):
        block = CommentedMap()
        data["proxmox"] = block
    for key in AUTH_KEYS:
        block.pop(key, None)
    for key, value in config_values(inputs).items():
        block[key] = value
    out = StringIO()
    round_trip_yaml().dump(data, out)
    return out.getvalue()


# -- the plan ------------------------------------------------------------------------


@dataclass
class FileChange:
    path: Path
    rel: str
    status: str  # "create", "update", "unchanged", "conflict"
    changes: list[str]
    content: str = field(repr=False)
    secret: bool = False
    additive: bool = False  # only adds (a service, a variable): no user value replaced

    def to_json(self) -> dict[str, Any]:
        return {"path": self.rel, "status": self.status, "changes": self.changes}


@dataclass
class SetupPlan:
    provider_id: str
    service: str
    key_variable: str
    config_name: str
    first: bool
    files: list[FileChange]
    key_present: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def conflicts(self) -> list[FileChange]:
        return [f for f in self.files if f.status == "conflict"]

    @property
    def changed(self) -> bool:
        return any(f.status in ("create", "update") for f in self.files)


def _entry_change(key: str, old: Any, new: Any) -> str:
    """`image: v0.2.0 -> v0.3.0 (ghcr.io/...)`: the version change first, where it shows."""
    if key == "image" and isinstance(old, str) and isinstance(new, str):
        old_repo, _, old_tag = old.rpartition(":")
        new_repo, _, new_tag = new.rpartition(":")
        if old_repo and old_repo == new_repo and "/" not in old_tag + new_tag:
            return f"image: {old_tag} -> {new_tag} ({new_repo})"
    return f"{key}: {old} -> {new}"


def _entry_summary(entry: ProviderEntry | None) -> dict[str, Any]:
    if entry is None:
        return {}

    args = list(entry.command)
    endpoint = entry.endpoint or ""
    managed = ("--config-file", "--omni-api-endpoint", "--id", "--omni-service-account-key")
    extra = []
    skip = False
    for index, arg in enumerate(args):
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in managed:
            skip = "=" not in arg and index + 1 < len(args)
            continue
        if name != "--insecure-skip-verify":
            extra.append(arg)
    key_as_flag = flag_value(args, "--omni-service-account-key") is not None
    return {
        "image": entry.image,
        "--id": entry.provider_id,
        "--config-file": flag_value(args, "--config-file"),
        "config mount": entry.config_name,
        "endpoint": ", ".join(variables_in(endpoint)) or endpoint,
        "key": f"{entry.key_variable} as {'a flag' if key_as_flag else 'environment'}",
        "--insecure-skip-verify": "--insecure-skip-verify" in args,
        "other flags": " ".join(extra) or None,
    }


def ca_name_for(provider_id: str, config_name: str) -> str:
    """docker/proxmox-ca.pem beside config.yaml; proxmox-ca-<id>.pem beside config-<id>.yaml."""
    return "proxmox-ca.pem" if config_name == "config.yaml" else f"proxmox-ca-{provider_id}.pem"


def check_ca_bundle(text: str, *, path: Path | str) -> str:
    """The text when it holds at least one PEM certificate, else InputError."""
    if "-----BEGIN CERTIFICATE-----" not in text:
        raise InputError(
            "no PEM certificate (-----BEGIN CERTIFICATE-----) in the CA file",
            path=path,
            hint="pass the CA that signed the Proxmox certificate, e.g. /etc/pve/pve-root-ca.pem "
            "from a node",
        )
    return text
