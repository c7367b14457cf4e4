"""mc-providerdata-format, mc-providerdata-schema, mc-providerdata-unknown-key,
mc-grpctunnel-in-providerdata, mc-sockets-missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.mc_helpers import GOOD, by_rule, lint, machine_class, write
from omni_scale.lint.problem import Severity


def _file_line(path: Path, line: int) -> str:
    return path.read_text().splitlines()[line - 1]


def test_schema_problems_in_omni_words_at_the_key(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mc.yaml",
        machine_class(
            """
            cores: "2"
            sockets: 1
            memory: 1024
            disk_size: 40
            disk_cache: fast
            """
        ),
    )
    problems = by_rule(lint(None, path), "mc-providerdata-schema")
    messages = [p.message for p in problems]
    assert messages == [
        'config value ".cores": must be of type integer, but got string',
        'config value ".storage_selector": is required',
        'config value ".memory": must be at least 2048',
        "config value \".disk_cache\": must be one of 'none', 'writethrough', 'writeback', "
        "'directsync', 'unsafe'",
    ]
    memory = problems[2]
    assert _file_line(path, memory.line)[memory.column - 1 :].startswith("memory: 1024")
    assert "2048" in (memory.hint or "")


def test_nested_schema_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mc.yaml",
        machine_class(GOOD + "additional_disks:\n  - disk_size: 0\n    storage_selector: x\n"),
    )
    [problem] = by_rule(lint(None, path), "mc-providerdata-schema")
    assert problem.message == 'config value ".additional_disks.0.disk_size": must be at least 1'
    assert "disk_size: 0" in _file_line(path, problem.line)


def test_null_value(tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class(GOOD.replace("memory: 4096", "memory:")))
    [problem] = by_rule(lint(None, path), "mc-providerdata-schema")
    assert problem.message == 'config value ".memory": is required but was not set'


def test_not_yaml(tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class("cores: 2\nmemory: [4096\n"))
    [problem] = by_rule(lint(None, path), "mc-providerdata-format")
    assert problem.message.startswith("providerdata is not valid YAML")
    assert 9 <= problem.line <= 11


def test_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class("- cores: 2\n- memory: 4096\n"))
    report = lint(None, path)
    [problem] = by_rule(report, "mc-providerdata-format")
    assert "not a list" in problem.message
    assert not by_rule(report, "mc-providerdata-schema")


def test_missing_providerdata(tmp_path: Path) -> None:
    text = machine_class(GOOD).split("    providerdata:")[0]
    [problem] = by_rule(lint(None, write(tmp_path / "mc.yaml", text)), "mc-providerdata-format")
    assert "no providerdata" in problem.message


@pytest.mark.parametrize(
    ("key", "guess"),
    [
        ("diskSize", "disk_size"),
        ("cpu", "cores"),
        ("storageSelector", "storage_selector"),
        ("networkBridge", "network_bridge"),
        ("memroy", "memory"),
    ],
)
def test_unknown_key_did_you_mean(tmp_path: Path, key: str, guess: str) -> None:
    path = write(tmp_path / "mc.yaml", machine_class(GOOD + f"{key}: 1\n"))
    [problem] = by_rule(lint(None, path), "mc-providerdata-unknown-key")
    assert problem.severity is Severity.WARNING
    assert problem.hint == f"did you mean '{guess}'?"
    assert _file_line(path, problem.line)[problem.column - 1 :].startswith(key)


def test_unknown_nested_key(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mc.yaml",
        machine_class(GOOD + "additional_nics:\n  - bridge: vmbr1\n    vlanTag: 20\n"),
    )
    [problem] = by_rule(lint(None, path), "mc-providerdata-unknown-key")
    assert "additional_nics[].vlanTag" in problem.message


def test_grpctunnel_in_providerdata(tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class(GOOD + "grpctunnel: 1\n"))
    report = lint(None, path)
    [problem] = by_rule(report, "mc-grpctunnel-in-providerdata")
    assert problem.severity is Severity.ERROR and "spec.autoprovision" in (problem.hint or "")
    assert not by_rule(report, "mc-providerdata-unknown-key")


def test_sockets_missing(tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class(GOOD.replace("sockets: 1\n", "")))
    [problem] = by_rule(lint(None, path), "mc-sockets-missing")
    assert problem.severity is Severity.WARNING and "sockets=0" in problem.message
    assert "cores: 2" in _file_line(path, problem.line)


def test_quoted_flow_providerdata(tmp_path: Path) -> None:
    text = machine_class(GOOD).split("    providerdata:")[0] + (
        '    providerdata: "cores: 2\\nsockets: 1\\nmemory: 100\\ndisk_size: 40\\n'
        'storage_selector: name == \\"x\\"\\n"\n'
    )
    path = write(tmp_path / "mc.yaml", text)
    [problem] = by_rule(lint(None, path), "mc-providerdata-schema")
    assert "must be at least 2048" in problem.message
    assert problem.line == 8  # the providerdata key: positions inside are not exact
