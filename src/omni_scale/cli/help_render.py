"""Render every `omni-scale ... --help` page through click into help_pages.py.

    uv run python -m omni_scale.cli.help_render --write   # after a command's help changed
    uv run python -m omni_scale.cli.help_render --check   # exit 1 when help_pages.py is stale

Each page is what the click CLI of main.py prints for `omni-scale PATH --help`, at the
formatter widths of an 80-column terminal (also what a pipe gets) and of one 100 columns or
wider; help_page.py serves them without importing click.
"""

from __future__ import annotations

import argparse
import contextlib
import io
from pathlib import Path

import click

from omni_scale.cli.help_page import MAX_CONTENT_WIDTH, help_width
from omni_scale.cli.main import _build_cli

COLUMNS = (80, MAX_CONTENT_WIDTH)
WIDTHS = tuple(help_width(columns) for columns in COLUMNS)
GENERATED = Path(__file__).with_name("help_pages.py")
COMMAND = "uv run python -m omni_scale.cli.help_render --write"

HEADER = f'''"""Every `omni-scale ... --help` page, as click prints it (see help_page.py).

Keys: (command path, formatter width). Widths {" and ".join(map(str, WIDTHS))}: what click formats
to at 80 columns (also when piped) and at {MAX_CONTENT_WIDTH} columns or more.
Generated: do not edit. After a change to a command's help, run

    {COMMAND}
"""

'''


def command_paths() -> list[tuple[str, ...]]:
    """Every command and group of the CLI, the root `()` first, as click resolves them."""
    cli = _build_cli()
    paths: list[tuple[str, ...]] = []

    def walk(command: click.Command, path: tuple[str, ...], ctx: click.Context) -> None:
        paths.append(path)
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    walk(sub, (*path, name), click.Context(sub, info_name=name, parent=ctx))

    walk(cli, (), click.Context(cli, info_name="omni-scale"))
    return paths


def render(path: tuple[str, ...], width: int, option: str = "--help") -> str:
    """What `omni-scale *PATH OPTION` prints on stdout through click at this help width."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = _build_cli().main(
            [*path, option], prog_name="omni-scale", standalone_mode=False, terminal_width=width
        )
    if code != 0:
        raise RuntimeError(f"omni-scale {' '.join(path)} {option} exited {code}")
    return out.getvalue()


def pages() -> dict[tuple[tuple[str, ...], int], str]:
    return {(path, width): render(path, width) for path in command_paths() for width in WIDTHS}


def source() -> str:
    """The text of help_pages.py for the CLI as it is now."""
    lines = [HEADER, "PAGES: dict[tuple[tuple[str, ...], int], str] = {\n"]
    lines += [f"    ({path!r}, {width}): {page!r},\n" for (path, width), page in pages().items()]
    lines.append("}\n")
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help=f"rewrite {GENERATED.name}")
    action.add_argument("--check", action="store_true", help=f"exit 1 if {GENERATED.name} is stale")
    args = parser.parse_args(argv)
    wanted = source()
    current = GENERATED.read_text(encoding="utf-8") if GENERATED.exists() else ""
    if args.write:
        if current != wanted:
            GENERATED.write_text(wanted, encoding="utf-8")
        print(f"{GENERATED.name}: {'unchanged' if current == wanted else 'written'}")
        return 0
    if current != wanted:
        print(f"{GENERATED.name} is stale: {COMMAND}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
