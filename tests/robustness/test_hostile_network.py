"""Property: every network operation and download has an overall deadline and a size cap.

Hostile loopback servers (tests/fakes/hostile_server.py): one byte every 0.3 s in the body or
in the headers, an endless body, a 10 GB body, 100,000 nested `[`, an echo of the
Authorization header. The deadline is injected through $OMNI_SCALE_NETWORK_DEADLINE so the
tests take seconds; every command must end with one line, exit 3, within deadline + slack.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_pve import TOKEN_SECRET, write_class, write_config
from fakes.hostile_server import Hostile

DEADLINE = 2.0
SLACK = 8.0  # interpreter start, imports, the plan itself; far below a hang


@pytest.fixture
def hostile() -> Iterator[Any]:
    servers: list[Hostile] = []

    def start(mode: str, **kwargs: Any) -> Hostile:
        server = Hostile(mode, **kwargs).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def short_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMNI_SCALE_NETWORK_DEADLINE", str(DEADLINE))


PROXMOX_COMMANDS = [
    ("proxmox", "check"),
    ("proxmox", "snapshot", "-o", "-"),
    ("check", "--live"),
    ("machineclass", "plan", "--live"),
]


def _project(project: Path, url: str) -> Path:
    write_config(project, url + "/api2/json")
    write_class(project, "w", "cores: 2\nmemory: 4096\ndisk_size: 20\n")
    return project


@pytest.mark.parametrize("mode", ["trickle-body", "trickle-headers", "endless", "huge"])
@pytest.mark.parametrize("args", PROXMOX_COMMANDS, ids=" ".join)
def test_proxmox_commands_end_within_the_deadline(
    project: Path, cli: Any, hostile: Any, short_deadline: None, mode: str, args: tuple[str, ...]
) -> None:
    server = hostile(mode)
    root = _project(project, server.url)
    started = time.monotonic()
    result = cli("--project-dir", root, *args)
    elapsed = time.monotonic() - started
    assert elapsed < DEADLINE + SLACK, f"{mode}: took {elapsed:.1f}s"
    assert result.code == 3, (result.code, result.out, result.err)
    errors = [line for line in result.err.splitlines() if "error:" in line]
    assert len(errors) == 1, result.err
    assert "Traceback" not in result.err
    assert "deadline" in errors[0] or "over" in errors[0], errors[0]


def test_deep_json_from_proxmox_is_one_line(project: Path, cli: Any, hostile: Any) -> None:
    server = hostile("body", body=b"[" * 100_000 + b"]" * 100_000)
    result = cli("--project-dir", _project(project, server.url), "proxmox", "check")
    assert result.code == 3, result.err
    assert "not JSON" in result.err and "Traceback" not in result.err


def test_huge_integer_from_proxmox_is_one_line(project: Path, cli: Any, hostile: Any) -> None:
    server = hostile("body", body=b'{"data": {"version": ' + b"9" * 5000 + b"}}")
    result = cli("--project-dir", _project(project, server.url), "proxmox", "check")
    assert result.code == 3, result.err
    assert "Traceback" not in result.err and "internal error" not in result.err


def test_echoed_authorization_never_reaches_output(project: Path, cli: Any, hostile: Any) -> None:
    server = hostile("echo-auth")
    root = _project(project, server.url)
    for args in (("proxmox", "check"), ("--json", "proxmox", "check"), ("-v", "proxmox", "check")):
        result = cli("--project-dir", root, *args)
        assert result.code == 3, result.err
        text = result.out + result.err
        assert server.requests, "the client never asked"
        for form in (TOKEN_SECRET, TOKEN_SECRET.upper(), TOKEN_SECRET.swapcase()):
            assert form.lower() not in text.lower(), f"{args}: a form of the secret leaked"


def test_escape_sequences_in_proxmox_names_never_reach_the_terminal(
    project: Path, cli: Any, hostile: Any
) -> None:
    evil = "pve\x1b]0;owned\x07\x1b[2J\x9b31m\u202eevil"
    nodes = json.dumps({"data": [{"node": evil, "status": "online"}]}).encode()
    server = hostile(
        "body",
        body=b'{"data": {"version": "8.4.1", "release": "8.4"}}',
        routes={"/nodes": nodes},
    )
    root = _project(project, server.url)
    result = cli("--project-dir", root, "proxmox", "snapshot", "-o", "-")
    human = cli("--project-dir", root, "proxmox", "check")
    for text in (result.out, result.err, human.out, human.err):
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
        assert "\u202e" not in text


def test_non_ascii_token_secret_is_one_line(project: Path, cli: Any, hostile: Any) -> None:
    server = hostile("body", body=b'{"data": {}}')
    write_config(project, server.url + "/api2/json", tokenSecret="s\u00e9cret-\u2603-x")
    result = cli("--project-dir", project, "proxmox", "check")
    assert result.code == 2, result.err
    assert "HTTP header" in result.err and "Traceback" not in result.err
    assert not server.requests


@pytest.mark.parametrize("mode", ["trickle-body", "trickle-headers", "endless", "huge"])
def test_download_has_a_deadline_and_a_cap(
    tmp_path: Path, hostile: Any, short_deadline: None, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from omni_scale.adapters.omnictl import download
    from omni_scale.errors import EnvironmentProblem

    monkeypatch.setattr(download, "MAX_BINARY_BYTES", 8 << 20)  # a cap the test reaches fast
    server = hostile(mode)
    client = download.make_client(timeout=30)
    for fetch in ("binary", "text"):
        started = time.monotonic()
        with pytest.raises(EnvironmentProblem) as caught:
            if fetch == "binary":
                download.download_to_temp(
                    client, server.url + "/omnictl", tmp_path, show_progress=False, label="x"
                )
            else:
                download.fetch_text(client, server.url + "/sha256sum.txt")
        assert time.monotonic() - started < DEADLINE + SLACK
        line = caught.value.one_line()
        assert "deadline" in line or "more than" in line or "larger than" in line, line
    assert list(tmp_path.iterdir()) == [], "the partial download must be deleted"


def test_safe_console_drops_links_and_escapes(capsys: pytest.CaptureFixture[str]) -> None:
    from omni_scale.cli.terminal import SafeConsole

    console = SafeConsole(color_system="truecolor", force_terminal=True, highlight=False)
    console.print("[link=https://evil.example]pve1[/link] \x1b]52;c;AAAA\x07 [bold]ok[/bold]")
    out = capsys.readouterr().out
    assert "\x1b]8;" not in out and "evil.example" not in out  # no OSC 8 hyperlink
    assert "\x1b]52" not in out and "\\x1b]52" in out  # the peer's escape is shown, not run
    assert "\x1b[1m" in out  # rich's own styling still works
