"""provider-config-tls: `insecureSkipVerify: true` (warning); not a boolean (error)

`insecureSkipVerify` must be a boolean, and `true` is a risk.

With `true` the provider talks to Proxmox without verifying its certificate: anyone on the
path can read the token. It is common with Proxmox's self-signed certificates; a certificate
from a public CA (ACME in Proxmox) avoids it. (The provider has no option for a custom CA.)

Failing::

    proxmox:
      insecureSkipVerify: true

Passing::

    proxmox:
      insecureSkipVerify: false
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._provider import proxmox_block

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "provider-config-tls"
SEVERITY = Severity.WARNING
KINDS = frozenset({Kind.PROVIDER_CONFIG})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    block = proxmox_block(doc)
    if block is None or "insecureSkipVerify" not in block:
        return
    value = block.get("insecureSkipVerify")
    if not isinstance(value, bool):
        yield make_problem(
            ID,
            Severity.ERROR,
            doc,
            f"insecureSkipVerify must be true or false, not {value!r}",
            hint="insecureSkipVerify: false",
            node=block,
            key="insecureSkipVerify",
        )
    elif value:
        yield make_problem(
            ID,
            Severity.WARNING,
            doc,
            "insecureSkipVerify: true: TLS towards Proxmox is not verified, anyone on the path "
            "can read the token",
            hint="give Proxmox a publicly trusted certificate (ACME), then insecureSkipVerify: "
            "false",
            node=block,
            key="insecureSkipVerify",
        )
