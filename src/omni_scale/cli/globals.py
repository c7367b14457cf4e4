"""Global options, accepted anywhere on the command line (before or after the command).

click only sees options where they are declared, so `omni-scale lint --json` and
`omni-scale --json lint` are both made to work by lifting the global options out of argv first.
"""

from __future__ import annotations

import os

FLAGS = {"--json": "json", "--no-color": "no_color", "--verbose": "verbose", "-v": "verbose"}
VALUED = {"--project-dir": "project_dir"}


class GlobalOptions:
    """The global options of one run. A plain class, not a dataclass: this module is read
    before every command, and `import dataclasses` (it imports inspect) costs about twice
    a bare interpreter's start (bench/startup.py)."""

    __slots__ = ("json", "no_color", "project_dir", "rest", "verbose")

    def __init__(
        self,
        json: bool = False,
        no_color: bool = False,
        verbose: bool = False,
        project_dir: str | None = None,
        rest: list[str] | None = None,
    ) -> None:
        self.json = json
        self.no_color = no_color
        self.verbose = verbose
        self.project_dir = project_dir
        self.rest: list[str] = [] if rest is None else rest

    def _fields(self) -> tuple[object, ...]:
        return (self.json, self.no_color, self.verbose, self.project_dir, self.rest)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GlobalOptions) and self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass would be

    def __repr__(self) -> str:
        names = ", ".join(f"{n}={v!r}" for n, v in zip(self.__slots__, self._fields(), strict=True))
        return f"GlobalOptions({names})"

    @property
    def color(self) -> bool:
        return not self.no_color and not os.environ.get("NO_COLOR")


def extract(argv: list[str]) -> GlobalOptions:
    """Split global options out of `argv` (up to a `--`); the rest goes to click."""
    opts = GlobalOptions()
    rest: list[str] = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--":
            rest.extend(argv[index:])
            break
        if arg in FLAGS:
            setattr(opts, FLAGS[arg], True)
        elif arg in VALUED and index + 1 < len(argv):
            setattr(opts, VALUED[arg], argv[index + 1])
            index += 1
        elif "=" in arg and arg.split("=", 1)[0] in VALUED:
            name, value = arg.split("=", 1)
            setattr(opts, VALUED[name], value)
        else:
            rest.append(arg)
        index += 1
    opts.rest = rest
    return opts
