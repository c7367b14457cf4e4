"""The global options lifted out of argv, with nothing imported.

globals.py builds its GlobalOptions from this; the `--help` fast path (help_page.py) uses it
before anything else is loaded, so it stays free of dataclasses and typing (each costs a
sizeable part of a bare interpreter's start; see bench/startup.py).
"""

from __future__ import annotations

FLAGS = {"--json": "json", "--no-color": "no_color", "--verbose": "verbose", "-v": "verbose"}
VALUED = {"--project-dir": "project_dir"}


def split_globals(argv: list[str]) -> tuple[dict[str, str | bool], list[str]]:
    """({option attribute: value}, the rest for click): the global options wherever they are,
    up to a `--`; a `--project-dir` without its value stays in the rest (click reports it)."""
    found: dict[str, str | bool] = {}
    rest: list[str] = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--":
            rest.extend(argv[index:])
            break
        if arg in FLAGS:
            found[FLAGS[arg]] = True
        elif arg in VALUED and index + 1 < len(argv):
            found[VALUED[arg]] = argv[index + 1]
            index += 1
        elif "=" in arg and arg.split("=", 1)[0] in VALUED:
            name, value = arg.split("=", 1)
            found[VALUED[name]] = value
        else:
            rest.append(arg)
        index += 1
    return found, rest
