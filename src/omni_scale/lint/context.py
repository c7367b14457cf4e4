"""What rules may know about the project around a file."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from omni_scale.core.provider.compose import command_args, flag_value, resolve_defaults
from omni_scale.core.provider.env_file import parse_env
from omni_scale.errors import InputError
from omni_scale.lint.document import Kind, read_source, reserve
from omni_scale.project import Project
from omni_scale.state import read_state
from omni_scale.textio import read_text_file
from omni_scale.yamlio import yaml_files

DEFAULT_PROVIDER_ID = "proxmox"


@dataclass
class ComposeProvider:
    """One provider service found in docker/compose.yaml."""

    service: str
    provider_id: str
    image: str | None
    version: str | None  # "v0.3.0" from the image tag, None when untagged/latest/digest
    config_file: str | None


@dataclass
class LintContext:
    project: Project | None = None
    providers: list[ComposeProvider] = field(default_factory=list)
    state_provider_id: str | None = None
    # ids defined in the project's machine-classes/ (None when the folder does not exist)
    machine_class_ids: frozenset[str] | None = None
    # the installed omnictl's release ("v1.10.4") when a command found and ran it, else None
    omnictl_version: str | None = None
    # the providerids those machine classes name (spec.autoprovision.providerid)
    machine_class_providerids: frozenset[str] = frozenset()

    @property
    def provider_ids(self) -> frozenset[str]:
        """Every provider id the project runs: compose --id, else state, else 'proxmox'."""
        if self.providers:
            return frozenset(p.provider_id for p in self.providers)
        return frozenset({self.state_provider_id or DEFAULT_PROVIDER_ID})

    @property
    def explicit_providers(self) -> bool:
        """Whether the project names its providers (compose --id or the state file)."""
        return bool(self.providers) or self.state_provider_id is not None

    def is_proxmox_provider(self, provider_id: str | None) -> bool:
        """Whether a class with this `providerid` is meant for the Proxmox provider.

        True for the project's Proxmox provider ids, for `proxmox` in any case (the provider's
        default --id) and for a case variant or near miss of a project id (a typo of ours);
        False for any other id: a class for another infra provider (libvirt, Incus, ...),
        whose providerdata Omni checks against that provider's own published schema.
        An empty id counts as Proxmox (Omni reports the empty id first).
        """
        if provider_id is None or not str(provider_id).strip():
            return True
        value = str(provider_id)
        ids = self.provider_ids
        if value in ids or value.lower() == DEFAULT_PROVIDER_ID:
            return True
        if any(value.lower() == i.lower() for i in ids):
            return True

        return bool(difflib.get_close_matches(value, sorted(ids), n=1, cutoff=0.8))

    def provider_version(self, provider_id: str | None = None) -> str | None:
        """The provider release the project runs for `provider_id` (None when unknown)."""
        for provider in self.providers:
            if provider_id is None or provider.provider_id == provider_id:
                return provider.version
        return None


_TAG_RE = re.compile(r":(v?\d+\.\d+\.\d+)(?:@sha256:[0-9a-f]+)?$")


def image_version(image: str | None) -> str | None:
    if not image:
        return None
    match = _TAG_RE.search(image)
    if not match:
        return None
    tag = match.group(1)
    return tag if tag.startswith("v") else "v" + tag


def _resolved_id(raw: str | None, env: Mapping[str, str] | None = None) -> str:
    """`--id=${PROVIDER_ID:-matrix-cluster}` -> PROVIDER_ID from `env` (the project's .env
    under the shell's variables), else its default (compose interpolation)."""
    if not raw:
        return DEFAULT_PROVIDER_ID
    return resolve_defaults(raw, env) or DEFAULT_PROVIDER_ID


def providers_from_compose(
    data: Any, env: Mapping[str, str] | None = None
) -> list[ComposeProvider]:
    """Provider services of a compose document (image omni-infra-provider-proxmox)."""
    found: list[ComposeProvider] = []
    services = data.get("services") if isinstance(data, Mapping) else None
    if not isinstance(services, Mapping):
        return found
    for name, service in services.items():
        if not isinstance(service, Mapping):
            continue
        image = service.get("image")
        image_s = str(image) if image is not None else None
        if image_s is not None and "omni-infra-provider-proxmox" not in image_s:
            continue
        args = command_args(service.get("command"))
        if image_s is None and not args:
            continue
        found.append(
            ComposeProvider(
                service=str(name),
                provider_id=_resolved_id(flag_value(args, "--id"), env),
                image=image_s,
                version=image_version(image_s),
                config_file=flag_value(args, "--config-file"),
            )
        )
    return found


def build_context(project: Project | None) -> LintContext:
    """Read what the rules need from the project (compose file, state, machine classes)."""

    ctx = LintContext(project=project)
    if project is None:
        return ctx
    if project.compose_file.is_file():
        env = _compose_variables(project)
        source = read_source(project.compose_file)
        for doc in source.documents:
            ctx.providers.extend(providers_from_compose(doc.data, env))
    try:
        if project.state_file.is_file():  # the defaults of a missing state name no provider
            ctx.state_provider_id = read_state(project.state_file).get("provider_id")
    except InputError:
        ctx.state_provider_id = None
    if project.machine_classes_dir.is_dir():
        ids: set[str] = set()
        providerids: set[str] = set()
        files = yaml_files(project.machine_classes_dir)
        reserve(len(files))  # the rules read these files again: keep them all parsed
        for path in files:
            for doc in read_source(path).documents:
                if doc.kind is Kind.MACHINE_CLASS:
                    metadata = doc.data.get("metadata")
                    if isinstance(metadata, Mapping) and metadata.get("id"):
                        ids.add(str(metadata["id"]))
                    providerid = _providerid(doc.data)
                    if providerid:
                        providerids.add(providerid)
        ctx.machine_class_ids = frozenset(ids)
        ctx.machine_class_providerids = frozenset(providerids)
    return ctx


def _compose_variables(project: Project) -> dict[str, str]:
    """What compose interpolates docker/compose.yaml with: .env (read as Compose reads it),
    under the shell's variables (they win). An unreadable .env adds nothing."""

    text = ""
    if project.env_file.is_file():
        try:
            text = read_text_file(project.env_file, what=".env")
        except InputError:
            text = ""
    return {**parse_env(text), **os.environ}


def _providerid(data: Any) -> str | None:
    spec = data.get("spec") if isinstance(data, Mapping) else None
    auto = spec.get("autoprovision") if isinstance(spec, Mapping) else None
    providerid = auto.get("providerid") if isinstance(auto, Mapping) else None
    return str(providerid) if providerid is not None else None
