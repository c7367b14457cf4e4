"""provider-config-url: url missing, not http(s), no `/api2/json`, http off loopback (error)

`proxmox.url` must be the API root `https://HOST:8006/api2/json`.

Without `/api2/json` the provider's requests reach pveproxy's web UI, never the API
(siderolabs/omni-infra-provider-proxmox); pveproxy serves HTTPS only. Plain `http://` is an
error unless the host is loopback (the credentials would travel in clear text; setup and doctor
refuse it too).

Failing::

    proxmox:
      url: https://pve1:8006

Passing::

    proxmox:
      url: https://pve1:8006/api2/json
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from omni_scale.core.provider.config import clear_text_refusal
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._provider import proxmox_block

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "provider-config-url"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.PROVIDER_CONFIG})


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    block = proxmox_block(doc)
    if block is None:
        return
    url = block.get("url")
    if not isinstance(url, str) or not url.strip():
        yield make_problem(
            ID,
            Severity.ERROR,
            doc,
            "proxmox.url is missing",
            hint="url: https://<pve-host>:8006/api2/json",
            node=doc.data,
            key="proxmox",
        )
        return
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        yield make_problem(
            ID,
            Severity.ERROR,
            doc,
            f"proxmox.url {url!r} is not an http(s) URL",
            hint="url: https://<pve-host>:8006/api2/json",
            node=block,
            key="url",
        )
        return
    if parts.path.rstrip("/") != "/api2/json":
        yield make_problem(
            ID,
            Severity.ERROR,
            doc,
            f"proxmox.url {url!r} does not end in /api2/json: the provider's requests never "
            "reach the API",
            hint=f"url: {parts.scheme}://{parts.netloc}/api2/json",
            node=block,
            key="url",
        )
    if parts.scheme == "http":
        # Off loopback omni-scale refuses it (setup, doctor, the client): an error here too.
        # On loopback (a tunnel, a stand-in) it only warns: pveproxy itself serves HTTPS.
        refused = clear_text_refusal(url) is not None
        yield make_problem(
            ID,
            Severity.ERROR if refused else Severity.WARNING,
            doc,
            "proxmox.url uses plain http: the credentials would travel in clear text "
            "(omni-scale refuses it off loopback), and pveproxy serves only HTTPS"
            if refused
            else "proxmox.url uses plain http (loopback): pveproxy itself serves only HTTPS",
            hint=f"url: https://{parts.netloc}{parts.path}",
            node=block,
            key="url",
        )
