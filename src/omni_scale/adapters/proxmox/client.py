"""A small async Proxmox VE API client on httpx, configured like the provider (proxmox.md §5, §7).

- The `url` of the provider's config is used verbatim (it must contain `/api2/json`).
- Token auth sends `Authorization: PVEAPIToken=<tokenID>=<secret>`; password auth POSTs
  `username`, `password` and `realm` separately to `/access/ticket` (as go-proxmox does), then
  sends the ticket cookie and, on writes, the CSRF header.
- TLS is verified against the system trust store (honours SSL_CERT_FILE); `insecureSkipVerify`
  turns verification off with a warning.
- Every request has explicit timeouts (PVE delays a 401 by ~3 s), a concurrency limit, and
  idempotent GETs are retried on transient failures only (connect errors, 502/503/504/595).
- Errors keep PVE's reason phrase and never contain a secret.
"""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import certifi
import httpx

from omni_scale.adapters.net import MAX_API_BODY, Deadline, deadline_seconds
from omni_scale.core.json_bounds import loads
from omni_scale.core.provider.config import clear_text_refusal, is_loopback_host
from omni_scale.errors import EXIT_ENVIRONMENT, EXIT_PROBLEMS, InputError, OmniScaleError
from omni_scale.redact import register_secret, scrub

if TYPE_CHECKING:
    import httpx

    from omni_scale.core.provider.config import ProxmoxConfig

DEFAULT_CONCURRENCY = 16
CONCURRENCY_ENV = "OMNI_SCALE_PROXMOX_CONCURRENCY"  # 1..64: lower it to spare a small PVE
READ_TIMEOUT_S = 15.0
READ_TIMEOUT_ENV = "OMNI_SCALE_PROXMOX_TIMEOUT"  # seconds (0.1..600): read/write/pool timeouts
RETRY_STATUSES = frozenset({502, 503, 504, 595})
RETRY_DELAYS = (0.2, 0.6)
USER_AGENT = "omni-scale (httpx)"


def default_timeout() -> httpx.Timeout:

    # read covers PVE's ~3 s delay on a failed login and slow storage status (> 1 s).
    read = read_timeout_from_env()
    return httpx.Timeout(connect=min(5.0, read), read=read, write=read, pool=read)


def read_timeout_from_env() -> float:
    """`$OMNI_SCALE_PROXMOX_TIMEOUT` seconds (clamped to 0.1..600), else 15."""

    try:
        value = float(os.environ.get(READ_TIMEOUT_ENV, ""))
    except ValueError:
        return READ_TIMEOUT_S
    if value != value:  # NaN
        return READ_TIMEOUT_S
    return min(max(value, 0.1), 600.0)


class ProxmoxApiError(OmniScaleError):
    """An answer of the Proxmox API other than 2xx, with PVE's reason phrase kept."""

    def __init__(
        self,
        method: str,
        path: str,
        status: int,
        reason: str,
        errors: Mapping[str, Any] | None = None,
        *,
        hint: str | None = None,
    ) -> None:
        self.method = method
        self.api_path = path
        self.status = status
        self.reason = reason
        self.errors = dict(errors or {})
        text = f"Proxmox API {method} {path}: {status} {reason}".rstrip()
        if self.errors:
            text += " - " + ", ".join(f"{k}: {v}" for k, v in sorted(self.errors.items()))
        code = EXIT_ENVIRONMENT if status in (401, 595) or status >= 502 else EXIT_PROBLEMS
        super().__init__(text, hint=hint or _hint_for(status, reason), exit_code=code)

    @property
    def refused(self) -> bool:
        return self.status == 401

    @property
    def forbidden(self) -> bool:
        return self.status == 403


class ProxmoxUnreachable(OmniScaleError):
    """No HTTP answer at all: DNS, connect, TLS or timeout (exit 3)."""

    exit_code = EXIT_ENVIRONMENT


def _hint_for(status: int, reason: str) -> str | None:
    if status == 401:
        return "check tokenID/tokenSecret (or username/password/realm) in docker/config.yaml"
    if status == 403:
        return "grant the missing privilege to the provider's token (see omni-scale proxmox check)"
    if status == 595:
        return "the node is offline or unreachable from the node you talk to"
    if status == 501:
        return "this PVE version lacks the endpoint"
    return None


def _scrub(text: str, secrets: tuple[str, ...]) -> str:

    return scrub(text, secrets)


