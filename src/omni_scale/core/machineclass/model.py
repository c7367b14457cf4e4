"""The MachineClass resource (omni.md §1.1): what a file in machine-classes/ holds.

`MachineClass` is one COSI `MachineClasses.omni.sidero.dev` document; `providerdata_origin`
maps positions inside the providerdata string back to the file (for line/column in messages).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omni_scale.core.machineclass.providerdata import ProviderData, parse_providerdata
from omni_scale.errors import InputError

if TYPE_CHECKING:
    pass

MACHINE_CLASS_TYPE = "MachineClasses.omni.sidero.dev"
NAMESPACE = "default"
SPEC_KEYS = ("matchlabels", "autoprovision")
AUTOPROVISION_KEYS = ("providerid", "providerdata", "kernelargs", "metavalues", "grpctunnel")
METADATA_KEYS = ("namespace", "type", "id", "labels", "annotations")
METADATA_IGNORED_KEYS = ("version", "owner", "phase", "created", "updated", "finalizers")
DNS_LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


def is_dns_label(name: str) -> bool:
    return bool(DNS_LABEL_RE.match(name))


@dataclass(frozen=True)
class Origin:
    """Where the providerdata text starts in its file.

    line: 1-based file line of the text's first line; column: 1-based file column of its first
    character on every line (block scalars); exact: False for flow scalars on one line with
    escapes or folded lines, where positions inside are approximate.
    """

    line: int
    column: int
    exact: bool

    def position(self, text_line: int, text_column: int) -> tuple[int, int]:
        """1-based file (line, column) of 0-based (line, column) inside the providerdata."""
        return self.line + text_line, self.column + text_column


def providerdata_origin(autoprovision: Any, file_text: str) -> Origin:
    """Origin of `autoprovision['providerdata']` in the round-trip node read from `file_text`."""
    return scalar_origin(autoprovision, "providerdata", file_text)


def scalar_origin(container: Any, key: str, file_text: str) -> Origin:
    """Origin of the string `container[key]` in the round-trip node read from `file_text`."""
    lc = getattr(container, "lc", None)
    lines = file_text.splitlines()
    try:
        vline, vcol = lc.value(key) if lc is not None else (None, None)
    except (KeyError, TypeError, AttributeError):
        vline, vcol = None, None
    if vline is None or vcol is None:
        return Origin(1, 1, False)
    head = lines[vline][vcol:] if vline < len(lines) else ""
    if head[:1] in ("|", ">"):
        # The text starts on the line after the indicator, leading blank lines included (they
        # are part of it); only its indentation comes from the first line that is not blank.
        for index in range(vline + 1, len(lines)):
            if lines[index].strip():
                indent = len(lines[index]) - len(lines[index].lstrip(" "))
                return Origin(vline + 2, indent + 1, head[:1] == "|")
        return Origin(vline + 2, vcol + 1, False)
    if head[:1] in ("'", '"'):
        return Origin(vline + 1, vcol + 2, False)
    return Origin(vline + 1, vcol + 1, False)


@dataclass(frozen=True)
class MachineClass:
    id: str
    path: Path
    line: int  # 1-based line of the document's metadata (or its first line)
    providerid: str | None
    providerdata_text: str | None
    providerdata_line: int  # 1-based file line where the providerdata text starts
    matchlabels: tuple[str, ...] | None

    def providerdata(self) -> ProviderData:
        """The parsed providerdata; InputError with this file and line when it is bad."""
        if self.providerdata_text is None:
            raise InputError(
                f"machine class '{self.id}' has no spec.autoprovision.providerdata",
                path=self.path,
                line=self.line,
                hint="add providerdata with cores, memory, disk_size and storage_selector",
            )
        return parse_providerdata(
            self.providerdata_text, path=self.path, line_offset=self.providerdata_line - 1
        )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def from_document(data: Any, path: Path, file_text: str, start_line: int = 1) -> MachineClass:
    """A MachineClass from one round-trip document (whatever its defects; lint finds those)."""
    from omni_scale.yamlio import line_of

    metadata = _mapping(data.get("metadata")) if isinstance(data, Mapping) else {}
    spec = _mapping(data.get("spec")) if isinstance(data, Mapping) else {}
    auto = spec.get("autoprovision")
    auto_map = _mapping(auto)
    text = auto_map.get("providerdata")
    labels = spec.get("matchlabels")
    pos = line_of(data, "metadata") if isinstance(data, Mapping) else None
    providerid = auto_map.get("providerid")
    return MachineClass(
        id=str(metadata.get("id") or ""),
        path=path,
        line=pos[0] if pos else start_line,
        providerid=str(providerid) if providerid is not None and auto is not None else None,
        providerdata_text=text if isinstance(text, str) else None,
        providerdata_line=providerdata_origin(auto_map, file_text).line,
        matchlabels=tuple(str(x) for x in labels) if isinstance(labels, list) and labels else None,
    )
