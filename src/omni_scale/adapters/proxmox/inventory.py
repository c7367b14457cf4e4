"""A live inventory snapshot: GET /version and /nodes, then all per-node requests concurrently."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from typing import Any

from omni_scale.adapters.proxmox.client import ProxmoxApiError, ProxmoxClient
from omni_scale.core.proxmox.snapshot import BridgeInfo, NodeInfo, PciMapping, Snapshot, StorageInfo

PROVIDER_TAG = "machine-request."
BRIDGE_TYPES = frozenset({"bridge", "OVSBridge"})


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _flag(value: Any, default: bool = False) -> bool:
    if value is None:
        return default
    return str(value) not in ("0", "", "False", "false")


def storage_from_api(item: Mapping[str, Any]) -> StorageInfo:
    return StorageInfo(
        storage=str(item.get("storage", "")),
        type=str(item.get("type", "")),
        content=str(item.get("content") or ""),
        enabled=_flag(item.get("enabled"), True),
        active=_flag(item.get("active"), False),
        avail=_int(item.get("avail")) or 0,
        total=_int(item.get("total")) or 0,
        shared=_flag(item.get("shared")),
    )


def bridges_from_api(items: Any) -> tuple[BridgeInfo, ...]:
    out = []
    for item in items or []:
        if not isinstance(item, Mapping) or item.get("type") not in BRIDGE_TYPES:
            continue
        vids = item.get("bridge_vids")
        out.append(
            BridgeInfo(
                iface=str(item.get("iface")),
                vlan_aware=_flag(item.get("bridge_vlan_aware")),
                active=_flag(item.get("active"), False),
                vlan_ids=str(vids) if vids else None,
            )
        )
    return tuple(out)


def mapping_nodes(entry: Mapping[str, Any]) -> tuple[str, ...]:
    """Node names of a PCI mapping's `map` entries (`node=pve1,path=...,id=...`)."""
    nodes: list[str] = []
    for text in entry.get("map") or []:
        for part in str(text).split(","):
            key, _, value = part.partition("=")
            if key.strip() == "node" and value and value not in nodes:
                nodes.append(value.strip())
    return tuple(nodes)


async def _get_or_none(
    pve: ProxmoxClient,
    path: str,
    params: Mapping[str, Any] | None = None,
    unknown_on: tuple[int, ...] = (595,),
) -> Any:
    try:
        return await pve.get(path, params)
    except ProxmoxApiError as exc:
        if exc.status in unknown_on:
            return None
        raise


async def _node_details(pve: ProxmoxClient, item: Mapping[str, Any], with_vms: bool) -> NodeInfo:
    name = str(item.get("node"))
    status = str(item.get("status") or "unknown")
    storages: tuple[StorageInfo, ...] | None = None
    bridges: tuple[BridgeInfo, ...] | None = None
    vm_count = provider_vm_count = None
    if status == "online":
        # 595: the node went offline since GET /nodes (unknown, not empty); 403 on the network
        # list: no Sys.Audit on the node, so its bridges are unknown rather than missing.
        async def vm_list() -> Any:
            return await _get_or_none(pve, f"/nodes/{name}/qemu") if with_vms else None

        raw_storages, raw_bridges, raw_vms = await asyncio.gather(
            _get_or_none(pve, f"/nodes/{name}/storage"),
            _get_or_none(pve, f"/nodes/{name}/network", {"type": "any_bridge"}, (403, 595)),
            vm_list(),
        )
        if raw_storages is not None:
            storages = tuple(storage_from_api(s) for s in raw_storages if isinstance(s, Mapping))
        bridges = None if raw_bridges is None else bridges_from_api(raw_bridges)
        if raw_vms is not None:
            vms = [v for v in raw_vms if isinstance(v, Mapping)]
            vm_count = len(vms)
            provider_vm_count = sum(
                1
                for v in vms
                if any(t.startswith(PROVIDER_TAG) for t in str(v.get("tags") or "").split(";"))
            )
    return NodeInfo(
        node=name,
        status=status,
        maxmem=_int(item.get("maxmem")),
        mem=_int(item.get("mem")),
        maxcpu=_int(item.get("maxcpu")),
        storages=storages,
        bridges=bridges,
        vm_count=vm_count,
        provider_vm_count=provider_vm_count,
    )


async def _pci_mappings(pve: ProxmoxClient) -> tuple[PciMapping, ...] | None:
    try:
        data = await pve.get("/cluster/mapping/pci")
    except ProxmoxApiError as exc:
        if exc.status in (403, 501):  # no Mapping.Audit, or PVE 7 (no mappings at all)
            return None
        raise
    return tuple(
        PciMapping(str(m.get("id")), mapping_nodes(m))
        for m in data or []
        if isinstance(m, Mapping) and m.get("id")
    )


