"""omnictl's own version, the server's version, and whether they work together (omni.md §3, §5).

`omnictl --version` prints `omnictl version v1.10.4 (API Version: 2)`. The server's version is
the `SysVersions.system.sidero.dev/current` resource (namespace `ephemeral`, keys
`backendversion`, `backendapiversion`). omnictl itself refuses every API command when the API
versions differ and only warns when major.minor differ; we apply the same rule, and add the
command that fixes it.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from omni_scale.adapters import process
from omni_scale.errors import EnvironmentProblem

VERSION_TIMEOUT_S = 15.0
SERVER_QUERY_TIMEOUT_S = 20.0

_VERSION_RE = re.compile(
    r"omnictl version (?P<tag>v?[0-9][^\s(]*)(?: \(API Version: (?P<api>\d+)\))?"
)
_SEMVER_RE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)")
# omnictl's own refusals (both wordings seen in siderolabs/omni's access/client.go).
_API_MISMATCH_RE = re.compile(r"backend API version (\d+), client API version (\d+)")
_API_MISMATCH_MARKERS = (
    "client API version mismatch",
    "omnictl is too old for this Omni instance",
    "omnictl is newer than this Omni instance",
    "server API does not support API versions",
)
_SKEW_RES = (
    re.compile(r'omnictl version differs from the backend version: "([^"]+)" vs "([^"]+)"'),
    re.compile(r'omnictl version "([^"]+)" differs from the backend version "([^"]+)"'),
)

Level = Literal["ok", "warning", "error", "unknown"]


@dataclass(frozen=True)
class OmnictlVersion:
    tag: str  # "v1.10.4"
    api: int | None  # 2; None for omnictl builds older than API versions

    def to_json(self) -> dict[str, object]:
        return {"version": self.tag, "api_version": self.api}


@dataclass(frozen=True)
class ServerVersion:
    version: str  # "v1.10.4"
    api: int | None

    def to_json(self) -> dict[str, object]:
        return {"version": self.version, "api_version": self.api}


@dataclass(frozen=True)
class Compatibility:
    level: Level
    message: str
    hint: str | None = None
    server: ServerVersion | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "level": self.level,
            "message": self.message,
            "hint": self.hint,
            "server": self.server.to_json() if self.server else None,
        }


def normalize_tag(text: str) -> str:
    text = text.strip()
    return text if text.startswith("v") else f"v{text}"


def semver(text: str) -> tuple[int, int, int] | None:
    match = _SEMVER_RE.match(text.strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def same_release(a: str, b: str) -> bool:
    """`v1.10.4` and `1.10.4` (and `v1.10.4-dirty`) name the same release."""
    va, vb = semver(a), semver(b)
    return va is not None and va == vb


def parse_version_output(text: str) -> OmnictlVersion | None:
    """`omnictl version v1.10.4 (API Version: 2)` -> OmnictlVersion("v1.10.4", 2)."""
    match = _VERSION_RE.search(text)
    if not match:
        return None
    api = match.group("api")
    return OmnictlVersion(normalize_tag(match.group("tag")), int(api) if api else None)


def read_version(path: Path, *, timeout: float = VERSION_TIMEOUT_S) -> OmnictlVersion:
    """Run `PATH --version` (offline) and parse it; EnvironmentProblem when it does not run."""
    try:
        proc = process.run([str(path), "--version"], timeout=timeout)
    except subprocess.TimeoutExpired:
        raise EnvironmentProblem(
            f"{path} --version did not finish within {timeout:g}s",
            path=path,
            hint="this file does not behave like omnictl; reinstall: omni-scale omnictl install "
            "--force",
        ) from None
    except OSError as exc:
        raise EnvironmentProblem(
            f"cannot run {path}: {exc.strerror or exc}",
            path=path,
            hint="it is not an executable for this machine; reinstall: omni-scale omnictl "
            "install --force",
        ) from None
    version = parse_version_output(proc.stdout) or parse_version_output(proc.stderr)
    if proc.returncode != 0 or version is None:
        shown = " ".join((proc.stdout + proc.stderr).split())[:160]
        raise EnvironmentProblem(
            f"{path} is not a working omnictl: `--version` exited {proc.returncode} "
            f"printing {shown!r}",
            path=path,
            hint="reinstall it: omni-scale omnictl install --force",
        )
    return version


def fix_command(server: ServerVersion | None) -> str:
    """The command that installs the omnictl matching the server."""
    if server is not None and semver(server.version):
        return (
            f"omni-scale omnictl install --force --from-server "
            f"(or: omni-scale omnictl install --force --version {normalize_tag(server.version)})"
        )
    return "omni-scale omnictl install --force --from-server (or --version vX.Y.Z)"


def compare(client: OmnictlVersion, server: ServerVersion) -> Compatibility:
    """API version differs -> error; major.minor differs -> warning; else ok."""
    if server.api is not None and client.api is not None and server.api != client.api:
        return Compatibility(
            "error",
            f"omnictl {client.tag} speaks API version {client.api}, but Omni "
            f"{normalize_tag(server.version)} speaks API version {server.api}: omnictl refuses "
            "every API command",
            hint=fix_command(server),
            server=server,
        )
    if server.api in (None, 0) and client.api:
        return Compatibility(
            "error",
            f"Omni {normalize_tag(server.version)} predates API versions; omnictl "
            f"{client.tag} (API version {client.api}) refuses to talk to it",
            hint=fix_command(server),
            server=server,
        )
    cv, sv = semver(client.tag), semver(server.version)
    if cv and sv and cv[:2] != sv[:2]:
        return Compatibility(
            "warning",
            f"omnictl {client.tag} and Omni {normalize_tag(server.version)} differ in minor "
            "version (same API version, so it works; omnictl will print a [WARN])",
            hint=fix_command(server),
            server=server,
        )
    return Compatibility(
        "ok",
        f"omnictl {client.tag} matches Omni {normalize_tag(server.version)}",
        server=server,
    )


def diagnose_stderr(stderr: str) -> Compatibility | None:
    """omnictl's own version complaint on stderr, as a Compatibility (None when there is none)."""
    flat = " ".join(stderr.split())
    if any(marker in flat for marker in _API_MISMATCH_MARKERS):
        match = _API_MISMATCH_RE.search(flat)
        server = ServerVersion("unknown", int(match.group(1))) if match else None
        client_api = f" (client API version {match.group(2)})" if match else ""
        backend = f"API version {match.group(1)}" if match else "a different API version"
        return Compatibility(
            "error",
            f"omnictl and Omni do not speak the same API version: Omni has {backend}{client_api}",
            hint=fix_command(None),
            server=server,
        )
    for pattern in _SKEW_RES:
        match = pattern.search(flat)
        if match:
            return Compatibility(
                "warning",
                f"omnictl {normalize_tag(match.group(1))} differs in minor version from Omni "
                f"{normalize_tag(match.group(2))}",
                hint=fix_command(ServerVersion(match.group(2), None)),
                server=ServerVersion(normalize_tag(match.group(2)), None),
            )
    return None


