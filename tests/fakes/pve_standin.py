"""A tiny loopback stand-in for the wire behaviours of PVE that fakepve does not reproduce.

Plain HTTP on 127.0.0.1 (stdlib only). Each route answers with a scripted status, reason phrase
and raw body, so tests can pin exactly what PVE sends:
- 401 with only a reason phrase and no body at all;
- 595 with an empty body (node unreachable through pveproxy);
- lists whose order changes from one request to the next (Perl hash order);
- offline nodes that still report maxmem, `enabled: 0` storages, bridges hidden by SDN ACLs;
- a fixed latency per request (bench/plan.py: 20 ms).

Routes are keyed by "METHOD /path" (path without the /api2/json prefix, query ignored). A value
is a Reply, a list of Replies served in turn (the last one repeats), or a callable(hit) -> Reply.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

PREFIX = "/api2/json"


@dataclass
class Reply:
    status: int = 200
    reason: str | None = None
    body: bytes | None = None
    delay: float = 0.0

    @classmethod
    def data(cls, value: Any, **kwargs: Any) -> Reply:
        return cls(body=json.dumps({"data": value}).encode(), **kwargs)


Route = Reply | list[Reply] | Callable[[int], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # listen() backlog: many concurrent connects must not be dropped

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (a TLS client refusing our certificate, a timeout) are part of
        the tests; socketserver would print their traceback to this process's stderr, where the
        in-process CLI tests read it as the CLI's own output."""
        import sys

        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


@dataclass
class StandIn:
    routes: dict[str, Route] = field(default_factory=dict)
    latency: float = 0.0
    hits: dict[str, int] = field(default_factory=dict)
    headers: list[dict[str, str]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{PREFIX}"

    def reply_for(self, key: str) -> Reply:
        with self.lock:
            hit = self.hits.get(key, 0)
            self.hits[key] = hit + 1
        route = self.routes.get(key)
        if route is None:
            return Reply(501, f"Method '{key}' not implemented", b'{"data":null}')
        if callable(route) and not isinstance(route, Reply):
            return route(hit)
        if isinstance(route, list):
            return route[min(hit, len(route) - 1)]
        return route

    def start(self) -> StandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out in two writes

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                standin.headers.append(dict(self.headers.items()))
                path = urlsplit(self.path).path
                path = path[len(PREFIX) :] if path.startswith(PREFIX) else path
                reply = standin.reply_for(f"{self.command} {path}")
                pause = standin.latency + reply.delay
                if pause:
                    time.sleep(pause)
                self.send_response(reply.status, reply.reason)
                body = reply.body or b""
                if reply.body is not None:
                    self.send_header("Content-Type", "application/json;charset=UTF-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Server", "pve-api-daemon/3.0")
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self.server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


# The provider's minimal privilege set (the API calls of siderolabs/omni-infra-provider-proxmox
# checked against pve-manager's permissions), plus the pool privileges every provider from
# v0.1.0 on needs — an oracle kept apart from omni_scale.core.proxmox.privileges on purpose.
# Mapping.Use is needed only for PCI.
MINIMAL_PRIVILEGES = (
    "VM.Allocate",
    "VM.Audit",
    "VM.Config.CPU",
    "VM.Config.Memory",
    "VM.Config.Disk",
    "VM.Config.CDROM",
    "VM.Config.Network",
    "VM.Config.HWType",
    "VM.Config.Options",
    "VM.PowerMgmt",
    "Datastore.Allocate",
    "Datastore.AllocateSpace",
    "Datastore.AllocateTemplate",
    "Datastore.Audit",
    "Sys.Audit",
    "Sys.AccessNetwork",
    "SDN.Use",
    "Mapping.Use",
    "Pool.Allocate",
    "Pool.Audit",
)


def cluster_routes(
    nodes: int,
    storages: int,
    *,
    offline: tuple[int, ...] = (),
) -> dict[str, Route]:
    """A synthetic cluster: `nodes` nodes (pve1..), `storages` storages each."""
    gib = 1024**3
    routes: dict[str, Route] = {
        "GET /version": Reply.data({"release": "8.4", "version": "8.4.1", "repoid": "2a5fa54a"}),
        "GET /cluster/mapping/pci": Reply.data([]),
        "GET /cluster/nextid": Reply.data("104"),
        # a token holding the provider's privileges (PVE answers {path: {privilege: 1}}):
        # `provider status` audits them (bench/status.py)
        "GET /access/permissions": Reply.data({"/": dict.fromkeys(MINIMAL_PRIVILEGES, 1)}),
    }
    node_list = []
    for n in range(1, nodes + 1):
        name = f"pve{n}"
        item: dict[str, Any] = {"node": name, "id": f"node/{name}", "type": "node"}
        if n in offline:
            item.update(status="offline", maxmem=64 * gib, maxcpu=16)
        else:
            item.update(status="online", maxmem=64 * gib, mem=(n % 7 + 1) * gib, maxcpu=16)
        node_list.append(item)
        stores = [
            {
                "storage": f"store{s}",
                "type": "lvmthin" if s % 2 else "dir",
                "content": "images,rootdir" if s % 2 else "iso,vztmpl,backup",
                "enabled": 1,
                "active": 1,
                "shared": 0,
                "total": 2000 * gib,
                "used": 100 * gib,
                "avail": (1000 + s) * gib,
            }
            for s in range(storages)
        ]
        routes[f"GET /nodes/{name}/storage"] = Reply.data(stores)
        routes[f"GET /nodes/{name}/network"] = Reply.data(
            [{"iface": "vmbr0", "type": "bridge", "active": 1, "bridge_vlan_aware": 1}]
        )
        routes[f"GET /nodes/{name}/qemu"] = Reply.data([])
    routes["GET /nodes"] = Reply.data(node_list)
    return routes


def main() -> None:
    """Serve a synthetic cluster until stdin closes: prints the URL on its first line, then the
    request count for every line read (and once more at the end).

    python tests/fakes/pve_standin.py NODES STORAGES LATENCY  (bench/plan.py runs it this way,
    in its own process, so the server does not share the client's interpreter lock)
    """
    import sys

    nodes, storages, latency = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    server = StandIn(routes=cluster_routes(nodes, storages), latency=latency).start()
    print(server.url, flush=True)
    for _ in sys.stdin:  # each line asks for the request count so far
        print(sum(server.hits.values()), flush=True)
    print(sum(server.hits.values()), flush=True)
    server.stop()


if __name__ == "__main__":
    main()
