"""Omni's view of a provider (via omnictl): registered, connected, version, last error.

Sources, siderolabs/omni v1.10.4: InfraProviders (infra-provider; exists after `infraprovider
create`), InfraProviderCombinedStatuses (ephemeral; Omni >= 0.50: health.connected), else the
heartbeat InfraProviderHealthStatuses (infra-provider-ephemeral; connected while the last
heartbeat is under 31 s old), InfraProviderStatuses (infra-provider; version, schema).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from omni_scale.errors import OmniScaleError

if TYPE_CHECKING:
    from omni_scale.adapters.omnictl.run import Omnictl

INFRA_PROVIDERS = "InfraProviders.omni.sidero.dev"
PROVIDER_STATUSES = "InfraProviderStatuses.omni.sidero.dev"
COMBINED_STATUSES = "InfraProviderCombinedStatuses.omni.sidero.dev"
HEALTH_STATUSES = "InfraProviderHealthStatuses.omni.sidero.dev"
NS_INFRA_PROVIDER = "infra-provider"
NS_EPHEMERAL = "ephemeral"
NS_PROVIDER_EPHEMERAL = "infra-provider-ephemeral"
HEARTBEAT_FRESH_S = 31.0


@dataclass
class OmniView:
    provider_id: str
    registered: bool | None = None  # InfraProvider resource exists (key created for this id)
    connected: bool | None = None
    initialized: bool | None = None  # the provider has started once (status exists)
    version: str | None = None
    error: str | None = None
    last_heartbeat: dt.datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "provider_id": self.provider_id,
            "registered": self.registered,
            "connected": self.connected,
            "initialized": self.initialized,
            "version": self.version,
            "error": self.error,
            "last_heartbeat": self.last_heartbeat.isoformat().replace("+00:00", "Z")
            if self.last_heartbeat
            else None,
        }


def _spec(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not items:
        return None
    spec = items[0].get("spec")
    return spec if isinstance(spec, dict) else {}


def _timestamp(value: Any) -> dt.datetime | None:
    if isinstance(value, dict) and "seconds" in value:
        seconds = float(value.get("seconds") or 0) + float(value.get("nanos") or 0) / 1e9
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return None


def connection(omnictl: Omnictl, provider_id: str) -> OmniView:
    """Connected/initialized/error only (the cheap poll used while waiting)."""
    view = OmniView(provider_id)
    try:
        combined = _spec(omnictl.get(COMBINED_STATUSES, provider_id, namespace=NS_EPHEMERAL))
    except OmniScaleError as exc:
        if "not registered" not in exc.message and "ambiguous" not in exc.message:
            raise
        combined = None
        heartbeat_only = True
    else:
        heartbeat_only = False
    if combined is not None:
        raw = combined.get("health")
        health: dict[str, Any] = raw if isinstance(raw, dict) else {}
        view.connected = bool(health.get("connected"))
        view.initialized = bool(health.get("initialized"))
        view.error = str(health.get("error") or "") or None
        view.version = str(combined.get("version") or "") or None
        return view
    if heartbeat_only or combined is None:
        beat = _spec(omnictl.get(HEALTH_STATUSES, provider_id, namespace=NS_PROVIDER_EPHEMERAL))
        if beat is None:
            view.connected = False
            return view
        view.last_heartbeat = _timestamp(beat.get("lastheartbeattimestamp"))
        view.error = str(beat.get("error") or "") or None
        if view.last_heartbeat is not None:
            age = (dt.datetime.now(dt.UTC) - view.last_heartbeat).total_seconds()
            view.connected = age < HEARTBEAT_FRESH_S
        else:
            view.connected = False
    return view


def full_view(omnictl: Omnictl, provider_id: str) -> OmniView:
    """Registration, connection, version."""
    view = connection(omnictl, provider_id)
    view.registered = bool(omnictl.get(INFRA_PROVIDERS, provider_id, namespace=NS_INFRA_PROVIDER))
    status = _spec(omnictl.get(PROVIDER_STATUSES, provider_id, namespace=NS_INFRA_PROVIDER))
    if status is not None:
        view.initialized = True
        view.version = view.version or (str(status.get("version") or "") or None)
    elif view.initialized is None:
        view.initialized = False
    return view
