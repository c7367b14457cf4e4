"""Hypothesis properties: the state file round-trip, the providerdata model, the log parser.

Example counts stay modest (the machine has two cores); each property runs in a few seconds.
"""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omni_scale.core.machineclass.providerdata import (
    AdditionalDisk,
    AdditionalNic,
    PciDevice,
    ProviderData,
    parse_providerdata,
    render_providerdata,
)
from omni_scale.core.provider.logs import parse_line
from omni_scale.state import KNOWN_KEYS, read_state, update_state

SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# -- the state file --------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.text(max_size=40),
)


def _value_for(name: str) -> st.SearchStrategy[Any]:
    spec = KNOWN_KEYS[name]
    kind = spec.types[0]
    if kind is bool:
        return st.booleans()
    if kind is int:
        return st.integers(spec.minimum or 0, 2**40)
    if kind is dict:
        return st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,12}", fullmatch=True), SCALARS)
    return st.text(max_size=80)  # any text: quotes, ---, #, newlines, unicode


STATE_UPDATES = st.dictionaries(
    st.sampled_from(sorted(KNOWN_KEYS)), st.none(), min_size=1, max_size=len(KNOWN_KEYS)
).flatmap(
    lambda keys: st.fixed_dictionaries({k: _value_for(k) for k in keys})  # type: ignore[arg-type]
)

BODY = "\n# My notes\n\nKeep this: --- is not a delimiter here.\n"
FRONT = "---\n# hand-written comment, keep me\nprovider_id: lab # trailing comment\n---\n"


@SETTINGS
@given(first=STATE_UPDATES, second=STATE_UPDATES)
def test_state_round_trip(tmp_path: Path, first: dict[str, Any], second: dict[str, Any]) -> None:
    path = tmp_path / "state" / ".claude" / "omni-scale.local.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FRONT + BODY)
    expected = read_state(path)
    for updates in (first, second):
        update_state(path, updates)
        expected.update(updates)
        assert read_state(path) == expected
    text = path.read_text()
    assert text.endswith(BODY), text
    assert "# hand-written comment, keep me" in text


# -- the providerdata model ------------------------------------------------------------------

NAME = st.from_regex(r"[a-z][a-z0-9-]{0,14}[a-z0-9]", fullmatch=True)
SELECTOR = st.one_of(
    st.sampled_from(
        [
            'name == "local-lvm"',
            'storageType == "lvmthin" && availableSpace > 107374182400u',
            'name.startsWith("ceph")',
            'storageType == "rbd" || name == "nvme"',
        ]
    ),
    NAME.map(lambda n: f'name == "{n}"'),
)
CACHE = st.sampled_from(["none", "writethrough", "writeback", "directsync", "unsafe"])
AIO = st.sampled_from(["native", "threads", "io_uring"])


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


DISKS = st.builds(
    AdditionalDisk,
    disk_size=st.integers(1, 4096),
    storage_selector=SELECTOR,
    disk_ssd=st.booleans(),
    disk_discard=st.booleans(),
    disk_iothread=st.booleans(),
    disk_cache=_opt(CACHE),
    disk_aio=_opt(AIO),
)
NICS = st.builds(
    AdditionalNic, bridge=NAME, vlan=_opt(st.integers(1, 4094)), firewall=_opt(st.booleans())
)
PCIS = st.builds(
    PciDevice,
    mapping=NAME,
    pcie=st.booleans(),
    primary_gpu=st.booleans(),
    rombar=_opt(st.booleans()),
    mdev=_opt(NAME),
)
PROVIDERDATA = st.builds(
    ProviderData,
    cores=st.integers(1, 64),
    memory=st.integers(2048, 1_048_576),
    disk_size=st.integers(5, 4096),
    storage_selector=SELECTOR,
    sockets=_opt(st.integers(1, 4)),
    node=_opt(NAME),
    network_bridge=NAME,
    vlan=_opt(st.integers(1, 4094)),
    disk_ssd=st.booleans(),
    disk_discard=st.booleans(),
    disk_iothread=st.booleans(),
    disk_cache=_opt(CACHE),
    disk_aio=_opt(AIO),
    cpu_type=st.sampled_from(["x86-64-v2-AES", "host", "kvm64", "x86-64-v3"]),
    machine_type=_opt(st.sampled_from(["q35", "i440fx"])),
    numa=st.booleans(),
    balloon=_opt(st.booleans()),
    hugepages=st.none(),  # root@pam only: a lint error without the project's auth
    network_firewall=_opt(st.booleans()),
    placement_strategy=_opt(st.sampled_from(["spread", "fewer-vms", "round-robin", "binpack"])),
    bios=_opt(st.sampled_from(["seabios", "ovmf"])),
    additional_disks=st.lists(DISKS, max_size=3).map(tuple),
    additional_nics=st.lists(NICS, max_size=2).map(tuple),
    pci_devices=st.lists(PCIS, max_size=2).map(tuple),
)


