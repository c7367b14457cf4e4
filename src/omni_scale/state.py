"""The per-project state file `.claude/omni-scale.local.md`.

YAML front matter (the machine-readable state) plus a Markdown body for people. Updates are
read-modify-write under a file lock and keep the body, the key order and comments. A missing
file means defaults; a broken one is an error naming the line and is never rewritten.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from omni_scale.errors import EnvironmentProblem, InputError
from omni_scale.textio import read_text_file
from omni_scale.yamlio import dump, guard_yaml_text, line_of, load_all

DELIMITER = "---"
LOCK_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class StateKey:
    name: str
    types: tuple[type, ...]
    default: Any
    meaning: str
    minimum: int | None = None

    def problem(self, value: Any) -> str | None:
        """Why `value` is not acceptable for this key (None when it is; None unsets)."""
        if value is None:
            return None
        if not isinstance(value, self.types) or (
            bool not in self.types and isinstance(value, bool)
        ):
            return f"must be {self.types[0].__name__}, not {type(value).__name__} ({value!r})"
        if self.minimum is not None and isinstance(value, int) and value < self.minimum:
            return f"must be at least {self.minimum}, not {value}"
        return None


KNOWN_KEYS: dict[str, StateKey] = {
    key.name: key
    for key in (
        StateKey("provider_configured", (bool,), False, "provider setup has completed"),
        StateKey(
            "provider_id", (str,), "proxmox", "the provider's --id (= MachineClass providerid)"
        ),
        StateKey("provider_image", (str,), None, "the provider image tag the project runs"),
        StateKey("omni_endpoint", (str,), None, "Omni API URL"),
        StateKey("proxmox_endpoint", (str,), None, "Proxmox API URL (…/api2/json)"),
        StateKey("storage_selector", (str,), None, "default CEL storage selector for new classes"),
        StateKey("default_cores", (int,), 2, "default cores for new machine classes", 1),
        StateKey("default_sockets", (int,), 1, "default sockets for new machine classes", 1),
        StateKey(
            "default_memory", (int,), 4096, "default memory (MiB) for new machine classes", 2048
        ),
        StateKey("default_disk", (int,), 40, "default disk size (GiB) for new machine classes", 5),
        StateKey("default_bridge", (str,), None, "default network bridge for new classes"),
        StateKey("omnictl_path", (str,), None, "the omnictl binary omni-scale uses"),
        StateKey("last_status", (dict,), None, "last provider status summary, with checked_at"),
        StateKey("last_check", (dict,), None, "last `omni-scale check` summary, with checked_at"),
    )
}

_INTRO = """
# omni-scale state

This file is written by omni-scale and read by its Claude Code plugin. The YAML front matter
above holds the project's settings; edit it with `omni-scale state set KEY=VALUE` or by hand.
Notes you write below this line are kept.

## Next steps

