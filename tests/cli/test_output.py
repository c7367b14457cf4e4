"""Plain output without click or rich: styles as click writes them, escapes, JSON documents."""

from __future__ import annotations

import io
import json
import os
import sys

import click
import pytest

from omni_scale.cli import output
from omni_scale.redact import forget_secrets, register_secret


@pytest.mark.parametrize("fg", [None, "red", "green", "yellow", "bright_black", "cyan"])
@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("dim", [False, True])
def test_style_writes_the_codes_click_writes(fg: str | None, bold: bool, dim: bool) -> None:
    expected = click.style("text", fg=fg, bold=bold or None, dim=dim or None)
    assert output.style("text", fg=fg, bold=bold, dim=dim) == expected


def _echo_to(stream: io.TextIOBase, monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> None:
    monkeypatch.setattr(sys, "stdout", stream)
    output.echo("✓ valid \x1b[2J selector", **kwargs)  # type: ignore[arg-type]


def test_a_pipe_gets_no_styles_and_no_escape_sequence(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    _echo_to(stream, monkeypatch, color=True, fg="green", bold=True)
    assert stream.getvalue() == "✓ valid \\x1b[2J selector\n"


def test_a_terminal_gets_the_styles_but_never_the_texts_escapes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a real pseudo-terminal: styled when colours are on, plain with --no-color."""
    for color, prefix in ((True, "\x1b[32m\x1b[1m"), (False, "")):
        leader, follower = os.openpty()
        try:
            with open(follower, "w", encoding="utf-8", closefd=False) as tty:
                _echo_to(tty, monkeypatch, color=color, fg="green", bold=True)
            written = os.read(leader, 4096).decode().replace("\r\n", "\n")
        finally:
            os.close(leader)
            os.close(follower)
        reset = "\x1b[0m" if color else ""
        assert written == f"{prefix}✓ valid \\x1b[2J selector{reset}\n"


def test_print_json_redacts_counts_and_escapes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "5e1f0a7c-9d7b-4d7e-8c41-7f0b9a2f1c33"
    register_secret(secret)
    try:
        output.reset_json_count()
        output.print_json({"token": secret, "name": "a\u202eb\x85"})
        assert output.json_documents_printed() == 1
    finally:
        forget_secrets()
    text = capsys.readouterr().out
    assert secret not in text
    assert "\u202e" not in text and "\\u202e" in text and "\\u0085" in text
    assert json.loads(text)["name"] == "a\u202eb\x85"