@SETTINGS
@given(data=PROVIDERDATA)
def test_providerdata_renders_parses_back_and_lints_clean(
    tmp_path: Path, data: ProviderData
) -> None:
    from omni_scale.core.machineclass.render import render_machine_class
    from omni_scale.lint.context import build_context
    from omni_scale.lint.engine import lint_files

    text = render_providerdata(data)
    assert parse_providerdata(text) == data

    folder = tmp_path / "lint" / "machine-classes"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "generated.yaml"
    path.write_text(render_machine_class("generated", "proxmox", data))
    report = lint_files([path], build_context(None))
    errors = [p for p in report.problems if p.severity == "error"]
    assert errors == [], (errors, path.read_text())


# -- the provider log parser -----------------------------------------------------------------

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
LEVEL = st.sampled_from(["debug", "info", "warn", "error", "fatal", "INFO", "Error", ""])
TS = st.one_of(
    st.floats(min_value=0, max_value=4e9, allow_nan=False),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.text(max_size=20),
)
ZAP = st.fixed_dictionaries(
    {"level": LEVEL, "msg": st.text(max_size=60)},
    optional={
        "ts": TS,
        "caller": st.text(max_size=30),
        "request_id": st.text(max_size=20),
        "step": st.text(max_size=20),
        "error": st.text(max_size=60),
        "id": st.text(max_size=20),
    },
).flatmap(
    lambda base: st.dictionaries(
        st.text(string.ascii_lowercase, min_size=1, max_size=10), JSON_VALUES, max_size=3
    ).map(lambda extra: {**extra, **base})
)
PREFIX = st.sampled_from(["", "provider-proxmox-1  | ", "2026-11-25T19:00:00.123456789Z "])


@SETTINGS
@given(line=st.text(max_size=300))
def test_any_line_parses(line: str) -> None:
    for part in line.splitlines() or [line]:
        entry = parse_line(part)
        if entry is not None:
            json.dumps(entry.to_json())
            entry.time_text()


@SETTINGS
@given(fields=ZAP, prefix=PREFIX)
def test_zap_json_lines_keep_their_fields(fields: dict[str, Any], prefix: str) -> None:
    entry = parse_line(prefix + json.dumps(fields))
    assert entry is not None and entry.form == "json"
    assert entry.fields == fields
    assert entry.message == (fields["msg"] or "")
    if fields.get("error"):
        assert entry.error == fields["error"] and entry.is_error
    json.dumps(entry.to_json())
    entry.time_text()


def test_a_timestamp_at_the_edge_of_time() -> None:
    entry = parse_line('{"ts": "0001-01-01T00:00:00+01:00", "level": "info", "msg": "x"}')
    assert entry is not None
    json.dumps(entry.to_json())


def test_a_deeply_nested_json_line() -> None:
    entry = parse_line('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert entry is not None
