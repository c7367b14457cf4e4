"""settings.md documents every key of the state file with its real default."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from omni_scale.state import KNOWN_KEYS

from .conftest import REPO

SETTINGS = REPO / "settings.md"


def table_rows() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for line in SETTINGS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `([a-z_]+)` \|(.*)\|$", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in match.group(2).split("|")]
    return rows


def test_every_known_key_is_documented_and_nothing_else() -> None:
    assert set(table_rows()) == set(KNOWN_KEYS)


def test_types_and_defaults_match_the_code() -> None:
    names = {bool: "bool", int: "int", str: "string", dict: "mapping"}
    for key, (type_cell, default_cell, meaning) in table_rows().items():
        spec = KNOWN_KEYS[key]
        assert type_cell == names[spec.types[0]], key
        expected = "none" if spec.default is None else f"`{json.dumps(spec.default)}`"
        if isinstance(spec.default, str):
            expected = f"`{spec.default}`"
        assert default_cell == expected, key
        assert len(meaning) > 20, key


def test_names_the_file_and_how_to_edit_it() -> None:
    text = SETTINGS.read_text(encoding="utf-8")
    assert ".claude/omni-scale.local.md" in text
    assert "omni-scale state set" in text
    assert "provider setup" in text


def test_example_state_file_gives_the_documented_summary(project: Path) -> None:
    """The example in settings.md is a valid state file and the hook says what the page shows."""
    from omni_scale.state import now_iso, read_state

    text = SETTINGS.read_text(encoding="utf-8")
    example = re.search(r"```markdown\n(.*?)```", text, re.S)
    assert example
    state = project / ".claude" / "omni-scale.local.md"
    state.parent.mkdir()
    now = now_iso()
    state.write_text(
        re.sub(r"checked_at: '[^']+'", f"checked_at: '{now}'", example.group(1)),
        encoding="utf-8",
    )
    values = read_state(state)
    assert set(values) == set(KNOWN_KEYS)
    (project / "machine-classes").mkdir()
    (project / "machine-classes" / "worker.yaml").write_text("{}\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(REPO / "hooks" / "session_start.py")],
        env={**os.environ, "CLAUDE_PROJECT_DIR": str(project)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=10,
    )
    context = json.loads(proc.stdout)["hookSpecificOutput"]["additionalContext"]
    quoted = " ".join(
        line.removeprefix("> ") for line in text.splitlines() if line.startswith("> ")
    )
    documented = re.sub(r"checked \S+ \(\d+ h ago\)", f"checked {now} (just now)", quoted)
    assert context == documented
