"""Shared helpers of the provider rules (compose services and config blocks)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from omni_scale.core.provider.compose import ProviderEntry, entry_from_service, is_provider_service
from omni_scale.core.provider.env_file import parse_env
from omni_scale.errors import InputError
from omni_scale.lint.document import Document
from omni_scale.textio import read_text_file

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext


def provider_services(doc: Document) -> Iterator[tuple[str, Any, ProviderEntry]]:
    """(service name, service node, parsed entry) for each provider service of a compose doc."""
    services = doc.data.get("services") if isinstance(doc.data, Mapping) else None
    if not isinstance(services, Mapping):
        return
    for name, service in services.items():
        if is_provider_service(service):
            yield str(name), service, entry_from_service(str(name), service)


def command_index(service: Any, flag: str) -> int | None:
    """Index of `flag` (or `flag=...`) in a list-form `command`, else None."""
    command = service.get("command")
    if not isinstance(command, list):
        return None
    for index, arg in enumerate(command):
        text = str(arg)
        if text == flag or text.startswith(flag + "="):
            return index
    return None


def where(service: Any, flag: str) -> tuple[Any, Any]:
    """(node, key) to point a problem at `flag` in the command, else at `command`/the service."""
    index = command_index(service, flag)
    if index is not None:
        return service.get("command"), index
    if "command" in service:
        return service, "command"
    return service, None


def env_values(ctx: LintContext) -> dict[str, str]:
    """The project's .env values (the key's *name* is read from them, never printed)."""
    if ctx.project is None or not ctx.project.env_file.is_file():
        return {}

    try:  # capped, regular files only (fs.read)
        return parse_env(read_text_file(ctx.project.env_file, what=".env"))
    except InputError:  # a FIFO, a device, a huge or binary file: other checks report it
        return {}


def proxmox_block(doc: Document) -> Any:
    block = doc.data.get("proxmox") if isinstance(doc.data, Mapping) else None
    return block if isinstance(block, Mapping) else None
