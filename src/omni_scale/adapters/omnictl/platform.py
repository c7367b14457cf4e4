"""Which omnictl release asset fits this machine (siderolabs/omni v1.10.4).

Sidero publishes raw executables named `omnictl-<os>-<arch>` for linux/darwin x amd64/arm64
and `omnictl-windows-amd64.exe`; nothing else (no armv7, no windows-arm64).
"""

from __future__ import annotations

import platform as _platform
from dataclasses import dataclass

from omni_scale.errors import EnvironmentProblem

SUPPORTED: frozenset[tuple[str, str]] = frozenset(
    {
        ("linux", "amd64"),
        ("linux", "arm64"),
        ("darwin", "amd64"),
        ("darwin", "arm64"),
        ("windows", "amd64"),
    }
)

_OS_NAMES = {"linux": "linux", "darwin": "darwin", "windows": "windows"}
_ARCH_NAMES = {
    "x86_64": "amd64",
    "amd64": "amd64",
    "x64": "amd64",
    "aarch64": "arm64",
    "arm64": "arm64",
    "armv8": "arm64",
    "armv8l": "arm64",
}


@dataclass(frozen=True)
class Platform:
    os: str  # linux, darwin, windows
    arch: str  # amd64, arm64

    @property
    def asset(self) -> str:
        """The release asset name, e.g. `omnictl-linux-amd64`, `omnictl-windows-amd64.exe`."""
        suffix = ".exe" if self.os == "windows" else ""
        return f"omnictl-{self.os}-{self.arch}{suffix}"

    @property
    def binary_name(self) -> str:
        """The installed file name: `omnictl` (`omnictl.exe` on Windows)."""
        return "omnictl.exe" if self.os == "windows" else "omnictl"

    def __str__(self) -> str:
        return f"{self.os}-{self.arch}"


def detect_platform(system: str | None = None, machine: str | None = None) -> Platform:
    """This machine's platform (or the one named), refused when Sidero ships no omnictl for it."""
    raw_os = (system if system is not None else _platform.system()).strip().lower()
    raw_arch = (machine if machine is not None else _platform.machine()).strip().lower()
    os_name = _OS_NAMES.get(raw_os, raw_os)
    arch = _ARCH_NAMES.get(raw_arch, raw_arch)
    if (os_name, arch) not in SUPPORTED:
        shipped = ", ".join(sorted(f"{o}-{a}" for o, a in SUPPORTED))
        raise EnvironmentProblem(
            f"Sidero publishes no omnictl for {os_name}-{arch} (this machine: "
            f"{raw_os} {raw_arch}); release assets exist for {shipped}",
            hint="install omnictl yourself (e.g. build it from source) and record it with: "
            "omni-scale state set omnictl_path=/path/to/omnictl",
        )
    return Platform(os_name, arch)
