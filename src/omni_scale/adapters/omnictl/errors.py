"""Turn omnictl's stderr into one clear error with a fix hint (siderolabs/omni v1.10.4).

omnictl prints `Error: <msg>` on stderr and exits 1 for every failure, and prints server
notifications as `[WARN] ...` / `[INFO] ...` / `[ERROR] <title>: <body>` lines (success is
judged by the exit code, never by stderr).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from omni_scale.errors import EXIT_PROBLEMS, EnvironmentProblem, InputError, OmniScaleError

_NOTIFICATION_RE = re.compile(r"^\[(WARN|INFO|ERROR)\]\s*(.*)$")
# Two wordings: the one Omni's docs show, and the one in siderolabs/omni's access/client.go
# ("omnictl version differs from the backend version: "1.10.4" vs "1.9.3"").
_VERSION_WARN_RE = re.compile(
    r'omnictl version "(?P<client>[^"]+)" differs from the backend version "(?P<server>[^"]+)"'
    r'|omnictl version differs from the backend version: "(?P<client2>[^"]+)" vs '
    r'"(?P<server2>[^"]+)"'
)

UNREACHABLE_MARKERS = (
    "connection refused",
    "no such host",
    "context deadline exceeded",
    "i/o timeout",
    "network is unreachable",
    "connection reset by peer",
    "code = Unavailable",
    "server misbehaving",
    "no route to host",
)
AUTH_MARKERS = (
    "code = Unauthenticated",
    "invalid signature",
    "failed to get identity",
    "signature verification failed",
)
API_MISMATCH_MARKERS = (
    "omnictl is too old for this Omni instance",
    "omnictl is newer than this Omni instance",
    "server API does not support API versions",
    "client API version mismatch",  # siderolabs/omni access/client.go wording
)
NOT_FOUND_MARKERS = ("doesn't exist", "code = NotFound")
TLS_MARKERS = ("x509:", "certificate signed by unknown authority", "tls: ")
# PermissionDenied from Omni's state access (internal/backend/runtime/omni/state_access.go) for a
# resource users may only read, Machines among them; the text names no type.
READ_ONLY = "only read access is permitted"


class OmnictlFailed(OmniScaleError):
    """omnictl ran and refused the request (exit 1 unless a subclass says otherwise)."""

    exit_code = EXIT_PROBLEMS


class OmnictlNotFound(InputError):
    """The resource asked for does not exist in Omni."""


class OmnictlRejected(InputError):
    """Omni or omnictl rejected the input (validation, permission on a read-only type)."""


@dataclass(frozen=True)
class Notification:
    level: str  # WARN, INFO, ERROR
    text: str


def notifications(stderr: str) -> list[Notification]:
    """The `[WARN]`/`[INFO]`/`[ERROR]` lines omnictl printed."""
    found: list[Notification] = []
    for line in stderr.splitlines():
        match = _NOTIFICATION_RE.match(line.strip())
        if match:
            found.append(Notification(match.group(1), match.group(2).strip()))
    return found


def version_skew(stderr: str) -> tuple[str, str] | None:
    """(client, server) when omnictl warned that its minor version differs from Omni's."""
    match = _VERSION_WARN_RE.search(stderr)
    if not match:
        return None
    return (
        match.group("client") or match.group("client2"),
        match.group("server") or match.group("server2"),
    )


def error_text(stderr: str) -> str:
    """The `Error: ...` part of stderr (multi-line errors kept), without notification lines."""
    lines = [line for line in stderr.splitlines() if not _NOTIFICATION_RE.match(line.strip())]
    text = "\n".join(lines).strip()
    index = text.find("Error: ")
    if index >= 0:
        text = text[index + len("Error: ") :]
    return text.strip()


def _one_line(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def _names_machines(args: list[str]) -> bool:
    """Whether the omnictl arguments name the Machines type (aliases included)."""
    return any(a.lower() in ("machine", "machines", "machines.omni.sidero.dev") for a in args[1:3])


def classify(stderr: str, args: list[str]) -> OmniScaleError:
    """The error to raise for a failed omnictl call (`args` without the binary)."""
    text = error_text(stderr) or "omnictl failed without a message"
    flat = _one_line(text)
    command = "omnictl " + " ".join(args[:3])
    if any(marker in flat for marker in API_MISMATCH_MARKERS):
        return EnvironmentProblem(
            f"omnictl and Omni do not speak the same API version: {flat}",
            hint="use the omnictl that matches your Omni server's version "
            "(omni-scale omnictl install; Omni also serves it at https://<omni>/api/omnictl/)",
        )
    if READ_ONLY in flat:
        if _names_machines(args):
            return OmnictlRejected(
                f"{command}: Machines are read-only in Omni ({flat})",
                hint="remove the machine from its cluster instead: "
                "omnictl delete clustermachine <uuid> (or scale the machine set down in the "
                "cluster template and sync it)",
            )
        return OmnictlRejected(
            f"{command}: Omni allows only reading this resource ({flat})",
            hint="Omni's controllers own it: change the resource it is derived from (the "
            "cluster template, the machine class) instead",
        )
    if "MachineRequestStatuses.omni.sidero.dev" in flat and "not allowed to modify" in flat:
        return OmnictlRejected(
            f"{command}: {flat}",
            hint="machine requests are handled by the infra provider; start the provider "
            "(omni-scale provider up) so it can finish deprovisioning",
        )
    if any(marker in flat for marker in AUTH_MARKERS):
        return EnvironmentProblem(
            f"Omni refused omnictl's credentials: {flat}",
            hint="log in again (run `omnictl get clusters` in a terminal to open the browser "
            "login), or check OMNI_ENDPOINT / OMNI_SERVICE_ACCOUNT_KEY and that the clock is "
            "within 5 minutes of the server's",
        )
    if any(marker in flat for marker in TLS_MARKERS):
        return EnvironmentProblem(
            f"omnictl cannot verify Omni's TLS certificate: {flat}",
            hint="use a trusted certificate for Omni, or for a test setup pass "
            "--insecure-skip-tls-verify to omnictl",
        )
    if any(marker in flat for marker in UNREACHABLE_MARKERS):
        return EnvironmentProblem(
            f"cannot reach Omni: {flat}",
            hint="check the Omni URL (OMNI_ENDPOINT or `omnictl config info`) and that Omni is up",
        )
    if "code = PermissionDenied" in flat:
        return EnvironmentProblem(
            f"Omni denied the request: {flat}",
            hint="this needs an account with a higher role (Operator or Admin)",
        )
    if any(marker in flat for marker in NOT_FOUND_MARKERS):
        return OmnictlNotFound(f"not found in Omni: {flat}", hint="check the name and namespace")
    if "is not registered" in flat or "is ambiguous" in flat:
        return OmnictlFailed(
            f"{command}: {flat}",
            hint="this omnictl does not know that resource type; use the full type name or a "
            "newer omnictl",
        )
    if "code = InvalidArgument" in flat or "failed to apply resources" in flat:
        return OmnictlRejected(f"Omni rejected the request: {flat}")
    return OmnictlFailed(f"{command} failed: {flat}")
