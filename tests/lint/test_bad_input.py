"""Bad input to `omni-scale lint`: a problem or exit 2 with one line, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def _one_problem(result: Any, rule: str) -> dict[str, Any]:
    data = result.json()
    assert "Traceback" not in result.err
    problems = [p for p in data["problems"] if p["rule"] == rule]
    assert problems, data
    return problems[0]


def test_not_yaml(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "mc.yaml"
    path.write_text("metadata:\n  id: [unclosed\nspec: {\n")
    result = cli("lint", path, "--json")
    assert result.code == 1
    problem = _one_problem(result, "yaml-syntax")
    assert problem["line"] >= 2 and "invalid YAML" in problem["message"]


def test_alias_bomb(cli: Any, tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    result = cli("lint", path, "--json")
    assert result.code == 1
    assert "alias" in _one_problem(result, "yaml-syntax")["message"]


def test_huge_file(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("# padding\n" * 200_000)
    result = cli("lint", path, "--json")
    assert result.code == 1
    assert "limit" in _one_problem(result, "yaml-syntax")["message"]


def test_binary(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\x7fELF\x00\x01\x02")
    result = cli("lint", path, "--json")
    assert result.code == 1
    assert "binary" in _one_problem(result, "yaml-syntax")["message"]


def test_empty_file(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("")
    result = cli("lint", path, "--json")
    assert result.code == 0
    assert result.json()["problems"] == []


@pytest.mark.parametrize(
    "text",
    [
        "metadata: {type: MachineClasses.omni.sidero.dev, id: w}\nspec: []\n",
        "metadata: {type: MachineClasses.omni.sidero.dev, id: [1]}\nspec: {autoprovision: 3}\n",
        "metadata: {type: MachineClasses.omni.sidero.dev}\nspec:\n  autoprovision:\n"
        "    providerid: {a: 1}\n    providerdata: 42\n    metavalues: 7\n",
        "metadata: {type: MachineClasses.omni.sidero.dev}\nspec:\n  autoprovision:\n"
        "    providerid: p\n    providerdata: '[1, 2'\n",
        "metadata: {type: MachineClasses.omni.sidero.dev}\nspec:\n  autoprovision:\n"
        "    providerid: p\n    providerdata: 'cores: [1]\\nadditional_disks: 3\\nha: 1'\n",
    ],
)
def test_wrong_types_give_problems(cli: Any, tmp_path: Path, text: str) -> None:
    path = tmp_path / "mc.yaml"
    path.write_text(text)
    result = cli("lint", path, "--json")
    assert result.code == 1, result.err
    assert result.json()["summary"]["errors"] >= 1
    assert "Traceback" not in result.err


def test_compose_command_with_an_unbalanced_quote(cli: Any, tmp_path: Path) -> None:
    """The project's provider list read the command with shlex and crashed on a lone quote;
    it now reads it as the rules do (whitespace split), and the rules report the file."""
    (tmp_path / "docker").mkdir()
    compose = tmp_path / "docker" / "compose.yaml"
    compose.write_text(
        "services:\n  p:\n    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0\n"
        '    command: "--id=\'x --config-file=/config.yaml"\n'
    )
    result = cli("--project-dir", tmp_path, "lint", compose, "--json")
    assert "internal error" not in result.err and "Traceback" not in result.err
    assert result.code == 1
    assert _one_problem(result, "provider-compose-id")["line"] == 4