"""
_STEPS_NEW = """\
1. `omni-scale provider setup` to configure the Proxmox provider.
2. `omni-scale machineclass create NAME` to describe the VMs.
3. `omni-scale check` to lint everything and preview placement.
"""
_STEPS_CONFIGURED = """\
1. `omni-scale provider up` to start the provider (then `omni-scale provider status`).
2. `omni-scale machineclass create NAME` to describe the VMs.
3. `omni-scale check` to lint everything and preview placement.
"""
DEFAULT_BODY = _INTRO + _STEPS_NEW


def next_steps_body(body: str, data: Mapping[str, Any]) -> str:
    """The body with its generated "Next steps" list made to fit the state (provider set up
    or not). A list the user edited is left as it is."""
    steps = _STEPS_CONFIGURED if data.get("provider_configured") else _STEPS_NEW
    for generated in (_STEPS_NEW, _STEPS_CONFIGURED):
        if generated in body:
            return body.replace(generated, steps, 1)
    return body


def defaults() -> dict[str, Any]:
    return {name: key.default for name, key in KNOWN_KEYS.items()}


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def split_front_matter(text: str, path: Path) -> tuple[str, str]:
    """(front matter YAML, body). Raises when the file does not start with front matter."""
    # "\n" only: str.splitlines also breaks at U+2028/U+2029, NEL, VT, FF and \x1c-\x1e,
    # which may sit inside a value; the front matter ends at a real line "---"
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    if not lines or lines[0].strip() != DELIMITER:
        raise InputError(
            "state file does not start with a '---' front matter line",
            path=path,
            line=1,
            hint="restore the YAML front matter between two '---' lines, or delete the file",
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == DELIMITER:
            return "".join(lines[1:index]), "".join(lines[index + 1 :])
    raise InputError(
        "state file front matter is not closed by a second '---' line",
        path=path,
        line=len(lines),
        hint="add a line '---' after the settings",
    )


def _check_types(data: Any, path: Path) -> None:
    if data is None:
        return
    if not isinstance(data, Mapping):
        raise InputError(
            "state file front matter must be a mapping of KEY: VALUE",
            path=path,
            line=2,
            hint="write one 'key: value' per line",
        )
    for name, value in data.items():
        spec = KNOWN_KEYS.get(str(name))
        problem = spec.problem(value) if spec is not None else None
        if problem:
            pos = line_of(data, name)
            raise InputError(
                f"state key '{name}' {problem}",
                path=path,
                line=pos[0] + 1 if pos else None,
                hint=f"edit that line, e.g. '{name}: {_example(spec)}', or delete it",
            )


def _parse(text: str, path: Path) -> tuple[Any, str]:
    if not text.strip():  # an empty file (e.g. `touch`ed): defaults, and a fresh body
        return CommentedMap(), DEFAULT_BODY
    front, body = split_front_matter(text, path)
    docs = load_all(front, path=path, line_offset=1)
    data = docs[0] if docs else None
    _check_types(data, path)
    if data is None:
        data = CommentedMap()
    return data, body


def read_state(path: Path) -> dict[str, Any]:
    """The project's state: the file's values over the defaults (defaults if no file)."""

    values = defaults()
    if not path.exists():
        return values
    data, _ = _parse(read_text_file(path, what="state file"), path)
    for key, value in data.items():
        values[str(key)] = _plain(value)
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def update_state(
    path: Path,
    updates: Mapping[str, Any],
    *,
    allow_unknown: bool = False,
    on_wait: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Set `updates` in the state file under a lock, keeping body, order and comments.

    Creates the file (with a readable body) when it does not exist. Returns the new state.
    `on_wait(message)` is called once if another command holds the lock (for a progress line).
    """

    for key, value in updates.items():
        spec = KNOWN_KEYS.get(key)
        if spec is None and not allow_unknown:
            raise InputError(
                f"unknown state key '{key}'",
                hint=f"known keys: {', '.join(KNOWN_KEYS)} (or pass --force)",
            )
        if spec is None and not _valid_key_name(key):
            raise InputError(
                f"state key {key!r} is not a simple name",
                hint="use lowercase letters, digits and underscores, e.g. my_note",
            )
        if spec is None and _looks_secret(key):
            raise InputError(
                f"state key '{key}' looks like a secret; the state file never holds secrets",
                hint="keep credentials in .env or docker/config.yaml (both 0600, gitignored)",
            )
        problem = spec.problem(value) if spec is not None else None
        if problem:
            raise InputError(
                f"state key '{key}' {problem}",
                hint=f"e.g. omni-scale state set {key}={_example(spec)}" if spec else None,
            )

    # imported here: only a write takes the lock and writes the file; filelock imports asyncio
    # (about ten bare interpreter starts) and the atomic writer tempfile, and reading the state
    # (lint, `lint FILE`, the plan) does without them
    from omni_scale.fs.atomic import SECRET_MODE, atomic_write
    from omni_scale.fs.guard import make_dirs
    from omni_scale.fs.lock import held_lock

    make_dirs(path.parent, private=True)
    with held_lock(
        Path(str(path) + ".lock"),
        timeout=LOCK_TIMEOUT_S,
        on_wait=on_wait,
        waiting=f"waiting for another omni-scale command to release {path.name}.lock",
        busy=EnvironmentProblem(
            "another omni-scale command holds the state file lock",
            path=str(path) + ".lock",
            hint="wait for it to finish; delete the .lock file only if no omni-scale runs",
        ),
    ):
        if path.exists():
            data, body = _parse(read_text_file(path, what="state file"), path)
        else:
            data, body = CommentedMap(), DEFAULT_BODY
        for key, value in updates.items():
            data[key] = _safe_scalar(value)
        body = next_steps_body(body, data)
        atomic_write(path, f"{DELIMITER}\n{dump(data)}{DELIMITER}\n{body}", mode=SECRET_MODE)
    return read_state(path)


