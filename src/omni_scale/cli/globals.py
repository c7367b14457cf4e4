"""Global options, accepted anywhere on the command line (before or after the command).

click only sees options where they are declared, so `omni-scale lint --json` and
`omni-scale --json lint` are both made to work by lifting the global options out of argv first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from omni_scale.cli.argv import split_globals


@dataclass
class GlobalOptions:
    json: bool = False
    no_color: bool = False
    verbose: bool = False
    project_dir: str | None = None
    rest: list[str] = field(default_factory=list)

    @property
    def color(self) -> bool:
        return not self.no_color and not os.environ.get("NO_COLOR")


def extract(argv: list[str]) -> GlobalOptions:
    """Split global options out of `argv` (up to a `--`); the rest goes to click."""
    found, rest = split_globals(argv)
    opts = GlobalOptions(rest=rest)
    for name, value in found.items():
        setattr(opts, name, value)
    return opts
