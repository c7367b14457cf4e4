"""Hostile repo contents and peer answers: every YAML and JSON passes one set of limits.

Property: every YAML the tool parses, the providerdata embedded in a MachineClass included,
goes through `yamlio.guard_yaml_text` (size, alias count, depth, expanded size through aliases
AND merge keys) before anything is constructed; every JSON from a peer goes through
`core.json_bounds` (deep nesting and huge integers are parse errors). A failure is one line,
exit 2 (our files) or 3 (a peer), fast.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from omni_scale.core.json_bounds import loads, raw_decode
from omni_scale.core.machineclass.providerdata import load_providerdata_yaml
from omni_scale.errors import InputError
from omni_scale.textio import MAX_NODES, load_json
from omni_scale.yamlio import guard_yaml_text, load_all


def alias_bomb_mapping(levels: int = 9) -> str:
    lines = ["a0: &a0 {k0: 1, k1: 2}"]
    for i in range(1, levels):
        refs = ", ".join(f"x{j}: *a{i - 1}" for j in range(9))
        lines.append(f"a{i}: &a{i} {{{refs}}}")
    return "\n".join(lines) + "\n"


def merge_bomb(levels: int = 30) -> str:
    """Each level merges the previous one twice: 2**levels keys once merges are resolved."""
    lines = ["m0: &m0 {a: 1}"]
    for i in range(1, levels):
        lines.append(f"m{i}: &m{i}\n  <<: [*m{i - 1}, *m{i - 1}]\n  k{i}: {i}")
    return "\n".join(lines) + "\n"


def block_merge_bomb(levels: int = 30) -> str:
    """The same with one `<<` a line (the block form some tools accept)."""
    lines = ["m0: &m0\n  a: 1"]
    for i in range(1, levels):
        lines.append(f"m{i}: &m{i}\n  <<: *m{i - 1}\n  z{i}: [*m{i - 1}, *m{i - 1}]")
    return "\n".join(lines) + "\n"


DEEP_SHARED = "a: &a [[[[[[[[[[1]]]]]]]]]]\n" + "".join(
    f"b{i}: &b{i} [*{'a' if i == 0 else f'b{i - 1}'}]\n" for i in range(70)
)

BOMBS = {
    "alias-bomb-mapping": alias_bomb_mapping(),
    "merge-bomb-flow": merge_bomb(),
    "merge-bomb-block": block_merge_bomb(),
    "depth-through-shared-alias": DEEP_SHARED,  # each level shallow, the expansion 80 deep
    "recursive-anchor": "a: &a [1, *a]\n",
    "huge-int": "cores: " + "9" * 5000 + "\n",
    "huge-negative-int": "cores: -" + "1" * 6000 + "\n",
    "deep-flow": "[" * 100_000 + "]" * 100_000,
}


@pytest.mark.parametrize("name", sorted(BOMBS))
@pytest.mark.parametrize("parser", ["load_all", "load_all_fast", "providerdata"])
def test_every_yaml_parser_refuses_bombs_fast(name: str, parser: str) -> None:
    text = BOMBS[name]
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        if parser == "providerdata":
            load_providerdata_yaml(text, path="mc.yaml", line_offset=10)
        else:
            load_all(text, path="f.yaml", keep_comments=parser == "load_all")
    assert time.monotonic() - started < 5, "a bomb must be refused in well under a second"
    line = caught.value.one_line()
    assert "\n" not in line and len(line) < 400
    assert "Traceback" not in line


def test_guard_is_the_one_entry_and_counts_merge_keys() -> None:
    # 2**30 keys once merged, from 1 KiB of text: refused on the node graph, never built
    with pytest.raises(InputError, match="merge keys"):
        guard_yaml_text(merge_bomb(), path=None)
    # a modest merge is fine and builds the merged mapping
    docs = load_all("base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n", path=None)
    assert dict(docs[0]["use"]) == {"x": 1, "y": 2}
    # the limit is on the expanded size, not on the text
    fine = "a: &a [" + ", ".join(["1"] * 100) + "]\nb: [" + ", ".join(["*a"] * 900) + "]\n"
    assert MAX_NODES > 100 * 900
    assert load_all(fine, path=None)[0]["b"][899][99] == 1


def test_embedded_providerdata_bomb_in_a_machine_class_is_one_line(homelab: Path, cli: Any) -> None:
    body = alias_bomb_mapping().replace("\n", "\n      ")
    (homelab / "machine-classes" / "bomb.yaml").write_text(
        "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n  id: bomb\n"
        "spec:\n  autoprovision:\n    providerid: proxmox\n    providerdata: |\n      " + body
    )
    started = time.monotonic()
    result = cli("--project-dir", homelab, "machineclass", "show", "bomb")
    assert time.monotonic() - started < 10
    # `show` reports a class's providerdata problems as findings (exit 1)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert "bomb.yaml" in result.out and "expands to over" in result.out
    lint = cli("--project-dir", homelab, "lint", "--json")
    assert lint.code == 1
    assert "expands to over" in lint.out


@pytest.mark.parametrize(
    "text", ["[" * 100_000, "[" * 100_000 + "]" * 100_000, '{"a": ' + "9" * 5000 + "}"]
)
def test_peer_json_deep_or_huge_is_a_decode_error(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        loads(text)
    with pytest.raises(json.JSONDecodeError):
        raw_decode(text)


def test_user_json_with_a_huge_integer_is_one_line() -> None:
    with pytest.raises(InputError, match="thousands of digits"):
        load_json('{"format": 1, "n": ' + "1" * 5000 + "}", path="s.json", what="x", hint="h")


def test_snapshot_with_a_huge_integer(homelab: Path, cli: Any) -> None:
    snap = homelab / "proxmox-snapshot.json"
    snap.write_text(snap.read_text().replace('"maxmem":', '"maxmem": ' + "7" * 5000 + ', "x":', 1))
    result = cli("--project-dir", homelab, "machineclass", "plan")
    assert result.code == 2, result.err
    assert "proxmox-snapshot.json" in result.err and "thousands of digits" in result.err


def test_state_set_huge_integer_is_one_line(homelab: Path, cli: Any) -> None:
    result = cli("--project-dir", homelab, "state", "set", "default_cores=" + "4" * 5000)
    assert result.code == 2
    assert "thousands of digits" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(
    "stdout", ["[" * 100_000 + "]" * 100_000, '{"metadata": {"id": ' + "9" * 5000 + "}}"]
)
def test_omnictl_printing_deep_or_huge_json_is_one_line(
    homelab: Path, cli: Any, fake_omnictl: Any, stdout: str
) -> None:
    fake_omnictl.respond(["get"], stdout=stdout)
    result = cli("--project-dir", homelab, "cluster", "status", "homelab")
    assert result.code == 3, (result.code, result.out, result.err)
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert len([line for line in result.err.splitlines() if "error:" in line]) == 1
