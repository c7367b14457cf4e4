"""providerdata: the field table, the schema in Omni's words, parse and render."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from omni_scale.core.machineclass.providerdata import (
    FIELDS,
    AdditionalDisk,
    AdditionalNic,
    PciDevice,
    ProviderData,
    parse_providerdata,
    render_providerdata,
)
from omni_scale.core.machineclass.providerdata_schema import SCHEMA, omni_error_text, schema_issues
from omni_scale.errors import InputError

GOOD = 'cores: 2\nsockets: 1\nmemory: 4096\ndisk_size: 40\nstorage_selector: name == "x"\n'


def test_fields_cover_the_provider_table() -> None:
    for key in (
        "cores",
        "memory",
        "disk_size",
        "storage_selector",
        "sockets",
        "node",
        "network_bridge",
        "vlan",
        "disk_ssd",
        "disk_discard",
        "disk_iothread",
        "disk_cache",
        "disk_aio",
        "cpu_type",
        "machine_type",
        "numa",
        "balloon",
        "hugepages",
        "additional_nics",
        "pci_devices",
        "additional_disks",
        "network_firewall",
        "tags",
        "pool",
        "placement_strategy",
        "ha",
        "bios",
        "vga",
        "usb_devices",
        "additional_disks[].disk_size",
        "additional_disks[].storage_selector",
        "additional_nics[].bridge",
        "pci_devices[].mapping",
        "pci_devices[].mdev",
    ):
        assert key in FIELDS, key
    assert {k for k, f in FIELDS.items() if f.required} == {
        "cores",
        "memory",
        "disk_size",
        "storage_selector",
        "additional_nics[].bridge",
        "additional_disks[].disk_size",
        "additional_disks[].storage_selector",
        "pci_devices[].mapping",
        "usb_devices[].mapping",
    }
    assert FIELDS["memory"].minimum == 2048 and FIELDS["disk_size"].minimum == 5
    assert FIELDS["additional_disks[].disk_size"].minimum == 1
    assert FIELDS["disk_cache"].enum == (
        "none",
        "writethrough",
        "writeback",
        "directsync",
        "unsafe",
    )
    assert FIELDS["hugepages"].enum == ("2MB", "1GB")
    assert FIELDS["network_bridge"].default == "vmbr0"
    assert FIELDS["cpu_type"].default == "x86-64-v2-AES"
    assert FIELDS["cores"].since == "base"
    assert FIELDS["network_firewall"].since == "v0.1.0"
    assert FIELDS["pci_devices[].mdev"].since == "v0.1.0"
    assert FIELDS["placement_strategy"].since == "v0.2.0"
    assert FIELDS["bios"].since == "v0.2.0"
    assert FIELDS["usb_devices"].since == "v0.3.0"


def test_schema_allows_unknown_keys_like_upstream() -> None:
    assert "additionalProperties" not in SCHEMA
    assert (
        schema_issues(
            {"cores": 1, "memory": 2048, "disk_size": 5, "storage_selector": "x", "diskSize": 1}
        )
        == []
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, 'config value ".cores": is required'),
        ({"cores": "2"}, 'config value ".cores": must be of type integer, but got string'),
        ({"cores": 2.5}, 'config value ".cores": must be of type integer, but got number'),
        ({"memory": 2047}, 'config value ".memory": must be at least 2048'),
        ({"disk_size": 4}, 'config value ".disk_size": must be at least 5'),
        ({"disk_ssd": "yes"}, 'config value ".disk_ssd": must be of type boolean, but got string'),
        ({"memory": None}, 'config value ".memory": is required but was not set'),
        ({"machine_type": "pc"}, "config value \".machine_type\": must be one of 'q35', 'i440fx'"),
        ({"tags": [""]}, 'config value ".tags.0": must not be empty'),
        (
            {"additional_nics": [{"vlan": 3}]},
            'config value ".additional_nics.0.bridge": is required',
        ),
    ],
)
def test_omni_wording(data: dict[str, object], message: str) -> None:
    assert message in [issue.message for issue in schema_issues(data)]


def test_error_block_joins_missing_keys_like_omni() -> None:
    text = omni_error_text(schema_issues({"cores": 1, "memory": 100}))
    assert text.splitlines() == [
        '- config value ".disk_size": is required; config value ".storage_selector": is required',
        '- config value ".memory": must be at least 2048',
    ]


def test_error_block_like_omni() -> None:
    text = omni_error_text(schema_issues({"cores": 1, "memory": 2048, "disk_size": 5}))
    assert text == '- config value ".storage_selector": is required'


def test_parse_defaults_and_extra() -> None:
    data = parse_providerdata(GOOD + "tags: [a]\ndiskSize: 4\n")
    assert data.cores == 2 and data.memory == 4096 and data.sockets == 1
    assert data.network_bridge == "vmbr0" and data.cpu_type == "x86-64-v2-AES"
    assert data.extra == {"tags": ["a"], "diskSize": 4}
    assert data.storage_selectors == ('name == "x"',)


def test_parse_nested() -> None:
    text = GOOD + (
        "additional_disks:\n  - disk_size: 100\n    storage_selector: name == 'b'\n"
        "    disk_ssd: true\nadditional_nics:\n  - bridge: vmbr1\n    vlan: 20\n"
        "pci_devices:\n  - mapping: gpu\n    pcie: true\n"
    )
    data = parse_providerdata(text)
    assert data.additional_disks == (AdditionalDisk(100, "name == 'b'", disk_ssd=True),)
    assert data.additional_nics == (AdditionalNic("vmbr1", vlan=20),)
    assert data.pci_devices == (PciDevice("gpu", pcie=True),)
    assert data.storage_selectors == ('name == "x"', "name == 'b'")


def test_sockets_missing_means_zero() -> None:
    data = parse_providerdata(GOOD.replace("sockets: 1\n", ""))
    assert data.sockets is None and data.effective_sockets == 0


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("- a\n- b\n", 11, "must be a YAML mapping"),
        (GOOD.replace("memory: 4096", "memory: 100"), 13, "must be at least 2048"),
        (GOOD.replace('storage_selector: name == "x"\n', ""), 11, '".storage_selector": is req'),
        ("cores: [1\n", 12, "invalid YAML"),
    ],
)
def test_parse_errors_are_one_line_with_file_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_providerdata(text, path="mc.yaml", line_offset=10)
    assert info.value.line == line
    assert fragment in info.value.message
    assert "\n" not in info.value.one_line()
    assert info.value.one_line().startswith(f"mc.yaml:{line}")


def test_render_is_readable_and_round_trips() -> None:
    data = ProviderData(
        cores=4,
        memory=8192,
        disk_size=40,
        storage_selector='storageType == "rbd"',
        sockets=1,
        disk_ssd=True,
        additional_disks=(AdditionalDisk(100, 'name == "b"'),),
        pci_devices=(PciDevice("gpu", pcie=True),),
        extra={"tags": ["k8s"]},
    )
    text = render_providerdata(data)
    assert text.startswith("cores: 4\nsockets: 1\nmemory: 8192\ndisk_size: 40\n")
    assert "network_bridge" not in text  # defaults stay implicit
    assert parse_providerdata(text) == data


selectors = st.sampled_from(['name == "local-lvm"', 'storageType == "rbd"', "true", "'x'"])
models = st.builds(
    ProviderData,
    cores=st.integers(1, 64),
    memory=st.integers(2048, 2**20),
    disk_size=st.integers(5, 5000),
    storage_selector=selectors,
    sockets=st.one_of(st.none(), st.integers(1, 4)),
    node=st.one_of(st.none(), st.sampled_from(["pve1", "yes", "1", "null", "x: y"])),
    vlan=st.one_of(st.none(), st.integers(0, 4094)),
    disk_cache=st.one_of(st.none(), st.sampled_from(["none", "writeback"])),
    balloon=st.one_of(st.none(), st.booleans()),
    numa=st.booleans(),
    cpu_type=st.sampled_from(["x86-64-v2-AES", "host"]),
    additional_disks=st.lists(
        st.builds(
            AdditionalDisk,
            disk_size=st.integers(1, 100),
            storage_selector=selectors,
            disk_ssd=st.booleans(),
        ),
        max_size=2,
    ).map(tuple),
    additional_nics=st.lists(
        st.builds(
            AdditionalNic,
            bridge=st.sampled_from(["vmbr1", "on"]),
            vlan=st.one_of(st.none(), st.integers(0, 10)),
            firewall=st.one_of(st.none(), st.booleans()),
        ),
        max_size=2,
    ).map(tuple),
)


@settings(max_examples=60, deadline=None)
@given(models)
def test_round_trip_property(data: ProviderData) -> None:
    assert parse_providerdata(render_providerdata(data)) == data
