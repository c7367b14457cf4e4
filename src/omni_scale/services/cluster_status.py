"""Read a cluster's status resources from Omni through omnictl (`get`s, concurrently)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from omni_scale.adapters.omnictl.errors import OmnictlFailed
from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.core.omni.cluster_health import (
    ClusterHealth,
    ProviderHealth,
    cluster_requests,
    evaluate,
    provider_health,
)
from omni_scale.core.omni.resources import (
    CLUSTER_MACHINE_REQUEST_STATUSES,
    CLUSTER_MACHINE_STATUSES,
    CLUSTER_STATUSES,
    INFRA_PROVIDER_COMBINED_STATUSES,
    INFRA_PROVIDER_HEALTH_STATUSES,
    MACHINE_REQUEST_STATUSES,
    MACHINE_SET_STATUSES,
    NS_DEFAULT,
    NS_EPHEMERAL,
    NS_INFRA_PROVIDER,
    NS_INFRA_PROVIDER_EPHEMERAL,
)


def _optional(omnictl: Omnictl, *args: Any) -> list[dict[str, Any]]:
    """A `get` of a type an older Omni may not have (`... is not registered`): [] then."""
    try:
        return omnictl.get(*args)
    except OmnictlFailed as exc:
        if "is not registered" in exc.message:
            return []
        raise


def cluster_health(omnictl: Omnictl, name: str | None = None) -> list[ClusterHealth]:
    """Health of cluster `name` (one entry, `exists` False when missing), or of every cluster."""
    selector = f"omni.sidero.dev/cluster={name}" if name else None
    with ThreadPoolExecutor(max_workers=5) as pool:
        statuses = pool.submit(omnictl.get, CLUSTER_STATUSES, name, NS_DEFAULT)
        sets = pool.submit(omnictl.get, MACHINE_SET_STATUSES, None, NS_DEFAULT, selector)
        members = pool.submit(omnictl.get, CLUSTER_MACHINE_STATUSES, None, NS_DEFAULT, selector)
        requests = pool.submit(omnictl.get, MACHINE_REQUEST_STATUSES, None, NS_INFRA_PROVIDER)
        cluster_requests_ = pool.submit(
            _optional, omnictl, CLUSTER_MACHINE_REQUEST_STATUSES, None, NS_DEFAULT, selector
        )
        found: list[dict[str, Any]] = statuses.result()
        set_list, member_list, request_list = sets.result(), members.result(), requests.result()
        cluster_request_list = cluster_requests_.result()
    by_name = {str(s.get("metadata", {}).get("id")): s for s in found}
    names = [name] if name else sorted(by_name)
    providers = _providers(omnictl, names, cluster_request_list)
    return [
        evaluate(
            n,
            by_name.get(n),
            set_list,
            member_list,
            request_list,
            cluster_request_list,
            providers,
        )
        for n in names
    ]


def _providers(
    omnictl: Omnictl, names: list[str], statuses: list[dict[str, Any]]
) -> dict[str, ProviderHealth]:
    """Health of the providers that waiting requests are for (asked only when some wait)."""
    ids = sorted(
        {
            r.provider_id
            for n in names
            for r in cluster_requests(n, statuses)
            if r.waiting and r.provider_id
        }
    )
    if not ids:
        return {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        combined = pool.submit(
            _optional, omnictl, INFRA_PROVIDER_COMBINED_STATUSES, None, NS_EPHEMERAL
        )
        beats = pool.submit(
            _optional, omnictl, INFRA_PROVIDER_HEALTH_STATUSES, None, NS_INFRA_PROVIDER_EPHEMERAL
        )
        by_id = {str(r.get("metadata", {}).get("id")): r for r in combined.result()}
        beat_by_id = {str(r.get("metadata", {}).get("id")): r for r in beats.result()}
    return {i: provider_health(i, by_id.get(i), beat_by_id.get(i)) for i in ids}