async def _names(pve: ProxmoxClient, path: str, key: str) -> tuple[str, ...] | None:
    """Ids of GET /pools (`poolid`) or /cluster/ha/rules (`rule`); None when not readable.

    PVE 8 has no HA rules API (501/404 there: no rules can exist, so an empty list); 403 means
    the token may not look (unknown). PVE 9 lists only the pools the token has Pool.Audit on."""
    try:
        data = await pve.get(path)
    except ProxmoxApiError as exc:
        if exc.status in (404, 501) and "ha/rules" in path:
            return ()
        if exc.status in (403, 404, 501, 595):
            return None
        raise
    return tuple(str(i[key]) for i in data or [] if isinstance(i, Mapping) and i.get(key))


async def _vm_counts(pve: ProxmoxClient, nodes: tuple[NodeInfo, ...]) -> tuple[NodeInfo, ...]:
    """`len(GET /nodes/{n}/qemu)` for every online node (the provider's TotalVMs)."""

    async def count(node: NodeInfo) -> NodeInfo:
        if not node.online or node.vm_count is not None:
            return node
        raw = await _get_or_none(pve, f"/nodes/{node.node}/qemu", None, (403, 595))
        if raw is None:
            return node
        vms = [v for v in raw if isinstance(v, Mapping)]
        tagged = sum(
            1
            for v in vms
            if any(t.startswith(PROVIDER_TAG) for t in str(v.get("tags") or "").split(";"))
        )
        return replace(node, vm_count=len(vms), provider_vm_count=tagged)

    return tuple(await asyncio.gather(*(count(n) for n in nodes)))


NodeSelector = Callable[[Snapshot], Collection[str]]


async def take_snapshot(
    pve: ProxmoxClient,
    provider_id: str,
    *,
    with_vms: bool = True,
    select: NodeSelector | None = None,
    vm_counts: Callable[[], bool] | None = None,
) -> Snapshot:
    """The inventory as the provider's token sees it; per-node requests run concurrently.

    `select` (for plans) gets the snapshot with node stats only and names the nodes whose
    storages and bridges are needed; the others are left unknown (null), as a plan only looks
    at the nodes the provider would choose.
    """
    from omni_scale.state import now_iso

    version, nodes, mappings, pools, ha_rules = await asyncio.gather(
        pve.get("/version"),
        pve.get("/nodes"),
        _pci_mappings(pve),
        _names(pve, "/pools", "poolid"),
        _names(pve, "/cluster/ha/rules", "rule"),
    )
    if nodes is not None and not isinstance(nodes, list):
        # a mapping or a scalar would iterate as nothing and pass for "no nodes visible"
        from omni_scale.errors import EnvironmentProblem

        raise EnvironmentProblem(
            f"Proxmox API GET /nodes: expected a list of nodes, got {type(nodes).__name__}",
            hint="is the url the API root (ending in /api2/json) of a Proxmox VE server?",
        )
    items = [n for n in nodes or [] if isinstance(n, Mapping)]
    release = version.get("version") if isinstance(version, Mapping) else None
    snapshot = Snapshot(
        taken_at=now_iso(),
        pve_version=str(release) if release is not None else None,
        provider_id=provider_id,
        nodes=tuple(_bare_node(n) for n in items),
        pci_mappings=mappings,
        auth_id=pve.config.identity,
        source="live",
        pools=pools,
        ha_rules=ha_rules,
    )
    if vm_counts is not None and vm_counts():
        snapshot = replace(snapshot, nodes=await _vm_counts(pve, snapshot.nodes))
    wanted = None if select is None else set(select(snapshot))

    async def detail(item: Mapping[str, Any], bare: NodeInfo) -> NodeInfo:
        if wanted is not None and bare.node not in wanted:
            return bare
        full = await _node_details(pve, item, with_vms and bare.vm_count is None)
        if bare.vm_count is not None:
            full = replace(full, vm_count=bare.vm_count, provider_vm_count=bare.provider_vm_count)
        return full

    details = await asyncio.gather(
        *(detail(i, b) for i, b in zip(items, snapshot.nodes, strict=True))
    )
    return replace(snapshot, nodes=tuple(details))


def _bare_node(item: Mapping[str, Any]) -> NodeInfo:
    return NodeInfo(
        node=str(item.get("node")),
        status=str(item.get("status") or "unknown"),
        maxmem=_int(item.get("maxmem")),
        mem=_int(item.get("mem")),
        maxcpu=_int(item.get("maxcpu")),
        storages=None,
        bridges=None,
    )
