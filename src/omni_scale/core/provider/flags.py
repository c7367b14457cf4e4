"""The Proxmox provider's command-line flags per release, and what cobra does with others (pure).

The provider is a cobra root command (`cmd/omni-infra-provider-proxmox/main.go` of
siderolabs/omni-infra-provider-proxmox, `SilenceUsage: true`, cobra v1.10): it defines the flags
below and no shorthands; cobra adds `--help`/`-h`. Any other flag stops it before it starts with
`Error: unknown flag: --x` (`Error: unknown shorthand flag: 'x' in -x` for a single dash), exit 1,
and Docker restarts it in a loop. The flag set is the same from 0d9fd58 (2026-02-13) to v0.3.0
(facts: provider.md §1–2; the releases' changelog adds no flag).
"""

from __future__ import annotations

from dataclasses import dataclass

# flag -> (takes a value, first release that has it)
FLAGS: dict[str, tuple[bool, str]] = {
    "config-file": (True, "0d9fd58"),
    "omni-api-endpoint": (True, "0d9fd58"),
    "omni-service-account-key": (True, "0d9fd58"),
    "id": (True, "0d9fd58"),
    "provider-name": (True, "0d9fd58"),
    "provider-description": (True, "0d9fd58"),
    "insecure-skip-verify": (False, "0d9fd58"),
}
NEWEST_KNOWN = "v0.3.0"
HELP = ("help", "h")


@dataclass(frozen=True)
class FlagProblem:
    index: int  # position in the command list
    flag: str  # as written, e.g. "--dry-run"
    cobra: str  # what cobra prints, e.g. "unknown flag: --dry-run"
    kind: str  # "unknown" | "help"


def flag_problems(args: list[str]) -> list[FlagProblem]:
    """Flags of `args` (the container's command) the upstream provider does not define."""
    found: list[FlagProblem] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            break  # the rest are arguments, not flags
        if arg.startswith("--") and len(arg) > 2:
            name, has_value, _ = arg[2:].partition("=")
            if name in FLAGS:
                takes_value = FLAGS[name][0]
                if takes_value and not has_value:
                    index += 1  # `--id proxmox`: the next word is the value
            elif name == "help":
                found.append(FlagProblem(index, arg, "help requested", "help"))
            else:
                found.append(FlagProblem(index, arg, f"unknown flag: --{name}", "unknown"))
        elif arg.startswith("-") and len(arg) > 1:
            letter = arg[1]
            if letter == "h":
                found.append(FlagProblem(index, arg, "help requested", "help"))
            else:
                found.append(
                    FlagProblem(
                        index, arg, f"unknown shorthand flag: '{letter}' in {arg}", "unknown"
                    )
                )
        index += 1
    return found
