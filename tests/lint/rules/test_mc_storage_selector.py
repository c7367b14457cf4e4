"""mc-storage-selector: cel-go errors positioned at the selector in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.mc_helpers import GOOD, by_rule, lint, machine_class, write


def _at(path: Path, line: int, column: int) -> str:
    return path.read_text().splitlines()[line - 1][column - 1 :]


@pytest.mark.parametrize(
    ("selector", "points_at", "message", "hint"),
    [
        ('type == "rbd"', '== "rbd"', "(type(type), string)", "storageType"),
        ("availableSpace > 100", "> 100", "'(uint, int)'", "100u"),
        ("storage.filter(s, s.type == 'rbd')", "storage", "undeclared reference", "name"),
    ],
)
def test_selector_errors(
    tmp_path: Path, selector: str, points_at: str, message: str, hint: str
) -> None:
    path = write(
        tmp_path / "mc.yaml",
        machine_class(GOOD.replace('name == "local-lvm"', selector)),
    )
    [problem] = by_rule(lint(None, path), "mc-storage-selector")
    assert problem.message.startswith("storage_selector does not compile in the provider: ")
    assert message in problem.message
    assert hint in (problem.hint or "")
    assert _at(path, problem.line, problem.column).startswith(points_at)


def test_bare_string_selector(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mc.yaml",
        machine_class(GOOD.replace('name == "local-lvm"', "'\"local-lvm\"'")),
    )
    [problem] = by_rule(lint(None, path), "mc-storage-selector")
    assert "expression output type is string, expected bool" in problem.message
    assert 'name == "local-lvm"' in (problem.hint or "")


def test_additional_disk_selector(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mc.yaml",
        machine_class(
            GOOD + "additional_disks:\n  - disk_size: 100\n    storage_selector: type == 'zfs'\n"
        ),
    )
    [problem] = by_rule(lint(None, path), "mc-storage-selector")
    assert problem.message.startswith("additional_disks[0].storage_selector does not compile")
    assert _at(path, problem.line, problem.column).startswith("== 'zfs'")


def test_valid_selectors(tmp_path: Path) -> None:
    selector = 'storageType == "rbd" && availableSpace > 100u * 1024u'
    path = write(tmp_path / "mc.yaml", machine_class(GOOD.replace('name == "local-lvm"', selector)))
    assert lint(None, path).problems == []
