"""Helpers shared by the MachineClass rules (not a rule: the leading underscore hides it).

The providerdata of a document is parsed once per lint run and cached here, with the map from
positions inside the providerdata string to the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from omni_scale.core.machineclass.model import Origin, providerdata_origin
from omni_scale.core.machineclass.providerdata import issue_line, load_providerdata_yaml
from omni_scale.errors import InputError
from omni_scale.lint.document import Document
from omni_scale.textio import read_text_file
from omni_scale.yamlio import line_of

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext


def mapping(value: Any) -> Mapping[str, Any] | None:
    return value if isinstance(value, Mapping) else None


def metadata_of(doc: Document) -> Mapping[str, Any] | None:
    return mapping(doc.data.get("metadata")) if isinstance(doc.data, Mapping) else None


def spec_of(doc: Document) -> Mapping[str, Any] | None:
    return mapping(doc.data.get("spec")) if isinstance(doc.data, Mapping) else None


def autoprovision_of(doc: Document) -> Mapping[str, Any] | None:
    spec = spec_of(doc)
    return mapping(spec.get("autoprovision")) if spec is not None else None


def is_proxmox_class(doc: Document, ctx: LintContext) -> bool:
    """Whether the Proxmox providerdata rules apply to this class (see
    `LintContext.is_proxmox_provider`): any other provider gets Omni's generic checks only."""
    auto = autoprovision_of(doc)
    if auto is None:
        return True
    providerid = auto.get("providerid")
    return ctx.is_proxmox_provider(None if providerid is None else str(providerid))


@dataclass
class ProviderDataInfo:
    """The providerdata of one document: text, round-trip node, parse error, origin."""

    autoprovision: Mapping[str, Any]
    text: str
    node: Any  # round-trip mapping (or other value) of the parsed text; None if empty/bad
    error: InputError | None
    origin: Origin

    def position(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        """1-based file (line, column) of the key at `path` inside the providerdata."""

        if self.origin.exact and self.node is not None:
            pos = issue_line(self.node, path)
            if pos is not None:
                return self.origin.position(*pos)
        return self.key_position()

    def key_position(self) -> tuple[int, int]:
        pos = line_of(self.autoprovision, "providerdata")
        return pos if pos is not None else (self.origin.line, self.origin.column)

    def value_position(self, container: Any, key: str | int) -> tuple[int, int, bool] | None:
        """1-based file (line, column) where a scalar value inside providerdata starts, and
        whether that value is quoted (so its text starts one column later)."""
        if not self.origin.exact:
            return None
        lc = getattr(container, "lc", None)
        if lc is None:
            return None
        try:
            vline, vcol = lc.value(key) if isinstance(container, Mapping) else lc.item(key)
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
        lines = self.text.splitlines()
        quoted = vline < len(lines) and lines[vline][vcol : vcol + 1] in ("'", '"')
        line, column = self.origin.position(vline, vcol)
        return line, column, quoted


def _file_text(doc: Document) -> str:
    """The file's text (for block-scalar indentation): the parsed file's, else read again."""
    if doc.file_text:
        return doc.file_text

    try:  # capped, regular files only (fs.read)
        return read_text_file(doc.path)
    except InputError:  # the loader reports the file itself
        return ""


def providerdata_info(doc: Document) -> ProviderDataInfo | None:
    """The document's providerdata when it is a string under a spec.autoprovision mapping.

    Built once per document (every MachineClass rule asks for it) and kept with it; the parsed
    text itself is shared by every document with the same text (`load_providerdata_yaml`)."""
    if "providerdata" not in doc.memo:
        doc.memo["providerdata"] = _build(doc)
    info: ProviderDataInfo | None = doc.memo["providerdata"]
    return info


def _build(doc: Document) -> ProviderDataInfo | None:
    auto = autoprovision_of(doc)
    if auto is None or not isinstance(auto.get("providerdata"), str):
        return None
    text = str(auto["providerdata"])
    origin = providerdata_origin(auto, _file_text(doc))
    node: Any = None
    error: InputError | None = None
    try:
        node = load_providerdata_yaml(text, path=doc.path, line_offset=origin.line - 1)
    except InputError as exc:
        error = exc
    return ProviderDataInfo(auto, text, node, error, origin)


def providerdata_mapping(doc: Document) -> tuple[ProviderDataInfo, Mapping[str, Any]] | None:
    """(info, mapping) when the providerdata parsed to a mapping, else None."""
    info = providerdata_info(doc)
    if info is None or info.error is not None or not isinstance(info.node, Mapping):
        return None
    return info, info.node


def camel_to_snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
