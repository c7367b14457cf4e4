"""Live snapshots against fakepve, and against the stand-in for what fakepve does not model."""

from __future__ import annotations

import asyncio
from typing import Any

from fakes.fixtures_pve import TOKEN_ID, TOKEN_SECRET
from fakes.pve_standin import Reply, StandIn
from omni_scale.adapters.proxmox.client import ProxmoxClient
from omni_scale.adapters.proxmox.inventory import take_snapshot
from omni_scale.core.provider.config import ProxmoxConfig
from omni_scale.core.proxmox.snapshot import Snapshot, dump_snapshot

GIB = 1024**3


def snapshot_of(url: str, ca_file: str | None = None, **kw: Any) -> Snapshot:
    config = ProxmoxConfig(url=url, token_id=TOKEN_ID, token_secret=TOKEN_SECRET)

    async def go() -> Snapshot:
        async with ProxmoxClient(config, ca_file=ca_file, retry_delays=(0.01,)) as pve:
            return await take_snapshot(pve, "proxmox", **kw)

    return asyncio.run(go())


def test_snapshot_from_fakepve(fakepve: Any, fakepve_cafile: str) -> None:
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    fakepve.add_node("pve2")
    fakepve.add_node("pve3", online=False)
    fakepve.storages["tank"] = {"type": "zfspool", "content": "images,rootdir", "disable": 1}
    fakepve.add_vm(104, "talos-a", node="pve1", config={"tags": "machine-request.workers"})
    fakepve.add_vm(105, "other", node="pve1")
    snap = snapshot_of(fakepve.url + "/api2/json", fakepve_cafile)
    assert snap.pve_version == fakepve.version and snap.auth_id == TOKEN_ID
    assert [n.node for n in snap.nodes] == ["pve1", "pve2", "pve3"]
    pve1, _, pve3 = snap.nodes
    assert pve1.online and pve1.maxmem and pve1.mem is not None
    assert (pve1.vm_count, pve1.provider_vm_count) == (2, 1)
    assert pve1.storages is not None
    tank = next(s for s in pve1.storages if s.storage == "tank")
    assert not tank.enabled and tank.avail == 0
    local = next(s for s in pve1.storages if s.storage == "local")
    assert "iso" in local.contents and local.active
    assert pve1.bridges is not None and [b.iface for b in pve1.bridges] == ["vmbr0"]
    # offline: no per-node request, storages unknown rather than empty
    assert not pve3.online and pve3.storages is None and pve3.mem is None
    assert not any("/nodes/pve3/" in r[1] for r in fakepve.requests)
    assert TOKEN_SECRET not in dump_snapshot(snap)


def test_per_node_requests_run_concurrently(standin: StandIn) -> None:
    from fakes.pve_standin import cluster_routes

    standin.routes.update(cluster_routes(8, 3))
    standin.latency = 0.05
    elapsed = asyncio.run(_elapsed(standin))
    # 3 + 8 x 3 requests at 50 ms each: one at a time they cannot take less than 1.35 s
    assert elapsed < 27 * 0.05 * 0.75


async def _elapsed(standin: StandIn) -> float:
    import time

    config = ProxmoxConfig(url=standin.url, token_id=TOKEN_ID, token_secret=TOKEN_SECRET)
    start = time.perf_counter()
    async with ProxmoxClient(config) as pve:
        snap = await take_snapshot(pve, "proxmox")
    assert len(snap.nodes) == 8
    return time.perf_counter() - start


def test_api_order_is_kept_as_served(standin: StandIn) -> None:
    stores = [
        {"storage": "b", "type": "dir", "content": "images", "enabled": 1, "active": 1},
        {"storage": "a", "type": "dir", "content": "iso", "enabled": 1, "active": 1},
    ]
    standin.routes.update(
        {
            "GET /version": Reply.data({"version": "8.4.1"}),
            "GET /cluster/mapping/pci": Reply(
                501, "Method 'GET /cluster/mapping/pci' not implemented", b'{"data":null}'
            ),
            "GET /nodes": Reply.data([{"node": "pve1", "status": "online"}]),
            "GET /nodes/pve1/storage": [Reply.data(stores), Reply.data(stores[::-1])],
            "GET /nodes/pve1/network": Reply.data([]),
            "GET /nodes/pve1/qemu": Reply.data([]),
        }
    )
    first = snapshot_of(standin.url)
    second = snapshot_of(standin.url)
    assert [s.storage for s in first.nodes[0].storages or ()] == ["b", "a"]
    assert [s.storage for s in second.nodes[0].storages or ()] == ["a", "b"]
    assert first.pci_mappings is None  # PVE 7: no mappings endpoint, so unknown
    # no Sys.Audit: no stats at all
    assert first.nodes[0].maxmem is None and first.nodes[0].mem is None


def test_offline_node_with_maxmem_and_sdn_hidden_bridges(standin: StandIn) -> None:
    standin.routes.update(
        {
            "GET /version": Reply.data({"version": "8.4.1"}),
            "GET /cluster/mapping/pci": Reply.data(
                [{"id": "gpu", "map": ["node=pve1,path=0000:01:00.0,id=10de:2684"]}]
            ),
            "GET /nodes": Reply.data(
                [
                    {"node": "pve1", "status": "online", "maxmem": 64 * GIB, "mem": 8 * GIB},
                    {"node": "pve2", "status": "offline", "maxmem": 32 * GIB, "maxcpu": 4},
                ]
            ),
            "GET /nodes/pve1/storage": Reply.data([]),
            "GET /nodes/pve1/network": Reply(403, "Permission check failed", b""),
            "GET /nodes/pve1/qemu": Reply.data([]),
        }
    )
    snap = snapshot_of(standin.url)
    pve2 = snap.node("pve2")
    assert pve2 is not None and pve2.maxmem == 32 * GIB and pve2.mem is None
    pve1 = snap.node("pve1")
    assert pve1 is not None and pve1.bridges is None  # unknown, not "none"
    assert snap.pci_mappings is not None and snap.pci_mappings[0].nodes == ("pve1",)


def test_node_that_goes_offline_mid_read_is_unknown_not_empty(standin: StandIn) -> None:
    gone = Reply(595, "No route to host", b"")
    standin.routes.update(
        {
            "GET /version": Reply.data({"version": "8.4.1"}),
            "GET /cluster/mapping/pci": Reply.data([]),
            "GET /nodes": Reply.data([{"node": "pve1", "status": "online", "maxmem": GIB}]),
            "GET /nodes/pve1/storage": gone,
            "GET /nodes/pve1/network": gone,
            "GET /nodes/pve1/qemu": gone,
        }
    )
    [pve1] = snapshot_of(standin.url).nodes
    assert pve1.storages is None and pve1.bridges is None and pve1.vm_count is None
    assert standin.hits["GET /nodes/pve1/storage"] == 2  # 595 is retried once first
