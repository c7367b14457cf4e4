"""`cluster delete` as a service against fake omnictl: unknown cluster, dry run, confirm."""

from __future__ import annotations

import pytest

from fakes.fixtures_omnictl import FakeOmnictl, cluster_status, resource
from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.errors import InputError
from omni_scale.services.cluster_delete import delete_cluster

CLUSTERS = "Clusters.omni.sidero.dev"


def _talos(fake: FakeOmnictl) -> Omnictl:
    fake.add(resource(CLUSTERS, "talos"), cluster_status("talos", total=1, healthy=1))
    return Omnictl(fake.path)


def _refuse() -> None:
    raise InputError("not confirmed")


def test_unknown_cluster_is_bad_input_before_asking(fake_omnictl: FakeOmnictl) -> None:
    with pytest.raises(InputError, match='cluster "nope" does not exist in Omni'):
        delete_cluster(Omnictl(fake_omnictl.path), "nope", dry_run=False, confirm=_refuse)


def test_dry_run_asks_nothing_and_keeps_the_cluster(fake_omnictl: FakeOmnictl) -> None:
    omnictl = _talos(fake_omnictl)
    dry = delete_cluster(omnictl, "talos", dry_run=True, confirm=_refuse)
    assert dry.ok and dry.to_json()["deleted"] is False
    assert any("tearing down" in line for line in dry.output)
    assert fake_omnictl.resources(CLUSTERS)


def test_confirm_stops_the_delete_and_then_lets_it_happen(fake_omnictl: FakeOmnictl) -> None:
    omnictl = _talos(fake_omnictl)
    with pytest.raises(InputError, match="not confirmed"):
        delete_cluster(omnictl, "talos", dry_run=False, confirm=_refuse)
    assert fake_omnictl.resources(CLUSTERS)
    done = delete_cluster(omnictl, "talos", dry_run=False, confirm=lambda: None)
    assert done.ok and done.to_json() == {
        "name": "talos",
        "dry_run": False,
        "deleted": True,
        "output": done.output,
    }
    assert fake_omnictl.resources(CLUSTERS) == []