def _first_json_object(text: str) -> dict[str, object] | None:
    from omni_scale.core.json_bounds import raw_decode

    text = text.strip()
    if not text:
        return None
    try:
        value, _ = raw_decode(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def query_server_version(
    omnictl: Path,
    *,
    endpoint: str | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = SERVER_QUERY_TIMEOUT_S,
) -> tuple[ServerVersion | None, Compatibility | None, str | None]:
    """Ask Omni its version through omnictl (`get sysversions current -n ephemeral -o json`).

    Returns (server version or None, omnictl's own version verdict from stderr or None,
    why the version is unknown or None). Needs omnictl to be logged in (omniconfig or
    OMNI_SERVICE_ACCOUNT_KEY); `endpoint` is passed as OMNI_ENDPOINT when given.
    """
    child_env = dict(os.environ if env is None else env)
    if endpoint:
        child_env["OMNI_ENDPOINT"] = endpoint
    argv = [str(omnictl), "get", "sysversions", "current", "-n", "ephemeral", "-o", "json"]
    try:
        proc = process.run(argv, timeout=timeout, env=child_env)
    except subprocess.TimeoutExpired:
        return None, None, f"omnictl did not answer within {timeout:g}s"
    except OSError as exc:
        return None, None, f"cannot run {omnictl}: {exc.strerror or exc}"
    verdict = diagnose_stderr(proc.stderr)
    if proc.returncode != 0:
        if verdict is not None:
            return verdict.server, verdict, None
        reason = " ".join(proc.stderr.split()).removeprefix("Error: ")[:200]
        return None, None, f"omnictl could not read the server version: {reason or 'no message'}"
    doc = _first_json_object(proc.stdout)
    spec = doc.get("spec") if doc else None
    if not isinstance(spec, dict) or not isinstance(spec.get("backendversion"), str):
        return None, verdict, "omnictl printed no sysversions spec.backendversion"
    api = spec.get("backendapiversion")
    server = ServerVersion(
        normalize_tag(str(spec["backendversion"])), api if isinstance(api, int) else None
    )
    return server, verdict, None
