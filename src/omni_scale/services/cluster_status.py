"""Read a cluster's status resources from Omni through omnictl (four `get`s, concurrently)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.core.omni.cluster_health import ClusterHealth, evaluate
from omni_scale.core.omni.resources import (
    CLUSTER_MACHINE_STATUSES,
    CLUSTER_STATUSES,
    MACHINE_REQUEST_STATUSES,
    MACHINE_SET_STATUSES,
    NS_DEFAULT,
    NS_INFRA_PROVIDER,
)


def cluster_health(omnictl: Omnictl, name: str | None = None) -> list[ClusterHealth]:
    """Health of cluster `name` (one entry, `exists` False when missing), or of every cluster."""
    selector = f"omni.sidero.dev/cluster={name}" if name else None
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = pool.submit(omnictl.get, CLUSTER_STATUSES, name, NS_DEFAULT)
        sets = pool.submit(omnictl.get, MACHINE_SET_STATUSES, None, NS_DEFAULT, selector)
        members = pool.submit(omnictl.get, CLUSTER_MACHINE_STATUSES, None, NS_DEFAULT, selector)
        requests = pool.submit(omnictl.get, MACHINE_REQUEST_STATUSES, None, NS_INFRA_PROVIDER)
        found: list[dict[str, Any]] = statuses.result()
        set_list, member_list, request_list = sets.result(), members.result(), requests.result()
    by_name = {str(s.get("metadata", {}).get("id")): s for s in found}
    names = [name] if name else sorted(by_name)
    return [evaluate(n, by_name.get(n), set_list, member_list, request_list) for n in names]
