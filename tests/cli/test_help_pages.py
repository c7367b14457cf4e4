"""`--help` without click: the pre-rendered pages are click's, byte for byte, and are used only
where click would print exactly them (help_page.py, help_render.py, help_pages.py)."""

from __future__ import annotations

import ast
import fcntl
import io
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from omni_scale.cli import help_pages
from omni_scale.cli.commands import completion
from omni_scale.cli.help_page import (
    COMPLETE_VAR,
    MAX_CONTENT_WIDTH,
    help_page,
    help_width,
    terminal_columns,
)
from omni_scale.cli.help_pages import PAGES
from omni_scale.cli.help_render import COMMAND, WIDTHS, command_paths, render, source
from omni_scale.cli.main import _build_cli

PATHS = command_paths()
HEAVY = ("click", "dataclasses", "typing", "rich")

# Run main() in a fresh interpreter: stdout is what the user sees; stderr gets the exit code and
# which of the costly modules were imported.
FAST = (
    "import sys\n"
    "from omni_scale.cli.main import main\n"
    "code = main(sys.argv[1:])\n"
    "sys.stdout.flush()\n"
    f"sys.stderr.write(repr((code, sorted(m for m in {HEAVY!r} if m in sys.modules))))\n"
)
# The same argv the way main() runs it without the help pages (to click).
CLICK = (
    "import sys\n"
    "from omni_scale.cli.globals import extract\n"
    "from omni_scale.cli.main import _run\n"
    "code = _run(extract(sys.argv[1:]))\n"
    "sys.stdout.flush()\n"
    "sys.stderr.write(repr((code, [])))\n"
)


def _python(script: str, argv: list[str], columns: str | None) -> tuple[str, int, list[str], str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    proc = subprocess.run(
        [sys.executable, "-c", script, *argv],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    tail = proc.stderr.rsplit("\n", 1)[-1]
    code, modules = ast.literal_eval(tail)  # written by FAST / CLICK above
    return proc.stdout, code, modules, proc.stderr[: -len(tail)]


def test_the_stored_pages_are_clicks_rendering() -> None:
    """Drift: a command whose help changed fails here until the pages are regenerated."""
    current = Path(help_pages.__file__).read_text(encoding="utf-8")
    assert current == source(), f"a command's help changed: {COMMAND}"


def test_every_command_path_has_a_page_at_every_width() -> None:
    assert ("cluster", "template", "sync") in PATHS and ("lint",) in PATHS and () in PATHS
    assert len(PATHS) > 40
    for width in WIDTHS:
        stored = {path for path, at in PAGES if at == width}
        assert stored == set(PATHS), f"missing or stale command paths ({width}): {COMMAND}"
    assert {at for _, at in PAGES} == set(WIDTHS)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "omni-scale")
def test_short_and_long_help_option_print_the_stored_page(path: tuple[str, ...]) -> None:
    """`-h` is a help option on every command too (no command took it for something else)."""
    for width in WIDTHS:
        assert render(path, width, "-h") == PAGES[(path, width)]
        assert render(path, width, "--help") == PAGES[(path, width)]


def test_widths_are_those_of_80_and_100_columns() -> None:
    assert _build_cli().context_settings["max_content_width"] == MAX_CONTENT_WIDTH == 100
    assert WIDTHS == (78, 98)
    assert [help_width(c) for c in (40, 52, 53, 60, 80, 99, 100, 120, 500)] == [
        50,
        50,
        51,
        58,
        78,
        97,
        98,
        98,
        98,
    ]


@pytest.mark.parametrize("columns", ["80", "120", "1", "abc", "0", "-5", "", None])
def test_terminal_columns_agrees_with_shutil(
    monkeypatch: pytest.MonkeyPatch, columns: str | None
) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert terminal_columns() == shutil.get_terminal_size().columns


@pytest.mark.parametrize("size", [(130, 40), (90, 30), (0, 0)])
def test_terminal_columns_reads_the_terminal_like_shutil(size: tuple[int, int]) -> None:
    """On a real terminal (a pty of the given size) without COLUMNS, as click asks shutil."""
    leader, follower = pty.openpty()
    try:
        columns, rows = size
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                "import shutil, sys\n"
                "from omni_scale.cli.help_page import terminal_columns\n"
                "sys.stderr.write(f'{terminal_columns()} {shutil.get_terminal_size().columns}')",
            ],
            stdout=follower,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        os.close(follower)
        os.close(leader)
    ours, theirs = proc.stderr.split()
    assert ours == theirs == str(columns or 80)


