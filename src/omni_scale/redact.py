"""Secrets never leave in output: one scrubber for peers' texts, one registry for the process.

`scrub(text, secrets)` removes a secret in every form a hostile or broken server may echo it
back (any letter case, URL-encoded, JSON- or backslash-escaped) and any `PVEAPIToken=...` /
`PVEAuthCookie=...` value. Secrets the process reads (token secrets, passwords, provider keys)
are registered with `register_secret`; the CLI's output functions pass everything they print
through `redact`, so a secret that reached a result by any path is still not printed.
"""

from __future__ import annotations

import json
import re

_SECRETS: set[str] = set()
_HEADER_VALUE = re.compile(r"(?i)(PVEAPIToken\s*[=:]\s*|PVEAuthCookie\s*[=:]\s*)[^\s\"',;]+")
# Registered secrets are removed from ALL output: a short one ("proxmox" as a password) would
# blank out ordinary words. Token secrets (UUIDs) and provider keys are far longer; a short
# password is still scrubbed from the Proxmox answers it could be echoed in (`scrub`).
MIN_SECRET_LENGTH = 12


def register_secret(*secrets: str | None) -> None:
    for secret in secrets:
        if secret and len(secret.strip()) >= MIN_SECRET_LENGTH:
            _SECRETS.add(secret.strip())


def forget_secrets() -> None:
    """Start a run with no secrets known (the CLI calls this per invocation)."""
    _SECRETS.clear()


def _forms(secret: str) -> set[str]:
    # imported here: only a run that registered a secret needs it (start-up, bench/startup.py)
    from urllib.parse import quote, quote_plus

    return {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        secret.encode("unicode_escape").decode("ascii"),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    }


def scrub(text: str, secrets: tuple[str, ...] | set[str] = ()) -> str:
    text = _HEADER_VALUE.sub(r"\1***", text)
    for secret in sorted(set(secrets) | _SECRETS, key=len, reverse=True):
        if not secret or len(secret) < 4:
            continue
        for form in sorted(_forms(secret), key=len, reverse=True):
            text = re.sub(re.escape(form), "***", text, flags=re.IGNORECASE)
    return text


def redact(text: str) -> str:
    """`text` without any registered secret (fast when none is registered)."""
    if not _SECRETS and "PVEA" not in text.upper():
        return text
    return scrub(text)
