"""Loopback HTTP(S) servers standing in for GitHub releases and an Omni server's downloads.

    def test_x(release_server, omnictl_build):
        body = omnictl_build("v1.10.4")              # an executable omnictl stand-in
        release_server.add_release("v1.10.4", {"omnictl-linux-amd64": body})
        release_server.set_latest("v1.10.4")         # /releases/latest -> 302 .../tag/v1.10.4
        release_server.add_server_binary("omnictl-linux-amd64", body)   # /api/omnictl/...
        monkeypatch.setenv("OMNI_SCALE_OMNICTL_BASE_URL", release_server.base_url)

Layout served (GitHub's): `<base>/releases/latest` (302 to `<base>/releases/tag/<tag>`),
`<base>/releases.atom`, `<base>/releases/download/<tag>/<asset>`,
`<base>/releases/download/<tag>/sha256sum.txt` (GNU format `<hex>  <name>`), where `<base>` is
`<url>/siderolabs/omni`; and Omni's `/api/omnictl/<asset>`. Misbehaviour per route: a wrong
status, `truncate_at` (Content-Length promises the whole body, the connection closes early),
`delay` (seconds before the response: a slow server), `chunk_delay` (a slow body).
`release_server_tls` is the same over HTTPS with a trustme CA (`.ca_file`). Every request path
is logged in `.requests`; the server binds 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import json
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

FAKE_OMNICTL = Path(__file__).with_name("fake_omnictl.py")
REPO_PATH = "/siderolabs/omni"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    truncate_at: int | None = None
    delay: float = 0.0
    chunk_delay: float = 0.0


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Downloads cut off on purpose (Ctrl-C, timeouts) are part of the tests: keep their
        tracebacks off this process's stderr, which the in-process CLI tests read."""
        import sys

        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class ReleaseServer:
    def __init__(self, tls_ca: Any | None = None, ca_dir: Path | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.ca_file: str | None = None
        self._hit = threading.Condition()
        handler = _make_handler(self)
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        port = self.httpd.server_address[1]
        if tls_ca is not None and ca_dir is not None:
            cert = tls_ca.issue_cert("localhost", "127.0.0.1")
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            cert.configure_cert(context)
            self.httpd.socket = context.wrap_socket(
                self.httpd.socket, server_side=True, do_handshake_on_connect=False
            )
            ca_path = ca_dir / "release-server-ca.pem"
            tls_ca.cert_pem.write_to_path(str(ca_path))
            self.ca_file = str(ca_path)
            self.url = f"https://localhost:{port}"
        else:
            self.url = f"http://127.0.0.1:{port}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    @property
    def base_url(self) -> str:
        """What OMNI_SCALE_OMNICTL_BASE_URL is set to (stands for github.com/siderolabs/omni)."""
        return self.url + REPO_PATH

    # -- content ------------------------------------------------------------------------------

    def add(self, path: str, body: bytes | str = b"", **route: Any) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = Route(data, **route)

    def add_release(
        self,
        tag: str,
        assets: dict[str, bytes],
        *,
        checksums: dict[str, str] | None = None,
        **asset_route: Any,
    ) -> None:
        """Assets plus sha256sum.txt (real sums unless `checksums` overrides some)."""
        sums = {name: hashlib.sha256(body).hexdigest() for name, body in assets.items()}
        sums.update(checksums or {})
        for name, body in assets.items():
            self.add(f"{REPO_PATH}/releases/download/{tag}/{name}", body, **asset_route)
        lines = "".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items()))
        self.add(f"{REPO_PATH}/releases/download/{tag}/sha256sum.txt", lines)

    def set_latest(self, tag: str, *, feed_tags: list[str] | None = None) -> None:
        """GitHub's redirect of /releases/latest, and a releases.atom listing `feed_tags`."""
        self.add(
            f"{REPO_PATH}/releases/latest",
            status=302,
            headers={"Location": f"{self.base_url}/releases/tag/{tag}"},
        )
        entries = "".join(
            f'<entry><link rel="alternate" type="text/html" '
            f'href="https://github.com{REPO_PATH}/releases/tag/{t}"/><title>{t}</title></entry>'
            for t in (feed_tags if feed_tags is not None else [tag])
        )
        self.add(
            f"{REPO_PATH}/releases.atom",
            f'<?xml version="1.0" encoding="UTF-8"?><feed>{entries}</feed>',
            headers={"Content-Type": "application/atom+xml"},
        )

    def add_server_binary(self, asset: str, body: bytes, **route: Any) -> None:
        """Omni's own build at /api/omnictl/<asset> (no checksum file)."""
        self.add(f"/api/omnictl/{asset}", body, **route)

    def wait_for(self, path: str, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._hit:
            while path not in self.requests:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._hit.wait(left)
        return True

    def _record(self, path: str) -> None:
        with self._hit:
            self.requests.append(path)
            self._hit.notify_all()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _make_handler(server: ReleaseServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            server._record(path)
            route = server.routes.get(path)
            if route is None:
                route = Route(b"Not Found", status=404)
            if route.delay:
                time.sleep(route.delay)
            try:
                self.send_response(route.status)
                headers = {"Content-Type": "application/octet-stream", **route.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                body = route.body
                if route.truncate_at is not None:
                    body = body[: route.truncate_at]
                step = 4096 if route.chunk_delay else len(body) or 1
                for start in range(0, len(body), step):
                    self.wfile.write(body[start : start + step])
                    self.wfile.flush()
                    if route.chunk_delay:
                        time.sleep(route.chunk_delay)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                return
            self.close_connection = True

    return Handler


@pytest.fixture
def release_server() -> Iterator[ReleaseServer]:
    """A plain-HTTP release server on 127.0.0.1 (loopback, so omni-scale accepts HTTP)."""
    server = ReleaseServer()
    yield server
    server.close()


@pytest.fixture
def release_server_tls(tmp_path: Path) -> Iterator[ReleaseServer]:
    """The same over HTTPS (https://localhost:PORT) with a trustme CA in `.ca_file`."""
    import trustme

    server = ReleaseServer(trustme.CA(), tmp_path)
    yield server
    server.close()


@pytest.fixture
def omnictl_build(tmp_path: Path) -> Callable[..., bytes]:
    """`omnictl_build("v1.10.4", api=2, backend={...})` -> bytes of an executable stand-in.

    The bytes are a `#!/bin/sh` script running tests/fakes/fake_omnictl.py with a scenario
    whose `version`/`api_version` are the given ones (and `backend`, the Omni server it
    reports), so `--version` prints `omnictl version v1.10.4 (API Version: 2)`.
    """
    counter = iter(range(1_000_000))

    def build(
        version: str = "v1.10.4",
        *,
        api: int = 2,
        backend: dict[str, Any] | None = None,
        resources: list[dict[str, Any]] | None = None,
    ) -> bytes:
        scenario: dict[str, Any] = {"version": version, "api_version": api}
        if backend is not None:
            scenario["backend"] = backend
        if resources is not None:
            scenario["resources"] = resources
        scenario_file = tmp_path / f"omnictl-build-{next(counter)}.json"
        scenario_file.write_text(json.dumps(scenario))
        return (
            "#!/bin/sh\n"
            f"# omnictl {version} stand-in\n"
            f"FAKE_OMNICTL_SCENARIO='{scenario_file}' exec '{sys.executable}' "
            f"'{FAKE_OMNICTL}' \"$@\"\n"
        ).encode()

    return build
