from __future__ import annotations

import pytest

from omni_scale.adapters.omnictl.platform import Platform, detect_platform
from omni_scale.errors import EnvironmentProblem


@pytest.mark.parametrize(
    ("system", "machine", "asset", "binary"),
    [
        ("Linux", "x86_64", "omnictl-linux-amd64", "omnictl"),
        ("Linux", "aarch64", "omnictl-linux-arm64", "omnictl"),
        ("Darwin", "arm64", "omnictl-darwin-arm64", "omnictl"),
        ("Darwin", "x86_64", "omnictl-darwin-amd64", "omnictl"),
        ("Windows", "AMD64", "omnictl-windows-amd64.exe", "omnictl.exe"),
    ],
)
def test_supported_platforms_map_to_release_assets(
    system: str, machine: str, asset: str, binary: str
) -> None:
    plat = detect_platform(system, machine)
    assert plat.asset == asset
    assert plat.binary_name == binary


@pytest.mark.parametrize(
    ("system", "machine"),
    [("Linux", "armv7l"), ("Windows", "ARM64"), ("FreeBSD", "amd64"), ("Linux", "riscv64")],
)
def test_unsupported_platform_is_a_clear_environment_error(system: str, machine: str) -> None:
    with pytest.raises(EnvironmentProblem) as caught:
        detect_platform(system, machine)
    text = caught.value.one_line()
    assert "publishes no omnictl for" in text
    assert "linux-amd64" in text  # lists what exists
    assert "omnictl_path" in text  # says how to use a self-built one
    assert caught.value.exit_code == 3


def test_this_machine_is_detected() -> None:
    assert isinstance(detect_platform(), Platform)