def _clip(text: str, limit: int = 300) -> str:
    """A peer's text for one error line: at most `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _token_header(token_id: str, secret: str) -> str:
    """The Authorization header of token auth; a value HTTP cannot carry is bad input."""

    for what, value in (("tokenID", token_id), ("tokenSecret", secret)):
        if not value.isascii() or any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
            raise InputError(
                f"the Proxmox {what} holds a character an HTTP header cannot carry "
                "(non-ASCII, or a control character such as a line break)",
                hint="copy it again from Proxmox (Datacenter > Permissions > API Tokens); "
                "a token secret is a UUID like 5e1f0a7c-9d7b-4d7e-8c41-7f0b9a2f1c33",
            )
    return f"PVEAPIToken={token_id}={secret}"


def refuse_clear_text(url: str) -> None:
    """Plain HTTP only to loopback (stand-ins, an SSH tunnel): elsewhere the token or password
    would cross the network in clear text, and pveproxy serves only HTTPS anyway."""

    refusal = clear_text_refusal(url)
    if refusal is not None:
        message, hint = refusal
        raise InputError(message, hint=f"{hint} in the provider config (proxmox.url)")


def concurrency_from_env() -> int:

    raw = os.environ.get(CONCURRENCY_ENV, "")
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_CONCURRENCY
    return min(max(value, 1), 64)


def tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """A verifying context: the system store (SSL_CERT_FILE honoured), or `ca_file` alone."""
    if ca_file:
        return ssl.create_default_context(cafile=ca_file)
    return ssl.create_default_context()


def publicly_trusted(url: str, timeout: float = 10.0) -> bool | None:
    """Whether the server's certificate verifies against a public CA bundle only (certifi's
    Mozilla bundle, what the provider image carries), ignoring SSL_CERT_FILE and the system
    store. None when the host cannot be reached."""

    parts = urlsplit(url)
    host = parts.hostname or ""
    context = ssl.create_default_context(cafile=certifi.where())
    try:
        with (
            socket.create_connection((host, parts.port or 443), timeout=timeout) as sock,
            context.wrap_socket(sock, server_hostname=host),
        ):
            return True
    except ssl.SSLCertVerificationError:
        return False
    except (OSError, ssl.SSLError):
        return None


class ProxmoxClient:
    """`async with ProxmoxClient(config) as pve: await pve.get("/version")`."""

    def __init__(
        self,
        config: ProxmoxConfig,
        *,
        ca_file: str | None = None,
        timeout: httpx.Timeout | None = None,
        concurrency: int | None = None,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
        warn: Callable[[str], None] | None = None,
        deadline: float | None = None,
        max_body: int | None = None,
    ) -> None:

        self.config = config
        # one overall deadline for every request of this client (adapters/net.py)
        self._deadline = Deadline(deadline if deadline is not None else deadline_seconds())
        self._max_body = max_body or MAX_API_BODY
        self.base = config.url.rstrip("/")
        self._ca_file = ca_file
        self._timeout = timeout
        self.concurrency = concurrency or concurrency_from_env()
        self._limit = asyncio.Semaphore(self.concurrency)
        self._retry_delays = retry_delays
        self._warn = warn
        self._client: httpx.AsyncClient | None = None
        self._csrf: str | None = None
        self.requests = 0
        self.ticket_user: str | None = None

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> ProxmoxClient:

        register_secret(*self.config.secrets())  # never printed, whatever path it takes
        verify: ssl.SSLContext | bool
        if urlsplit(self.base).scheme == "http":
            refuse_clear_text(self.base)
            verify = False  # no TLS at all: do not load a trust store for nothing
        elif self.config.insecure_skip_verify:
            verify = False
            if self._warn:
                self._warn(
                    f"TLS verification towards {urlsplit(self.base).hostname} is OFF "
                    "(insecureSkipVerify: true in the provider config): anyone on the path "
                    "can read the token"
                )
        else:
            verify = tls_context(self._ca_file)
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if self.config.auth_mode == "token":
            headers["Authorization"] = _token_header(
                str(self.config.token_id), str(self.config.token_secret)
            )
        self._client = httpx.AsyncClient(
            verify=verify,
            timeout=self._timeout or default_timeout(),
            headers=headers,
            trust_env=not is_loopback_host(urlsplit(self.base).hostname),
            follow_redirects=False,
            # as many connections as requests in flight: httpcore's pool scans every
            # connection for each request it assigns, and more would never be used
            limits=httpx.Limits(
                max_connections=self.concurrency, max_keepalive_connections=self.concurrency
            ),
        )
        if self.config.auth_mode == "password":
            try:
                await self.login()
            except BaseException:
                await self._client.aclose()
                raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # --------------------------------------------------------------------- auth

    async def login(self) -> None:
        """POST /access/ticket with username, password and realm as separate fields."""
        body: dict[str, str] = {
            "username": self.config.username or "",
            "password": self.config.password or "",
        }
        if self.config.realm:
            body["realm"] = self.config.realm
        data = await self.request("POST", "/access/ticket", json=body, authenticated=False)
        if not isinstance(data, Mapping) or "ticket" not in data:
            raise ProxmoxApiError("POST", "/access/ticket", 200, "no ticket in the answer")
        if data.get("NeedTFA"):
            raise ProxmoxApiError(
                "POST",
                "/access/ticket",
                401,
                "the user needs a second factor (TFA)",
                hint="the provider cannot log in with TFA: use an API token",
            )
        assert self._client is not None
        self._client.cookies.set("PVEAuthCookie", str(data["ticket"]))
        self._csrf = str(data.get("CSRFPreventionToken") or "")
        self.ticket_user = str(data.get("username") or "")

    # ------------------------------------------------------------------ requests

    async def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return await self.request("GET", path, params=params)

    async def post(self, path: str, json: Mapping[str, Any] | None = None) -> Any:
        return await self.request("POST", path, json=json)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Mapping[str, Any] | None = None,
        authenticated: bool = True,
    ) -> Any:
        """The unwrapped `data` of the answer; ProxmoxApiError / ProxmoxUnreachable otherwise."""

        if self._client is None:
            raise RuntimeError("use `async with ProxmoxClient(...)`")
        headers = {}
        if authenticated and method != "GET" and self._csrf:
            headers["CSRFPreventionToken"] = self._csrf
        delays = self._retry_delays if method == "GET" else ()
        attempt = 0
        while True:
            try:
                async with self._limit:
                    self.requests += 1
                    status, reason, content = await self._exchange(
                        method, path, params=params, json=json, headers=headers
                    )
            except httpx.TransportError as exc:
                retryable = isinstance(
                    exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.RemoteProtocolError
                )
                if retryable and attempt < len(delays):
                    await asyncio.sleep(delays[attempt])
                    attempt += 1
                    continue
                raise self._unreachable(method, path, exc) from None
            if status in RETRY_STATUSES and attempt < len(delays):
                await asyncio.sleep(min(delays[attempt], max(self._deadline.remaining(), 0)))
                attempt += 1
                continue
            return self._unwrap(method, path, status, reason, content)

    async def _exchange(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None,
        json: Mapping[str, Any] | None,
        headers: Mapping[str, str],
    ) -> tuple[int, str, bytes]:
        """(status, reason, body) within the client's overall deadline and the size cap."""
        assert self._client is not None
        remaining = self._deadline.remaining()
        try:
            async with asyncio.timeout(max(remaining, 0.001)):
                async with self._client.stream(
                    method, self.base + path, params=params, json=json, headers=headers
                ) as response:
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > self._max_body:
                        raise self._too_big(method, path)
                    body = bytearray()
                    async for chunk in response.aiter_bytes():  # decoded: a gzip bomb is capped too
                        body.extend(chunk)
                        if len(body) > self._max_body:
                            raise self._too_big(method, path)
                    return response.status_code, response.reason_phrase or "", bytes(body)
        except TimeoutError:
            host = urlsplit(self.base).netloc
            raise ProxmoxUnreachable(
                f"Proxmox at {host} ({method} {path}): no complete answer within the overall "
                f"deadline of {self._deadline.seconds:g}s",
                hint="the server is very slow or stalls; retry, or raise "
                "$OMNI_SCALE_NETWORK_DEADLINE (seconds)",
            ) from None

    def _too_big(self, method: str, path: str) -> ProxmoxUnreachable:
        return ProxmoxUnreachable(
            f"Proxmox at {urlsplit(self.base).netloc} ({method} {path}): the answer is over "
            f"{self._max_body} bytes; stopped reading",
            hint="is the url the Proxmox API (https://HOST:8006/api2/json)?",
        )

    def _unwrap(self, method: str, path: str, status: int, reason: str, content: bytes) -> Any:

        secrets = self.config.secrets()
        if 200 <= status < 300:
            try:
                body = loads(content)
            except ValueError:
                not_json = ProxmoxApiError(
                    method,
                    path,
                    status,
                    "answer is not JSON (is the url the API root, ending in /api2/json?)",
                )
                # not PVE answering (a proxy, a login page, another server): environment
                not_json.exit_code = EXIT_ENVIRONMENT
                raise not_json from None
            return body.get("data") if isinstance(body, Mapping) else None
        errors: Mapping[str, Any] | None = None
        try:
            body = loads(content) if content else None
        except ValueError:
            body = None
        if isinstance(body, Mapping) and isinstance(body.get("errors"), Mapping):
            errors = {
                _clip(_scrub(str(k), secrets)): _clip(_scrub(str(v), secrets))
                for k, v in list(body["errors"].items())[:20]
            }
        if not reason and isinstance(body, Mapping) and body.get("message"):
            reason = str(body["message"]).strip()
        raise ProxmoxApiError(method, path, status, _clip(_scrub(reason, secrets)), errors)

    def _unreachable(self, method: str, path: str, exc: Exception) -> ProxmoxUnreachable:

        host = urlsplit(self.base).netloc
        detail = _scrub(str(exc) or type(exc).__name__, self.config.secrets())
        hint = "check the url in docker/config.yaml and that this machine can reach the host"
        if isinstance(exc, httpx.ConnectError) and "CERTIFICATE_VERIFY_FAILED" in detail:
            hint = (
                "the server's certificate is not trusted: add its CA to the system store "
                "(or SSL_CERT_FILE); insecureSkipVerify: true works but exposes the token"
            )
        elif isinstance(exc, httpx.TimeoutException):
            detail = f"timed out ({type(exc).__name__})"
        return ProxmoxUnreachable(
            f"cannot reach Proxmox at {host} ({method} {path}): {detail}", hint=hint
        )
