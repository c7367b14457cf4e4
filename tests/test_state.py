"""The state file: defaults when missing, round-trip updates, clear errors when broken."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omni_scale.errors import InputError
from omni_scale.state import (
    DEFAULT_BODY,
    KNOWN_KEYS,
    defaults,
    now_iso,
    parse_scalar,
    parse_value,
    read_state,
    record_summary,
    update_state,
)

ISSUE_KEYS = (
    "provider_configured",
    "provider_id",
    "omni_endpoint",
    "proxmox_endpoint",
    "storage_selector",
    "default_cores",
    "default_memory",
    "default_disk",
    "omnictl_path",
    "last_status",
)

HAND_WRITTEN = """---
# settings for the lab (my comment)
provider_id: proxmox   # the compose --id
default_cores: 2
omni_endpoint: https://omni.example.invalid
---

# My notes

- remember to rotate the token
"""


@pytest.fixture
def state_path(tmp_path: Path) -> Path:
    return tmp_path / ".claude" / "omni-scale.local.md"


def test_known_keys_cover_the_issue() -> None:
    for key in ISSUE_KEYS:
        assert key in KNOWN_KEYS


def test_missing_file_means_defaults(state_path: Path) -> None:
    assert read_state(state_path) == defaults()
    assert not state_path.exists()


def test_empty_file_means_defaults(state_path: Path) -> None:
    state_path.parent.mkdir()
    state_path.write_text("\n")
    assert read_state(state_path) == defaults()


def test_first_update_creates_file_with_body_and_0600(state_path: Path) -> None:
    values = update_state(state_path, {"default_cores": 4})
    assert values["default_cores"] == 4
    text = state_path.read_text()
    assert text.startswith("---\ndefault_cores: 4\n---\n")
    assert text.endswith(DEFAULT_BODY)
    assert stat.S_IMODE(state_path.stat().st_mode) == 0o600


def test_update_keeps_body_comments_and_order(state_path: Path) -> None:
    state_path.parent.mkdir()
    state_path.write_text(HAND_WRITTEN)
    update_state(state_path, {"default_cores": 4, "default_memory": 8192})
    text = state_path.read_text()
    assert text == HAND_WRITTEN.replace("default_cores: 2", "default_cores: 4").replace(
        "omni_endpoint: https://omni.example.invalid\n",
        "omni_endpoint: https://omni.example.invalid\ndefault_memory: 8192\n",
    )
    assert read_state(state_path)["default_memory"] == 8192


def test_read_plain_values(state_path: Path) -> None:
    update_state(state_path, {"last_status": {"connected": True, "checked_at": "x"}})
    values = read_state(state_path)
    assert values["last_status"] == {"connected": True, "checked_at": "x"}
    assert type(values["last_status"]) is dict


def test_record_summary_stamps_time(state_path: Path) -> None:
    values = record_summary(state_path, "last_status", {"healthy": False})
    stamp = values["last_status"]["checked_at"]
    assert stamp.endswith("Z")
    assert len(stamp) == len(now_iso())


def test_unknown_key_needs_allow_unknown(state_path: Path) -> None:
    with pytest.raises(InputError, match="unknown state key 'nope'"):
        update_state(state_path, {"nope": 1})
    assert not state_path.exists()
    assert update_state(state_path, {"nope": 1}, allow_unknown=True)["nope"] == 1
    with pytest.raises(InputError, match="simple name"):
        update_state(state_path, {"Bad Key": 1}, allow_unknown=True)


@pytest.mark.parametrize("key", ["token_secret", "omni_api_key", "proxmox_password"])
def test_secret_looking_keys_are_refused_even_with_force(state_path: Path, key: str) -> None:
    with pytest.raises(InputError, match="looks like a secret"):
        update_state(state_path, {key: "s3cr3t"}, allow_unknown=True)
    assert not state_path.exists()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("default_cores", "four", "must be int"),
        ("default_cores", True, "must be int"),
        ("default_memory", 512, "at least 2048"),
        ("provider_configured", "yes", "must be bool"),
        ("provider_id", 5, "must be str"),
    ],
)
def test_update_rejects_wrong_types(
    state_path: Path, key: str, value: object, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        update_state(state_path, {key: value})


def test_none_unsets(state_path: Path) -> None:
    update_state(state_path, {"omni_endpoint": "https://o"})
    assert update_state(state_path, {"omni_endpoint": None})["omni_endpoint"] is None


BROKEN = [
    ("---\nprovider_id: [unclosed\n---\nbody\n", "invalid YAML", 3),
    ("---\nprovider_id: proxmox\ndefault_cores: many\n---\n", "must be int", 3),
    ("---\nprovider_id: proxmox\n\nbody without end\n", "not closed", 4),
    ("provider_id: proxmox\n", "does not start", 1),
    ("---\n- a\n- b\n---\n", "must be a mapping", 2),
    ("---\na: 1\na: 2\n---\n", "duplicate", 3),
]


@pytest.mark.parametrize(("text", "message", "line"), BROKEN)
def test_broken_file_is_an_error_with_line_and_never_rewritten(
    state_path: Path, text: str, message: str, line: int
) -> None:
    state_path.parent.mkdir()
    state_path.write_text(text)
    with pytest.raises(InputError, match=message) as info:
        read_state(state_path)
    assert info.value.line == line
    assert info.value.path == str(state_path)
    with pytest.raises(InputError):
        update_state(state_path, {"default_cores": 3})
    assert state_path.read_text() == text


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("true", True),
        ("4", 4),
        ('"a b"', "a b"),
        ("x", "x"),
        ("", None),
        ("2026-01-01", "2026-01-01"),
    ],
)
def test_parse_scalar(raw: str, value: object) -> None:
    assert parse_scalar(raw) == value


def test_parse_scalar_refuses_structures() -> None:
    with pytest.raises(InputError, match="not a scalar"):
        parse_scalar("{a: 1}")


@pytest.mark.parametrize(
    ("key", "raw", "value"),
    [
        ("provider_id", "123", "123"),
        ("provider_id", '"quoted"', "quoted"),
        ("storage_selector", 'name == "local-lvm"', 'name == "local-lvm"'),
        ("storage_selector", "a: b", "a: b"),
        ("omni_endpoint", "", None),
        ("omni_endpoint", "null", None),
        ("default_cores", "4", 4),
        ("provider_configured", "false", False),
    ],
)
def test_parse_value_by_key_type(key: str, raw: str, value: object) -> None:
    assert parse_value(key, raw) == value


# Property: whatever is in the file, reading it gives the state or one InputError, never a
# crash; and a failed update never changes the file.
TOKENS = [*"-:#&*![]{}|>'\"\n\t ab1_?%@`,.", "---\n", "\ufeff", "default_cores: ", "true"]
YAMLISH = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(front=YAMLISH, body=st.text(max_size=40))
def test_any_text_reads_or_fails_cleanly(tmp_path: Path, front: str, body: str) -> None:
    path = tmp_path / "state.md"
    text = f"---\n{front}\n---\n{body}"
    path.write_text(text, encoding="utf-8")
    try:
        values = read_state(path)
    except InputError as exc:
        assert "\n" not in exc.one_line()
        assert exc.path == str(path)
        with pytest.raises(InputError):
            update_state(path, {"default_cores": 3})
        assert path.read_bytes() == text.encode("utf-8")  # bytes: "\r" must survive too
    else:
        assert set(KNOWN_KEYS) <= set(values)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cores=st.integers(min_value=1, max_value=512),
    selector=st.text(min_size=1, max_size=40).filter(lambda s: s.strip() == s and "\x00" not in s),
    configured=st.booleans(),
)
def test_values_round_trip(tmp_path: Path, cores: int, selector: str, configured: bool) -> None:
    path = tmp_path / "rt" / "state.md"
    update_state(
        path,
        {"default_cores": cores, "storage_selector": selector, "provider_configured": configured},
    )
    values = read_state(path)
    assert (values["default_cores"], values["storage_selector"]) == (cores, selector)
    assert values["provider_configured"] is configured
