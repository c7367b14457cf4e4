from __future__ import annotations

from pathlib import Path

import pytest

from omni_scale.adapters.omnictl.version import (
    OmnictlVersion,
    ServerVersion,
    compare,
    diagnose_stderr,
    parse_version_output,
    query_server_version,
    read_version,
    same_release,
)
from omni_scale.errors import EnvironmentProblem

from .conftest import sysversion


def test_parse_version_output_of_real_omnictl() -> None:
    assert parse_version_output("omnictl version v1.10.4 (API Version: 2)\n") == OmnictlVersion(
        "v1.10.4", 2
    )
    assert parse_version_output("omnictl version v0.30.0") == OmnictlVersion("v0.30.0", None)
    assert parse_version_output("something else") is None


def test_same_release_ignores_v_prefix_and_suffix() -> None:
    assert same_release("v1.10.4", "1.10.4")
    assert same_release("v1.10.4-dirty", "v1.10.4")
    assert not same_release("v1.10.4", "v1.10.3")


def test_api_version_mismatch_is_an_error_with_the_fix() -> None:
    verdict = compare(OmnictlVersion("v1.10.4", 2), ServerVersion("v1.11.0", 3))
    assert verdict.level == "error"
    assert "API version 2" in verdict.message and "API version 3" in verdict.message
    assert verdict.hint is not None
    assert "omni-scale omnictl install --force --from-server" in verdict.hint
    assert "--version v1.11.0" in verdict.hint


def test_minor_difference_is_a_warning_and_same_minor_is_ok() -> None:
    warning = compare(OmnictlVersion("v1.10.4", 2), ServerVersion("1.9.3", 2))
    assert warning.level == "warning"
    assert "v1.9.3" in warning.message
    ok = compare(OmnictlVersion("v1.10.4", 2), ServerVersion("1.10.1", 2))
    assert ok.level == "ok"


@pytest.mark.parametrize(
    "stderr",
    [
        "Error: client API version mismatch: backend API version 3, client API version 2\n",
        "Error: omnictl is too old for this Omni instance, please update omnictl: backend API "
        "version 3, client API version 2\n",
    ],
)
def test_diagnose_both_api_mismatch_wordings(stderr: str) -> None:
    verdict = diagnose_stderr(stderr)
    assert verdict is not None and verdict.level == "error"
    assert "API version 3" in verdict.message
    assert verdict.hint and "--from-server" in verdict.hint


@pytest.mark.parametrize(
    "stderr",
    [
        '[WARN] omnictl version differs from the backend version: "1.10.4" vs "1.9.3".\n',
        '[WARN] omnictl version "1.10.4" differs from the backend version "1.9.3".\n',
    ],
)
def test_diagnose_minor_skew_warning(stderr: str) -> None:
    verdict = diagnose_stderr(stderr)
    assert verdict is not None and verdict.level == "warning"
    assert "v1.9.3" in verdict.message


def test_diagnose_nothing() -> None:
    assert diagnose_stderr("[INFO] maintenance tonight: body\n") is None


def test_read_version_runs_the_binary(fake_omnictl) -> None:  # type: ignore[no-untyped-def]
    fake_omnictl.update(version="v1.9.2", api_version=2)
    assert read_version(fake_omnictl.path) == OmnictlVersion("v1.9.2", 2)


def test_read_version_of_something_else_is_an_environment_problem(tmp_path: Path) -> None:
    script = tmp_path / "omnictl"
    script.write_text("#!/bin/sh\necho hello\n")
    script.chmod(0o755)
    with pytest.raises(EnvironmentProblem, match="not a working omnictl"):
        read_version(script)


def test_query_server_version_through_omnictl(fake_omnictl) -> None:  # type: ignore[no-untyped-def]
    fake_omnictl.add(sysversion("1.10.2", 2))
    server, verdict, why = query_server_version(fake_omnictl.path)
    assert server == ServerVersion("v1.10.2", 2)
    assert verdict is None and why is None
    assert fake_omnictl.calls()[-1]["argv"] == [
        "get", "sysversions", "current", "-n", "ephemeral", "-o", "json",
    ]  # fmt: skip


def test_query_server_version_reports_omnictls_refusal(fake_omnictl) -> None:  # type: ignore[no-untyped-def]
    fake_omnictl.add(sysversion("1.11.0", 3))
    fake_omnictl.set_backend(version="1.11.0", api_version=3)
    server, verdict, _ = query_server_version(fake_omnictl.path)
    assert verdict is not None and verdict.level == "error"
    assert server is not None and server.api == 3


def test_query_server_version_unreachable_is_unknown(fake_omnictl) -> None:  # type: ignore[no-untyped-def]
    fake_omnictl.set_backend(unreachable="refused")
    server, verdict, why = query_server_version(fake_omnictl.path, endpoint="https://omni.test")
    assert server is None and verdict is None
    assert why is not None and "connection refused" in why
    assert fake_omnictl.calls()[-1]["env"]["OMNI_ENDPOINT"] is True