# Characters a YAML reader folds, drops or treats as a line break when written raw: NEL,
# U+2028/U+2029, CR, VT, FF, the C0/C1 controls, DEL, BOM. A value holding one is written
# double-quoted, where ruamel escapes it (\N, \L, \P, \r, \x..), so it reads back as it was.
_NEEDS_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def _safe_scalar(value: Any) -> Any:
    """A value that reads back identically: text with a line-break-like or control character
    in double quotes (ruamel writes them raw in a plain or single-quoted scalar)."""
    if isinstance(value, str) and _NEEDS_ESCAPE.search(value):
        return DoubleQuotedScalarString(value)
    if isinstance(value, Mapping):
        return {k: _safe_scalar(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_safe_scalar(v) for v in value]
    return value


def record_summary(path: Path, key: str, summary: Mapping[str, Any]) -> dict[str, Any]:
    """Store a status summary (`last_status`, `last_check`) stamped with `checked_at`."""
    return update_state(path, {key: {**summary, "checked_at": now_iso()}})


def _looks_secret(key: str) -> bool:

    return re.search(r"secret|token|passw|private|api_?key|service_account", key) is not None


def _valid_key_name(key: str) -> bool:

    return re.fullmatch(r"[a-z][a-z0-9_]{0,63}", key) is not None


def _example(spec: StateKey | None) -> str:
    if spec is None:
        return "VALUE"
    if spec.minimum is not None:
        return str(max(spec.minimum, spec.default or 0))
    return {bool: "true", int: "4", str: "VALUE", dict: "{}"}.get(spec.types[0], "VALUE")


def parse_value(key: str, text: str) -> Any:
    """A `state set KEY=VALUE` value, read the way the key needs it.

    Text keys take the text as written (`provider_id=123` is the string "123"; quotes are
    removed); an empty value or `null` unsets the key; other keys use YAML scalar rules.
    """
    spec = KNOWN_KEYS.get(key)
    if spec is not None and spec.types == (str,):
        stripped = text.strip()
        if stripped in ("", "null", "~"):
            return None
        parsed = parse_scalar(stripped) if stripped[:1] in ("'", '"') else stripped
        return parsed if isinstance(parsed, str) else stripped
    return parse_scalar(text)


def parse_scalar(text: str) -> Any:
    """A `state set` value: YAML scalar rules (`true`, `4`, `"a b"`), never a structure."""

    guard_yaml_text(text, path=None)
    try:
        value = YAML(typ="safe", pure=True).load(text)
    except YAMLError:
        return text
    except ValueError:  # an integer past Python's 4,300-digit limit
        raise InputError(
            "the value is an integer with thousands of digits",
            hint="state set takes KEY=VALUE with a plain value (string, number, true/false)",
        ) from None
    if isinstance(value, (dict, list)):
        raise InputError(
            f"value {text!r} is not a scalar",
            hint="state set takes KEY=VALUE with a plain value (string, number, true/false)",
        )
    if isinstance(value, (dt.date, dt.datetime)):
        return text
    return value