@pytest.mark.parametrize("columns", ["80", "120", None])
@pytest.mark.parametrize("argv", [["--help"], ["lint", "--help"]], ids=" ".join)
def test_help_as_a_process_prints_the_page_without_click(
    argv: list[str], columns: str | None
) -> None:
    """COLUMNS 80, 120, or unset with stdout piped (click then assumes 80 columns)."""
    out, code, modules, err = _python(FAST, argv, columns)
    width = help_width(int(columns or 80))
    assert (code, modules, err) == (0, [], "")
    assert out == PAGES[(tuple(argv[:-1]), width)]
    assert out.startswith(f"Usage: omni-scale {' '.join(argv[:-1])}".rstrip() + " [OPTIONS]")
    assert (out, code) == _python(CLICK, argv, columns)[:2]


@pytest.mark.parametrize("columns", ["60", "99", "30"])
def test_other_widths_go_through_click(columns: str) -> None:
    for argv in (["--help"], ["lint", "--help"], ["machineclass", "plan", "-h"]):
        out, code, modules, _ = _python(FAST, argv, columns)
        assert "click" in modules
        assert code == 0
        assert out == render(tuple(argv[:-1]), help_width(int(columns)))


@pytest.mark.parametrize(
    "argv",
    [
        ["--json", "lint", "--help"],
        ["lint", "--help", "--json"],
        ["lint", "-h"],
        ["-h"],
        ["--project-dir", "missing-folder", "--help"],
        ["--project-dir=missing-folder", "machineclass", "plan", "--help"],
        ["-v", "--no-color", "cluster", "template", "sync", "-h"],
        ["machineclass", "--verbose", "-h"],
    ],
    ids=" ".join,
)
def test_global_options_around_help_keep_clicks_output(argv: list[str]) -> None:
    out, code, modules, err = _python(FAST, argv, "80")
    assert (code, modules, err) == (0, [], "")
    assert (out, code) == _python(CLICK, argv, "80")[:2]


@pytest.mark.parametrize(
    "argv",
    [
        ["lint", "--help", "extra"],
        ["frobnicate", "--help"],
        ["lint", "--", "--help"],
        ["--help", "--help"],
        ["lint", "--help", "--project-dir"],
        ["machineclass plan", "--help"],
        ["state", "--help", "show"],
        [],
    ],
    ids=repr,
)
def test_anything_else_is_left_to_click(argv: list[str]) -> None:
    """Not a help shape: main() prints what the path without the help pages prints."""
    assert help_page(argv) is None
    out, code, _, err = _python(FAST, argv, "80")
    clicked_out, clicked_code, _, clicked_err = _python(CLICK, argv, "80")
    assert (out, code, err) == (clicked_out, clicked_code, clicked_err)


def test_in_process_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert help_page(["state", "set", "--help"]) == PAGES[(("state", "set"), 78)]
    assert help_page(["--json", "state", "-h", "-v"]) == PAGES[(("state",), 78)]
    monkeypatch.setenv("COLUMNS", "150")
    assert help_page(["-h"]) == PAGES[((), 98)]
    monkeypatch.setenv("COLUMNS", "79")
    assert help_page(["-h"]) is None


def test_a_page_that_is_not_ascii_is_left_to_click_on_a_stream_that_is_not_utf8(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """click picks its own encoding for such a stream: the fast path does not guess."""
    monkeypatch.setenv("COLUMNS", "80")
    page = "Usage: omni-scale lint [OPTIONS]\n\n  Lint \N{MULTIPLICATION SIGN} 2\n"
    monkeypatch.setitem(PAGES, (("lint",), 78), page)
    for encoding, expected in (("utf-8", page), ("UTF8", page), ("ascii", None)):
        stream = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
        monkeypatch.setattr(sys, "stdout", stream)
        assert help_page(["lint", "--help"]) == expected


def test_a_shell_completion_request_is_left_to_click() -> None:
    """With the completion variable set click prints completions, not help, whatever argv is."""
    assert COMPLETE_VAR == completion.COMPLETE_VAR
    proc = subprocess.run(
        [sys.executable, "-m", "omni_scale", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80", COMPLETE_VAR: "bash_source"},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("_omni_scale_completion() {")
    assert "Usage:" not in proc.stdout


def test_a_reader_gone_is_quiet() -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "omni_scale", "lint", "--help"],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "COLUMNS": "80"},
            timeout=60,
        )
    finally:
        os.close(write)
    assert (proc.returncode, proc.stderr) == (1, "")
