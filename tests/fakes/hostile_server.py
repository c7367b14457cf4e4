"""A hostile HTTP server on loopback (raw sockets, stdlib only) for the robustness tests.

Behaviours a real server can have and a well-behaved stand-in never shows:
- `trickle-body`: headers at once, then the body one byte every `interval` seconds;
- `trickle-headers`: the status line, then the headers one byte every `interval` seconds;
- `endless`: a chunked body that never ends;
- `huge`: Content-Length of 10 GB, then zeros as fast as the client reads;
- `body`: a fixed status/reason/body (deep JSON, echoed headers, escape sequences);
- `echo-auth`: 401 whose reason and body echo the request's Authorization header in other forms.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote


@dataclass
class Hostile:
    mode: str
    interval: float = 0.3
    status: int = 200
    reason: str = "OK"
    body: bytes = b""
    routes: dict[str, bytes] = field(default_factory=dict)  # path suffix -> JSON body
    _sock: socket.socket | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    requests: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        assert self._sock is not None
        host, port = self._sock.getsockname()[:2]
        return f"http://{host}:{port}"

    def start(self) -> Hostile:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._sock is not None:
            self._sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()  # type: ignore[union-attr]
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _read_request(self, conn: socket.socket) -> bytes:
        conn.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        self.requests.append(data)
        return data

    def _serve(self, conn: socket.socket) -> None:
        try:
            request = self._read_request(conn)
            getattr(self, "_" + self.mode.replace("-", "_"))(conn, request)
        except OSError:
            pass
        finally:
            conn.close()

    def _send_slowly(self, conn: socket.socket, data: bytes) -> None:
        for byte in data:
            if self._stop.is_set():
                return
            conn.sendall(bytes([byte]))
            time.sleep(self.interval)

    def _trickle_body(self, conn: socket.socket, request: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100000\r\n\r\n")  # fmt: skip
        self._send_slowly(conn, b'{"data": "' + b"x" * 99_990)

    def _trickle_headers(self, conn: socket.socket, request: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        self._send_slowly(conn, b"X-Slow: " + b"y" * 10_000 + b"\r\n\r\n")

    def _endless(self, conn: socket.socket, request: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")  # fmt: skip
        chunk = b"[" * 65536
        frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
        while not self._stop.is_set():
            conn.sendall(frame)

    def _huge(self, conn: socket.socket, request: bytes) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 10000000000\r\n\r\n")  # fmt: skip
        zeros = b"0" * 65536
        while not self._stop.is_set():
            conn.sendall(zeros)

    def _body(self, conn: socket.socket, request: bytes) -> None:
        path = request.split(b" ", 2)[1].decode() if b" " in request else "/"
        body = self.body
        for suffix, routed in self.routes.items():
            if path.split("?")[0].endswith(suffix):
                body = routed
        head = f"HTTP/1.1 {self.status} {self.reason}\r\nContent-Type: application/json\r\n"
        conn.sendall(head.encode("latin-1") + f"Content-Length: {len(body)}\r\n\r\n".encode()
                     + body)  # fmt: skip

    def _echo_auth(self, conn: socket.socket, request: bytes) -> None:
        auth = b""
        for line in request.split(b"\r\n"):
            if line.lower().startswith(b"authorization:"):
                auth = line.split(b":", 1)[1].strip()
        value = auth.decode("latin-1")
        secret = value.rsplit("=", 1)[-1]
        reason = f"denied {value.lower()} ({secret.upper()})"
        payload = {
            "data": None,
            "message": f"token {quote(secret)}",
            "errors": {secret.swapcase(): f"url {quote(value)}"},
        }
        body = json.dumps(payload).encode()
        head = f"HTTP/1.1 401 {reason}\r\nContent-Type: application/json\r\n"
        conn.sendall(head.encode("latin-1") + f"Content-Length: {len(body)}\r\n\r\n".encode()
                     + body)  # fmt: skip
