"""Cluster health evaluation from resources shaped like `omnictl get -o json` (pure)."""

from __future__ import annotations

from fakes.fixtures_omnictl import (
    cluster_machine_status,
    cluster_status,
    machine_request_status,
    machine_set_status,
)
from omni_scale.core.omni.cluster_health import evaluate, explain
from omni_scale.core.omni.resources import CLUSTER_PHASES, enum_name, parse_json_stream


def test_missing_cluster_is_not_healthy() -> None:
    health = evaluate("x", None)
    assert (health.exists, health.healthy) == (False, False)
    assert health.summary == 'cluster "x" does not exist in Omni'


def test_zero_enums_are_omitted_by_omnictl() -> None:
    status = cluster_status("t")
    del status["spec"]["phase"]
    assert evaluate("t", status).phase == "UNKNOWN"
    assert enum_name(CLUSTER_PHASES, 9) == "UNKNOWN(9)"


def test_other_clusters_resources_are_ignored() -> None:
    health = evaluate(
        "talos",
        cluster_status("talos"),
        [
            machine_set_status("talos", "talos-workers"),
            machine_set_status("talos-prod", "talos-prod-workers", ready=False),
        ],
        [cluster_machine_status("talos-prod", "talos-prod-workers", "u1")],
        [machine_request_status("talos-prod-workers-aaaaaa", "talos-prod-workers", stage=3)],
    )
    assert [s.id for s in health.machine_sets] == ["talos-workers"]
    assert health.machines == []
    assert health.healthy


def test_machine_set_error_is_explained() -> None:
    health = evaluate(
        "t",
        cluster_status("t", phase=1, ready=False),
        [machine_set_status("t", "t-workers", phase=5, ready=False, error="no nodes available")],
    )
    assert health.machine_sets[0].phase == "Failed"
    (cause,) = health.problems
    assert cause.known_error == "node-none"


def test_unknown_error_keeps_the_text() -> None:
    cause = explain("something new")
    assert (cause.error, cause.diagnosis, cause.known_error) == ("something new", None, None)


def test_json_stream_parsing() -> None:
    assert parse_json_stream("") == []
    assert parse_json_stream('{\n    "a": 1\n}\n{\n    "a": 2\n}\n') == [{"a": 1}, {"a": 2}]
    try:
        parse_json_stream('{"a": 1}\n{"a"')
    except ValueError as exc:
        assert "invalid JSON" in str(exc)
    else:
        raise AssertionError("no error")


def test_request_in_use_is_not_waiting() -> None:
    """A request whose machine joined (label machine-request-in-use) waits for nothing."""
    from fakes.fixtures_omnictl import cluster_machine_request_status

    joined = cluster_machine_request_status(
        "talos",
        "talos-workers",
        "talos-workers-aaaaaa",
        stage="PROVISIONED",
        status="Waiting for the machine to join Omni",
        uuid="uuid-1",
        in_use=True,
    )
    waiting = cluster_machine_request_status("talos", "talos-workers", "talos-workers-bbbbbb")
    other = cluster_machine_request_status("other", "other-workers", "other-workers-cccccc")
    health = evaluate("talos", cluster_status("talos"), (), (), (), [joined, waiting, other])
    assert [(r.id, r.waiting) for r in health.requests] == [
        ("talos-workers-aaaaaa", False),
        ("talos-workers-bbbbbb", True),
    ]
    assert health.requests[0].machine_uuid == "uuid-1"
    assert health.down_providers == []  # no provider health was asked for: nothing assumed
