"""provider-config-auth: exactly one working auth mode, an API token preferred.

* no credentials: every call gets 401 `No ticket`;
* both modes: password silently wins;
* `username: root@pam` with `realm: pam` becomes `root@pam@pam` (the realm is appended);
* password sessions of provider builds on go-proxmox < v0.4.1 expire after 2 h
  (`not authorized to access endpoint`), and TFA users cannot log in;
* `tokenID` must be the full `user@realm!tokenname`, with its `tokenSecret`.

Failing::

    proxmox:
      url: https://pve1:8006/api2/json
      username: root@pam
      password: secret
      realm: pam

Passing::

    proxmox:
      url: https://pve1:8006/api2/json
      tokenID: omni@pve!provider
      tokenSecret: <the secret pveum printed>
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from omni_scale.core.provider.setup import TOKEN_ID_RE
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem
from omni_scale.lint.rules._provider import proxmox_block

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "provider-config-auth"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.PROVIDER_CONFIG})
AUTH_HINT = (
    "create an API token (Datacenter > Permissions > API Tokens) and set tokenID: "
    "user@realm!name and its secret"
)


def _set(block: object, key: str) -> bool:
    value = block.get(key) if isinstance(block, Mapping) else None
    return value is not None and str(value).strip() != ""


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    block = proxmox_block(doc)
    if block is None:
        return
    token = _set(block, "tokenID") or _set(block, "tokenSecret")
    password = _set(block, "username") or _set(block, "password")
    if not token and not password:
        yield make_problem(
            ID,
            Severity.ERROR,
            doc,
            "no Proxmox credentials: every API call gets 401 'No ticket'",
            hint=AUTH_HINT,
            node=doc.data,
            key="proxmox",
        )
        return
    if token and password:
        yield make_problem(
            ID,
            Severity.WARNING,
            doc,
            "both a token and a password are set: the password wins, the token is unused",
            hint="remove username/password/realm and keep the token",
            node=block,
            key="username" if "username" in block else "password",
        )
    if password:
        yield from _password(doc, block)
    elif token:
        yield from _token(doc, block)


def _password(doc: Document, block: object) -> Iterator[Problem]:
    get = block.get  # type: ignore[attr-defined]
    username = str(get("username") or "")
    realm = str(get("realm") or "")
    if not _set(block, "username") or not _set(block, "password"):
        missing = "username" if not _set(block, "username") else "password"
        yield make_problem(
            ID,
            Severity.ERROR,
            doc,
            f"password auth without {missing}",
            hint=AUTH_HINT,
            node=block,
            key="password" if missing == "username" else "username",
        )
        return
    if "@" in username and realm:
        user = username.split("@", 1)[0]
        yield make_problem(
            ID,
            Severity.ERROR,
            doc,
            f"username {username!r} already names a realm and realm: {realm} is appended: "
            f"Proxmox sees '{username}@{realm}' and refuses the login",
            hint=f"username: {user} with realm: {username.split('@', 1)[1]} (or drop realm)",
            node=block,
            key="username",
        )
    elif "@" not in username and not realm:
        yield make_problem(
            ID,
            Severity.ERROR,
            doc,
            f"username {username!r} has no realm: Proxmox cannot tell pam from pve users",
            hint="add realm: pam (Linux users) or realm: pve (Proxmox users)",
            node=block,
            key="username",
        )
    yield make_problem(
        ID,
        Severity.WARNING,
        doc,
        "password auth: provider builds on go-proxmox < v0.4.1 never renew the 2 h ticket "
        "(then 'not authorized to access endpoint'), and TFA users cannot log in",
        hint=AUTH_HINT,
        node=block,
        key="password",
    )


def _token(doc: Document, block: object) -> Iterator[Problem]:
    get = block.get  # type: ignore[attr-defined]
    token_id = str(get("tokenID") or "")
    if not _set(block, "tokenID"):
        yield make_problem(
            ID,
            Severity.ERROR,
            doc,
            "tokenSecret without tokenID",
            hint="tokenID: user@realm!tokenname",
            node=block,
            key="tokenSecret",
        )
        return
    if not TOKEN_ID_RE.match(token_id):
        yield make_problem(
            ID,
            Severity.ERROR,
            doc,
            f"tokenID {token_id!r} is not the full user@realm!tokenname",
            hint="copy the token id as Proxmox shows it, e.g. omni@pve!provider",
            node=block,
            key="tokenID",
        )
    if not _set(block, "tokenSecret"):
        yield make_problem(
            ID,
            Severity.ERROR,
            doc,
            "tokenID without tokenSecret: Proxmox refuses the token",
            hint="tokenSecret: the UUID shown once when the token was created",
            node=block,
            key="tokenID",
        )
