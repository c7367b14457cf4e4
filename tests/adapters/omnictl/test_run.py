"""The omnictl adapter against the fake omnictl on PATH (real subprocesses, real outputs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakes.fixtures_omnictl import (
    FakeOmnictl,
    cluster_status,
    machine_set_status,
    resource,
)
from omni_scale.adapters.omnictl.errors import OmnictlFailed, OmnictlNotFound, OmnictlRejected
from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.errors import EXIT_ENVIRONMENT, EnvironmentProblem, InputError


@pytest.fixture
def omnictl(fake_omnictl: FakeOmnictl) -> Omnictl:
    return Omnictl.locate(timeout=10)


def test_locates_the_binary_on_path(fake_omnictl: FakeOmnictl, omnictl: Omnictl) -> None:
    assert Path(omnictl.binary) == fake_omnictl.path


def test_state_path_wins_over_path(fake_omnictl: FakeOmnictl, tmp_path: Path) -> None:
    from fakes.fixtures_omnictl import install_fake_omnictl

    other = install_fake_omnictl(tmp_path / "other", {"version": "v1.9.3"})
    client = Omnictl.locate(str(other.path))
    assert client.version().version == "v1.9.3"


def test_version(omnictl: Omnictl) -> None:
    version = omnictl.version()
    assert (version.version, version.api_version) == ("v1.10.4", 2)


def test_get_parses_concatenated_objects(fake_omnictl: FakeOmnictl, omnictl: Omnictl) -> None:
    fake_omnictl.add(cluster_status("a"), cluster_status("b", phase=1, ready=False))
    found = omnictl.get("ClusterStatuses.omni.sidero.dev")
    assert [r["metadata"]["id"] for r in found] == ["a", "b"]
    assert found[1]["spec"]["phase"] == 1
    argv = fake_omnictl.calls()[-1]["argv"]
    # names after `--`: a repository's id never becomes a flag
    assert argv[0] == "get" and "json" in argv
    assert argv[argv.index("--") + 1] == "ClusterStatuses.omni.sidero.dev"


def test_get_zero_results_is_empty(omnictl: Omnictl) -> None:
    assert omnictl.get("ClusterStatuses.omni.sidero.dev") == []


def test_get_missing_id_is_empty(omnictl: Omnictl) -> None:
    assert omnictl.get("clusters", "nope") == []


def test_get_with_namespace_and_selector(fake_omnictl: FakeOmnictl, omnictl: Omnictl) -> None:
    fake_omnictl.add(
        machine_set_status("talos", "talos-workers"),
        machine_set_status("other", "other-workers"),
        resource("MachineRequestStatuses.omni.sidero.dev", "r1", namespace="infra-provider"),
    )
    found = omnictl.get(
        "MachineSetStatuses.omni.sidero.dev", selector="omni.sidero.dev/cluster=talos"
    )
    assert [r["metadata"]["id"] for r in found] == ["talos-workers"]
    # omnictl's default namespace is the type's own (infra-provider here)
    assert len(omnictl.get("MachineRequestStatuses.omni.sidero.dev")) == 1
    assert omnictl.get("MachineRequestStatuses.omni.sidero.dev", namespace="default") == []


def test_invalid_signature_is_an_environment_problem(
    fake_omnictl: FakeOmnictl, omnictl: Omnictl
) -> None:
    fake_omnictl.set_backend(auth="invalid-signature")
    with pytest.raises(EnvironmentProblem) as info:
        omnictl.get("clusters")
    assert "invalid signature" in info.value.message
    assert info.value.hint and "clock" in info.value.hint
    assert info.value.exit_code == EXIT_ENVIRONMENT


@pytest.mark.parametrize("mode", ["refused", "no-such-host", "deadline"])
def test_unreachable_server(fake_omnictl: FakeOmnictl, omnictl: Omnictl, mode: str) -> None:
    fake_omnictl.set_backend(unreachable=mode)
    with pytest.raises(EnvironmentProblem) as info:
        omnictl.get("clusters")
    assert info.value.message.startswith("cannot reach Omni")
    assert info.value.hint and "OMNI_ENDPOINT" in info.value.hint


@pytest.mark.parametrize(
    ("claimed", "client_api", "server_api", "text"),
    [
        # every released omnictl up to v1.10.4 (omni.md §0.7)
        ("v1.10.4", 2, 3, "client API version mismatch: backend API version 3, client API"),
        ("v1.10.4", 2, 1, "client API version mismatch: backend API version 1, client API"),
        # the wording of unreleased main (API 3)
        ("v1.11.0", 3, 4, "too old"),
        ("v1.11.0", 3, 2, "newer"),
    ],
)
def test_api_version_mismatch_is_hard(
    fake_omnictl: FakeOmnictl,
    omnictl: Omnictl,
    claimed: str,
    client_api: int,
    server_api: int,
    text: str,
) -> None:
    fake_omnictl.update(version=claimed, api_version=client_api)
    fake_omnictl.set_backend(api_version=server_api)
    with pytest.raises(EnvironmentProblem) as info:
        omnictl.get("clusters")
    assert text in info.value.message
    assert info.value.hint and "omnictl install" in info.value.hint


def test_minor_version_skew_is_only_a_warning(fake_omnictl: FakeOmnictl, omnictl: Omnictl) -> None:
    fake_omnictl.set_backend(version="1.9.3")
    fake_omnictl.add(cluster_status("a"))
    result = omnictl.run(["get", "clusterstatuses", "-o", "json"])
    assert result.code == 0
    assert result.version_skew == ("1.10.4", "1.9.3")
    assert any("differs from the backend version" in w for w in result.warnings)


def test_offline_commands_need_no_server(
    fake_omnictl: FakeOmnictl, omnictl: Omnictl, tmp_path: Path
) -> None:
    fake_omnictl.set_backend(unreachable="refused")
    template = tmp_path / "t.yaml"
    template.write_text("kind: Cluster\nname: a\n")
    assert omnictl.template_validate(template).code == 0
    assert omnictl.version().version == "v1.10.4"


def test_not_found_for_delete_is_ignored_and_get_raises_without_id(
    fake_omnictl: FakeOmnictl, omnictl: Omnictl
) -> None:
    assert omnictl.delete("clustermachines", "nope").code == 0
    fake_omnictl.respond(
        ["get", "talosversions"],
        stderr="Error: rpc error: code = NotFound desc = resource TalosVersions.omni.sidero.dev"
        "(default/x@undefined) doesn't exist\n",
        exit=1,
    )
    with pytest.raises(OmnictlNotFound):
        omnictl.get("talosversions")


def test_deleting_a_machine_says_delete_the_clustermachine(omnictl: Omnictl) -> None:
    with pytest.raises(OmnictlRejected) as info:
        omnictl.delete("machines", "0d4c-uuid")
    assert "read-only" in info.value.message
    assert info.value.hint and "omnictl delete clustermachine" in info.value.hint
    assert isinstance(info.value, InputError)


def test_delete_prints_destroyed(fake_omnictl: FakeOmnictl, omnictl: Omnictl) -> None:
    fake_omnictl.add(resource("ClusterMachines.omni.sidero.dev", "m1"))
    result = omnictl.delete("clustermachines", "m1")
    assert "destroyed ClusterMachines.omni.sidero.dev m1" in result.stderr
    assert fake_omnictl.resources("ClusterMachines.omni.sidero.dev") == []


def test_apply_rejection_keeps_the_server_message(
    fake_omnictl: FakeOmnictl, omnictl: Omnictl, tmp_path: Path
) -> None:
    target = tmp_path / "c.yaml"
    target.write_text("metadata:\n  type: MachineClasses.omni.sidero.dev\n  id: w\nspec: {}\n")
    fake_omnictl.respond(
        ["apply"],
        stderr=f'Error: failed to apply resources from file "{target}": failed to create resource '
        "'w' 'MachineClasses.omni.sidero.dev': rpc error: code = InvalidArgument desc = failed "
        'to validate: 1 error occurred:\n\t* config value ".storage_selector": is required\n\n',
        exit=1,
    )
    with pytest.raises(OmnictlRejected) as info:
        omnictl.apply(target)
    assert 'config value ".storage_selector": is required' in info.value.message
    assert "\n" not in info.value.one_line()


def test_apply_success_is_silent_and_records(
    fake_omnictl: FakeOmnictl, omnictl: Omnictl, tmp_path: Path
) -> None:
    target = tmp_path / "c.yaml"
    target.write_text("metadata:\n  type: MachineClasses.omni.sidero.dev\n  id: w\nspec: {}\n")
    result = omnictl.apply(target)
    assert (result.code, result.stdout) == (0, "")
    assert [r["metadata"]["id"] for r in fake_omnictl.resources()] == ["w"]
    dry = omnictl.apply(target, dry_run=True)
    assert "Updating resource 'w'" in dry.stdout


def test_timeout_is_an_environment_problem(fake_omnictl: FakeOmnictl) -> None:
    fake_omnictl.respond(["get"], hang=True)
    with pytest.raises(EnvironmentProblem) as info:
        Omnictl.locate(timeout=1).get("clusters")
    assert "did not finish within 1s" in info.value.message


def test_unknown_failure_keeps_omnictl_text(fake_omnictl: FakeOmnictl, omnictl: Omnictl) -> None:
    with pytest.raises(OmnictlFailed) as info:
        omnictl.run(["frobnicate"])
    assert 'unknown command "frobnicate"' in info.value.message


def test_template_commands_run_in_the_template_directory(
    fake_omnictl: FakeOmnictl, omnictl: Omnictl, tmp_path: Path
) -> None:
    folder = tmp_path / "clusters"
    folder.mkdir()
    template = folder / "talos.yaml"
    template.write_text("kind: Cluster\nname: talos\n---\nkind: ControlPlane\n---\nkind: Workers\n")
    result = omnictl.template_sync(template, dry_run=True)
    assert "* creating (dry run) Clusters.omni.sidero.dev(talos)" in result.stdout
    call = fake_omnictl.calls()[-1]
    assert call["cwd"] == str(folder)
    assert call["argv"] == ["cluster", "template", "sync", "-f", "talos.yaml", "--dry-run"]
    assert omnictl.template_diff(template).stdout == ""


def test_cluster_status_checks_existence_first(fake_omnictl: FakeOmnictl) -> None:
    client = Omnictl.locate(timeout=5)
    with pytest.raises(OmnictlNotFound):
        client.cluster_status("ghost")  # `cluster status ghost --wait 0` would hang
    fake_omnictl.add(cluster_status("talos"), machine_set_status("talos", "talos-control-planes"))
    assert not client.cluster_exists("talos")  # no Clusters resource yet, only its status
    fake_omnictl.add(resource("Clusters.omni.sidero.dev", "talos"))
    assert client.cluster_exists("talos")
    report = client.cluster_status("talos")
    assert report.healthy and 'Cluster "talos" RUNNING Ready' in report.text
    fake_omnictl.add(machine_set_status("talos", "talos-workers", phase=1, ready=False))
    assert not client.cluster_status("talos").healthy


def test_infraprovider_create_returns_the_key_and_never_shows_it(
    fake_omnictl: FakeOmnictl, omnictl: Omnictl
) -> None:
    fake_omnictl.update(infraprovider_key="c2VjcmV0LWtleQ==")
    created = omnictl.infraprovider_create("proxmox")
    assert created.key == "c2VjcmV0LWtleQ=="
    assert created.endpoint == "https://omni.example.com"
    assert "c2VjcmV0" not in repr(created)
    for call in fake_omnictl.calls():
        assert "c2VjcmV0LWtleQ==" not in " ".join(call["argv"])


def test_auth_environment_passes_through(
    fake_omnictl: FakeOmnictl, omnictl: Omnictl, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_omnictl.set_backend(require_env=["OMNI_ENDPOINT", "OMNI_SERVICE_ACCOUNT_KEY"])
    with pytest.raises(EnvironmentProblem):
        omnictl.get("clusters")
    monkeypatch.setenv("OMNI_ENDPOINT", "https://omni.example.com")
    monkeypatch.setenv("OMNI_SERVICE_ACCOUNT_KEY", "a2V5")
    assert omnictl.get("clusters") == []
    call = fake_omnictl.calls()[-1]
    assert call["env"]["OMNI_SERVICE_ACCOUNT_KEY"] is True
    assert "a2V5" not in " ".join(call["argv"])


def test_missing_binary_is_an_environment_problem(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentProblem):
        Omnictl(tmp_path / "nope").version()


@pytest.mark.parametrize(
    "stderr",
    [
        '[WARN] omnictl version "1.10.4" differs from the backend version "1.9.3".',
        '[WARN] omnictl version differs from the backend version: "1.10.4" vs "1.9.3".',
    ],
)
def test_both_known_skew_wordings_are_read(stderr: str) -> None:
    from omni_scale.adapters.omnictl.errors import version_skew

    assert version_skew(stderr) == ("1.10.4", "1.9.3")


def test_source_wording_of_an_api_mismatch_is_an_environment_error() -> None:
    from omni_scale.adapters.omnictl.errors import classify
    from omni_scale.errors import EnvironmentProblem

    stderr = "Error: client API version mismatch: backend API version 3, client API version 2\n"
    error = classify(stderr, ["get", "clusters"])
    assert isinstance(error, EnvironmentProblem)
    assert "API version" in error.message
