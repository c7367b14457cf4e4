"""provider-config-keys: keys the provider ignores (`apiToken`, misspellings)

Keys the provider does not know are silently ignored.

The provider reads only `proxmox.{url, tokenID, tokenSecret, username, password, realm,
insecureSkipVerify}`. Anything else (`apiToken`, `token_id`, `verifySSL`, `node`) does
nothing: often a misspelt credential that then leaves the provider without one.

Failing::

    proxmox:
      url: https://pve1:8006/api2/json
      apiToken: omni@pve!provider=5e1f0a7c-...

Passing::

    proxmox:
      url: https://pve1:8006/api2/json
      tokenID: omni@pve!provider
      tokenSecret: 5e1f0a7c-...
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._provider import proxmox_block

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "provider-config-keys"
SEVERITY = Severity.WARNING
KINDS = frozenset({Kind.PROVIDER_CONFIG})
KNOWN = ("url", "tokenID", "tokenSecret", "username", "password", "realm", "insecureSkipVerify")


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    if isinstance(doc.data, Mapping):
        for key in doc.data:
            if str(key) != "proxmox":
                yield make_problem(
                    ID,
                    SEVERITY,
                    doc,
                    f"top-level key {str(key)!r} is ignored by the provider",
                    hint="the provider reads only the proxmox: block",
                    node=doc.data,
                    key=key,
                )
    block = proxmox_block(doc)
    if block is None:
        return
    for key in block:
        name = str(key)
        if name in KNOWN:
            continue
        close = difflib.get_close_matches(name, KNOWN, n=1, cutoff=0.6)
        by_case = [k for k in KNOWN if k.lower() == name.lower()]
        suggestion = by_case or close
        hint = (
            f"did you mean {suggestion[0]}?" if suggestion else (f"known keys: {', '.join(KNOWN)}")
        )
        if name == "apiToken":
            hint = "split it: tokenID: user@realm!name and tokenSecret: <uuid>"
        yield make_problem(
            ID,
            SEVERITY,
            doc,
            f"proxmox.{name} is not a provider setting and is silently ignored",
            hint=hint,
            node=block,
            key=key,
        )
