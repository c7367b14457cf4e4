"""HTTPS downloads for omnictl: verified TLS, timeouts, streaming into a private temp file.

Every request, redirects included, must be HTTPS (plain HTTP only to loopback). The body is
streamed into a 0600 temp file in the target directory while its SHA-256 is computed; a body
shorter than its Content-Length, a timeout or Ctrl-C removes the temp file before the error
propagates, so nothing half-written (and nothing executable) is left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import ssl
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from omni_scale.adapters.omnictl.release import check_url_allowed
from omni_scale.errors import EnvironmentProblem, InputError

if TYPE_CHECKING:
    import httpx

DEFAULT_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 10.0
MAX_BINARY_BYTES = 512 << 20
MAX_TEXT_BYTES = 1 << 20
CA_FILE_ENV = "OMNI_SCALE_CA_FILE"
CHUNK = 1 << 16
TEMP_PREFIX = ".omnictl-"
# Windows runs only files named *.exe, and the download is test-run before it is renamed.
TEMP_SUFFIX = ".part.exe" if os.name == "nt" else ".part"


@dataclass(frozen=True)
class Downloaded:
    path: Path  # the temp file (mode 0600, not executable)
    sha256: str
    size: int
    url: str  # the final URL after redirects


def _ssl_context(ca_file: str | None) -> ssl.SSLContext | bool:
    chosen = ca_file or os.environ.get(CA_FILE_ENV)
    if not chosen:
        return True  # httpx default: certifi, or $SSL_CERT_FILE / $SSL_CERT_DIR
    if not Path(chosen).is_file():
        raise InputError(
            f"CA bundle {chosen} does not exist",
            hint=f"pass a PEM file with --ca-file or ${CA_FILE_ENV}",
        )
    try:
        return ssl.create_default_context(cafile=chosen)
    except (ssl.SSLError, OSError) as exc:
        raise InputError(
            f"CA bundle {chosen} is not a PEM certificate file: {exc}",
            hint=f"pass a PEM file with --ca-file or ${CA_FILE_ENV}",
        ) from None


def make_client(*, ca_file: str | None = None, timeout: float = DEFAULT_TIMEOUT_S) -> httpx.Client:
    """An httpx client that verifies TLS, times out, and refuses non-HTTPS hops."""
    import httpx

    from omni_scale import __version__

    def refuse_plain_http(request: httpx.Request) -> None:
        check_url_allowed(str(request.url))

    return httpx.Client(
        verify=_ssl_context(ca_file),
        timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT_S, timeout)),
        follow_redirects=True,
        max_redirects=10,
        headers={"User-Agent": f"omni-scale/{__version__}"},
        event_hooks={"request": [refuse_plain_http]},
    )


def describe_http_error(url: str, exc: Exception) -> EnvironmentProblem:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return EnvironmentProblem(
            f"timed out talking to {url} ({type(exc).__name__})",
            hint="the server is slow or unreachable; retry, or raise --timeout",
        )
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text or isinstance(exc, ssl.SSLError):
        return EnvironmentProblem(
            f"TLS certificate of {url} is not trusted: {text}",
            hint=f"for a private CA pass --ca-file PEM (or ${CA_FILE_ENV})",
        )
    return EnvironmentProblem(
        f"cannot download {url}: {type(exc).__name__}: {text}",
        hint="check the network and the URL",
    )


def _status_error(url: str, response: httpx.Response) -> EnvironmentProblem:
    code = response.status_code
    if code == 404:
        hint = "check the version (omni-scale omnictl install --version vX.Y.Z) or the mirror"
    elif code in (401, 403):
        hint = (
            "the server wants authentication for this download; install the release of your "
            "Omni's version instead: omni-scale omnictl install --from-github --version vX.Y.Z"
        )
    else:
        hint = "retry later, or use another source (--version / --from-server)"
    return EnvironmentProblem(f"{url} answered HTTP {code} {response.reason_phrase}", hint=hint)


def _deadline_error(url: str, seconds: float) -> EnvironmentProblem:
    return EnvironmentProblem(
        f"{url} did not finish within the overall deadline of {seconds:g}s; stopped",
        hint="the server is very slow or stalls; retry, or raise $OMNI_SCALE_NETWORK_DEADLINE "
        "(seconds)",
    )


def fetch_text(client: httpx.Client, url: str) -> str:
    """A small text file (a checksum list), size-capped, under the overall deadline."""
    import httpx

    from omni_scale.adapters.net import DeadlineExceeded, deadline_seconds, hard_deadline

    seconds = deadline_seconds()
    try:
        with hard_deadline(seconds) as deadline, client.stream("GET", url) as response:
            if response.status_code != 200:
                raise _status_error(url, response)
            data = bytearray()
            for chunk in response.iter_bytes():
                data.extend(chunk)
                if len(data) > MAX_TEXT_BYTES:
                    raise EnvironmentProblem(
                        f"{url} is larger than {MAX_TEXT_BYTES} bytes; not a checksum file",
                        hint="check the release base URL",
                    )
                if deadline.expired:
                    raise DeadlineExceeded
    except DeadlineExceeded:
        raise _deadline_error(url, seconds) from None
    except httpx.HTTPError as exc:
        raise describe_http_error(url, exc) from None
    return data.decode("utf-8", errors="replace")


@contextlib.contextmanager
def _progress(show: bool, label: str, total: int | None) -> Iterator[Callable[[int], None]]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    console = Console(stderr=True)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not (show and console.is_terminal),
    )
    with progress:
        task = progress.add_task(label, total=total)

        def advance(n: int) -> None:
            progress.update(task, advance=n)

        yield advance


def download_to_temp(
    client: httpx.Client, url: str, directory: Path, *, show_progress: bool, label: str
) -> Downloaded:
    """Stream `url` into a new 0600 temp file in `directory`; the caller renames or deletes it.
    The whole download runs under the overall network deadline (adapters/net.py)."""
    import httpx

    from omni_scale.adapters.net import DeadlineExceeded, deadline_seconds, hard_deadline

    seconds = deadline_seconds()
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=directory)
    temp = Path(name)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as handle, hard_deadline(seconds) as deadline:
            os.fchmod(handle.fileno(), 0o600)
            with client.stream("GET", url) as response:
                if response.status_code != 200:
                    raise _status_error(url, response)
                declared = response.headers.get("content-length")
                encoded = response.headers.get("content-encoding", "identity") != "identity"
                expected = int(declared) if declared and declared.isdigit() else None
                if encoded:  # Content-Length counts the encoded bytes; checksum still applies
                    expected = None
                if expected is not None and expected > MAX_BINARY_BYTES:
                    raise EnvironmentProblem(
                        f"{url} is {expected} bytes, more than omnictl ever is",
                        hint="check the release base URL / Omni endpoint",
                    )
                final_url = str(response.url)
                with _progress(show_progress, label, expected) as advance:
                    for chunk in response.iter_bytes():  # as it comes: deadline checks
                        handle.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
                        advance(len(chunk))
                        if size > MAX_BINARY_BYTES:
                            raise EnvironmentProblem(
                                f"{url} sent more than {MAX_BINARY_BYTES} bytes; stopped",
                                hint="check the release base URL / Omni endpoint",
                            )
                        if deadline.expired:
                            raise DeadlineExceeded
                if expected is not None and size != expected:
                    raise _truncated(url, size, expected)
            handle.flush()
            os.fsync(handle.fileno())
    except DeadlineExceeded:
        temp.unlink(missing_ok=True)
        raise _deadline_error(url, seconds) from None
    except httpx.RemoteProtocolError as exc:
        temp.unlink(missing_ok=True)
        raise _truncated(url, size, None, detail=str(exc)) from None
    except httpx.HTTPError as exc:
        temp.unlink(missing_ok=True)
        raise describe_http_error(url, exc) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Downloaded(temp, digest.hexdigest(), size, final_url)


def _truncated(url: str, got: int, expected: int | None, detail: str = "") -> EnvironmentProblem:
    of = f" of {expected}" if expected is not None else ""
    more = f" ({detail})" if detail else ""
    return EnvironmentProblem(
        f"download of {url} was cut off after {got}{of} bytes{more}; the partial file was "
        "deleted and nothing was installed",
        hint="retry; if it keeps happening check the network or proxy",
    )
