"""yaml-syntax: the file must be readable UTF-8 text that parses as YAML.

Failing::

    spec:
      autoprovision:
       providerid: proxmox
      providerdata: |     # bad indentation

Passing::

    spec:
      autoprovision:
        providerid: proxmox

The engine reports read and parse errors under this ID; `check` is never called per document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document
from omni_scale.lint.problem import Problem, Severity

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "yaml-syntax"
SEVERITY = Severity.ERROR
KINDS: frozenset[str] = frozenset()


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    return iter(())
