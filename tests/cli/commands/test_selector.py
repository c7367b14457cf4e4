"""`omni-scale selector check`: JSON shape, human output, storages/snapshot input, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

GIB = 1024**3
STORAGES = [
    {"storage": "local", "type": "dir", "avail": 50 * GIB, "content": "iso", "enabled": 1},
    {"storage": "local-lvm", "type": "lvmthin", "avail": 200 * GIB, "active": 1},
    {"storage": "ceph-pool", "type": "rbd", "avail": 2048 * GIB, "shared": 1},
    {"storage": "vm_data", "type": "zfspool", "avail": 100},
]


def _write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def storages_file(tmp_path: Path) -> Path:
    return _write(tmp_path, "storage.json", {"data": STORAGES})


def _snapshot(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": "omni-scale/proxmox-snapshot",
        "version": 1,
        "taken_at": "2026-11-25T19:00:00Z",
        "pve_version": "8.4.1",
        "provider_id": "proxmox",
        "nodes": nodes,
        "pci_mappings": [],
    }


def _node(name: str, storages: list[dict[str, Any]] | None) -> dict[str, Any]:
    return {"node": name, "status": "online", "storages": storages}


# --- validity only ----------------------------------------------------------------------------


def test_valid_selector_without_storages(cli: Any) -> None:
    result = cli("selector", "check", 'name == "local-lvm"', "--json")
    assert result.code == 0
    data = result.json()
    assert data["valid"] is True
    assert data["error"] is None
    assert data["results"] == []
    assert data["first_match"] is None
    assert {"valid", "error", "results", "first_match", "hint", "matches"} <= set(data)


def test_invalid_selector_json(cli: Any) -> None:
    result = cli("--json", "selector", "check", "availableSpace > 100")
    assert result.code == 1
    data = result.json()
    assert data["valid"] is False
    assert data["error"] == (
        "ERROR: <input>:1:16: found no matching overload for '_>_' applied to '(uint, int)'\n"
        " | availableSpace > 100\n"
        " | ...............^"
    )
    assert "100u" in data["hint"]
    assert (data["line"], data["column"]) == (1, 16)
    assert data["results"] == [] and data["first_match"] is None


def test_invalid_selector_human_output_has_snippet_and_hint(cli: Any) -> None:
    result = cli("selector", "check", 'type == "rbd"')
    assert result.code == 1
    lines = result.out.splitlines()
    assert ' | type == "rbd"' in lines
    assert " | .....^" in lines
    assert any(line.startswith("ERROR: <input>:1:6: found no matching overload") for line in lines)
    assert "storageType" in result.out


def test_valid_human_output_suggests_trying_storages(cli: Any) -> None:
    result = cli("selector", "check", "availableSpace > 100u")
    assert result.code == 0
    assert "valid selector" in result.out
    assert "--storages" in result.out


# --- with storages ----------------------------------------------------------------------------


def test_storages_file_results_in_order(cli: Any, storages_file: Path) -> None:
    result = cli(
        "selector", "check", "availableSpace > 1000u", "--storages", storages_file, "--json"
    )
    assert result.code == 0
    data = result.json()
    assert data["results"] == [
        {"name": "local", "result": True, "error": None},
        {"name": "local-lvm", "result": True, "error": None},
        {"name": "ceph-pool", "result": True, "error": None},
        {"name": "vm_data", "result": False, "error": None},
    ]
    assert data["first_match"] == "local"
    assert data["matches"] == ["local", "local-lvm", "ceph-pool"]
    assert "several storages match" in data["hint"]


def test_bare_list_is_accepted(cli: Any, tmp_path: Path) -> None:
    path = _write(tmp_path, "pvesh.json", STORAGES)
    result = cli("selector", "check", 'storageType == "rbd"', "--storages", path, "--json")
    assert result.code == 0
    assert result.json()["first_match"] == "ceph-pool"


def test_missing_avail_is_zero_like_the_provider(cli: Any, tmp_path: Path) -> None:
    path = _write(tmp_path, "s.json", [{"storage": "nfs-off", "type": "nfs", "enabled": 0}])
    result = cli("selector", "check", "availableSpace == 0u", "--storages", path, "--json")
    assert result.code == 0
    assert result.json()["first_match"] == "nfs-off"


def test_no_match_exit_1_with_provider_message(cli: Any, storages_file: Path) -> None:
    result = cli("selector", "check", 'name == "fast"', "--storages", storages_file, "--json")
    assert result.code == 1
    data = result.json()
    assert data["valid"] is True
    assert data["first_match"] is None
    assert data["error"] == (
        'failed to pick the disk: no matches for the condition "name == \\"fast\\""'
    )
    assert [r["result"] for r in data["results"]] == [False, False, False, False]
    assert "local-lvm (lvmthin)" in data["hint"]


def test_eval_error_aborts_exit_1(cli: Any, tmp_path: Path) -> None:
    order = [STORAGES[3], STORAGES[2]]  # vm_data (100 B) first, then ceph-pool
    path = _write(tmp_path, "s.json", order)
    result = cli("selector", "check", "availableSpace - 200u > 0u", "--storages", path, "--json")
    assert result.code == 1
    data = result.json()
    assert data["error"] == "unsigned integer overflow"
    assert data["first_match"] is None
    assert data["matches"] == ["ceph-pool"]
    assert data["results"][0] == {
        "name": "vm_data",
        "result": None,
        "error": "unsigned integer overflow",
    }


def test_human_table_marks_the_pick(cli: Any, storages_file: Path) -> None:
    result = cli("selector", "check", 'name.endsWith("lvm")', "--storages", storages_file)
    assert result.code == 0
    picked = [line for line in result.out.splitlines() if "← picked" in line]
    assert len(picked) == 1 and "local-lvm" in picked[0]
    assert "the provider picks: local-lvm" in result.out


def test_node_option_sets_the_node_variable(cli: Any, storages_file: Path) -> None:
    args = ("selector", "check", 'node == "pve2"', "--storages", storages_file, "--json")
    assert cli(*args).code == 1
    result = cli(*args, "--node", "pve2")
    assert result.code == 0
    assert result.json()["node"] == "pve2"


# --- snapshot ---------------------------------------------------------------------------------


def test_snapshot_node_storages(cli: Any, tmp_path: Path) -> None:
    doc = _snapshot([_node("pve1", STORAGES[:2]), _node("pve2", [STORAGES[2], STORAGES[3]])])
    path = _write(tmp_path, "proxmox-snapshot.json", doc)
    result = cli(
        "selector",
        "check",
        'node == "pve2" && availableSpace > 1u',
        "--snapshot",
        path,
        "--node",
        "pve2",
        "--json",
    )
    assert result.code == 0
    data = result.json()
    assert [r["name"] for r in data["results"]] == ["ceph-pool", "vm_data"]
    assert data["first_match"] == "ceph-pool"


def test_snapshot_single_node_needs_no_node_option(cli: Any, tmp_path: Path) -> None:
    path = _write(tmp_path, "snap.json", _snapshot([_node("alpha", STORAGES)]))
    result = cli("selector", "check", 'node == "alpha"', "--snapshot", path, "--json")
    assert result.code == 0
    assert result.json()["node"] == "alpha"


@pytest.mark.parametrize(
    ("nodes", "node_args", "message"),
    [
        ([_node("pve1", STORAGES), _node("pve2", STORAGES)], [], "--snapshot needs --node"),
        ([_node("pve1", STORAGES)], ["--node", "pve9"], "node 'pve9' is not in the snapshot"),
        ([_node("pve1", None)], ["--node", "pve1"], "no storage list for node 'pve1'"),
    ],
)
def test_snapshot_problems_exit_2(
    cli: Any, tmp_path: Path, nodes: list[dict[str, Any]], node_args: list[str], message: str
) -> None:
    path = _write(tmp_path, "snap.json", _snapshot(nodes))
    result = cli("selector", "check", "true", "--snapshot", path, *node_args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_snapshot_with_huge_avail_exit_2(cli: Any, tmp_path: Path) -> None:
    storage = {"storage": "x", "type": "dir", "avail": 2**64}
    path = _write(tmp_path, "snap.json", _snapshot([_node("pve1", [storage])]))
    result = cli("selector", "check", "true", "--snapshot", path, "--node", "pve1")
    assert result.code == 2
    assert "uint64" in result.err


# --- bad input: exit 2, one line --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "storages file is not valid JSON"),
        ({"data": {"storage": "x"}}, "expected a list of storages"),
        ([1], "storages[0]: expected an object"),
        ([{"type": "dir", "avail": 1}], "`storage` must be a non-empty string"),
        ([{"storage": "a", "avail": 1}], "`type` must be a non-empty string"),
        ([{"storage": "a", "type": "dir", "avail": -1}], "between 0 and 2^64-1"),
        ([{"storage": "a", "type": "dir", "avail": 2**64}], "between 0 and 2^64-1"),
        ([{"storage": "a", "type": "dir", "avail": "100"}], "whole number of bytes"),
        ([{"storage": "a", "type": "dir", "avail": 1.5}], "whole number of bytes"),
        ([{"storage": "a", "type": "dir", "avail": True}], "whole number of bytes"),
        ('[{"storage": "a\\ud800", "type": "dir", "avail": 1}]', "valid Unicode"),
    ],
)
def test_bad_storages_file_exit_2(cli: Any, tmp_path: Path, content: Any, message: str) -> None:
    path = _write(tmp_path, "bad.json", content)
    result = cli("selector", "check", "true", "--storages", path)
    assert result.code == 2
    err = result.err.strip()
    assert message in err
    assert str(path) in err
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_bad_storages_file_json_error_document(cli: Any, tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.json", [{"storage": "a", "type": "dir", "avail": -5}])
    result = cli("--json", "selector", "check", "true", "--storages", path)
    assert result.code == 2
    data = result.json()
    assert data["ok"] is False
    assert "avail" in data["error"]["message"]


def test_missing_file_and_both_sources_exit_2(
    cli: Any, tmp_path: Path, storages_file: Path
) -> None:
    missing = cli("selector", "check", "true", "--storages", tmp_path / "nope.json")
    assert missing.code == 2 and "not found" in missing.err
    both = cli(
        "selector", "check", "true", "--storages", storages_file, "--snapshot", storages_file
    )
    assert both.code == 2 and "not both" in both.err


def test_missing_expr_is_usage_error(cli: Any) -> None:
    assert cli("selector", "check").code == 2


# --- as a real process ------------------------------------------------------------------------


def test_expr_from_stdin_in_a_real_process(cli_proc: Any, storages_file: Path) -> None:
    result = cli_proc(
        "selector",
        "check",
        "-",
        "--storages",
        storages_file,
        "--json",
        input='// the fast pool\nstorageType == "rbd"\n',
    )
    assert result.code == 0, result.err
    assert result.json()["first_match"] == "ceph-pool"


def test_cel_is_imported_only_when_a_selector_is_compiled() -> None:
    code = (
        "import sys, omni_scale.cli.main, omni_scale.core.selector.evaluate, "
        "omni_scale.cli.commands.selector;"
        "assert 'cel_expr_python' not in sys.modules, 'eager import';"
        "omni_scale.core.selector.evaluate.selector_problem('true');"
        "assert 'cel_expr_python' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)
