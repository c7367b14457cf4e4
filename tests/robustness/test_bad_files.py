"""Every command that reads a user file, fed every corruption.

Each (command, file, corruption) must end with the exit code its contract gives (2 for bad
input, 1 for lint problems or an unhealthy check), name the file, print no traceback and no
internal error, and leave every byte and mode of the project as it was (the filelock's empty
`.lock` files, gitignored, are the one thing a locking command may leave).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from robustness.conftest import CORRUPTIONS

MC = "machine-classes/homelab-worker.yaml"
CT = "clusters/homelab.yaml"
COMPOSE = "docker/compose.yaml"
CONFIG = "docker/config.yaml"
STATE = ".claude/omni-scale.local.md"
SNAPSHOT = "proxmox-snapshot.json"
ENV = ".env"
EXTERNAL = "<input>"  # a file outside the project, named on the command line

# The file is still a readable document, just of the wrong shape (or nothing at all).
SHAPE = {"empty", "scalar", "wrong-types", "json-wrong-types"}
# The file cannot be read or parsed within the limits.
UNREADABLE = set(CORRUPTIONS) - SHAPE


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    targets: tuple[str, ...]
    code: int = 2  # for an unreadable file
    shape_code: int | None = None  # for a readable one of the wrong shape (default: code)
    empty_code: int | None = None  # for an empty one (default: shape_code)
    may_change: tuple[str, ...] = field(default=())  # files the command records into anyway

    @property
    def name(self) -> str:
        return " ".join(a for a in self.args if not a.startswith("<"))

    def expected(self, corruption: str) -> int:
        shape = self.code if self.shape_code is None else self.shape_code
        if corruption == "empty":
            return shape if self.empty_code is None else self.empty_code
        return shape if corruption in SHAPE else self.code


CLUSTER_CREATE = (
    "cluster", "create", "fresh", "--cp-class", "homelab-control-plane",
    "--worker-class", "homelab-worker", "--talos", "v1.10.6", "--kubernetes", "v1.33.3",
)  # fmt: skip

CASES = [
    Case(("lint",), (CT, COMPOSE, CONFIG), code=1, empty_code=0),
    Case(("lint",), (MC,), code=1),  # an empty class file is itself a problem
    # check records its summary (last_check) into the state file
    Case(("check",), (CT, CONFIG), code=1, empty_code=0, may_change=(STATE,)),
    Case(("check",), (MC,), code=1, may_change=(STATE,)),
    # an empty compose names no provider image: the plan assumes the newest release (offline
    # nodes skipped), so the example plans clean (placement.md §1); broken YAML still fails
    Case(("check",), (COMPOSE,), code=1, empty_code=0, may_change=(STATE,)),
    Case(("check",), (SNAPSHOT,), may_change=(STATE,)),
    Case(("selector", "check", 'name == "local-lvm"', "--storages", EXTERNAL), (EXTERNAL,)),
    Case(("selector", "check", "true", "--snapshot", EXTERNAL, "--node", "pve1"), (EXTERNAL,)),
    # a file in machine-classes/ that is no class is skipped (lint reports it)
    Case(("machineclass", "list"), (MC,), shape_code=0),
    Case(("machineclass", "show", "homelab-worker"), (MC,)),
    Case(("machineclass", "plan"), (MC,), shape_code=0),
    Case(("machineclass", "plan"), (SNAPSHOT,)),
    Case(("machineclass", "plan", "--snapshot", EXTERNAL), (EXTERNAL,)),
    Case(("machineclass", "create", "fresh", "--from", EXTERNAL), (EXTERNAL,)),
    # an empty state file means defaults, and the example's has no storage selector then
    Case(("machineclass", "create", "fresh"), (STATE,)),
    # a compose file without a provider service: the state file's provider_id is used
    Case(
        ("machineclass", "create", "fresh"),
        (COMPOSE,),
        shape_code=0,
        may_change=("machine-classes/fresh.yaml",),
    ),
    Case(("machineclass", "apply", "homelab-worker"), (MC,)),
    # not a template at all: bad input (2); a broken template: lint problems (1)
    Case(("cluster", "template", "validate", CT), (CT,), code=1, shape_code=2),
    Case(("cluster", "template", "sync", CT), (CT,), code=1, shape_code=2),
    Case(("cluster", "template", "diff", CT), (CT,), code=1, shape_code=2),
    Case(CLUSTER_CREATE, (MC,)),
    Case(("state", "show"), (STATE,), empty_code=0),
    Case(("state", "get", "provider_id"), (STATE,), empty_code=0),
    Case(("state", "set", "default_cores=4"), (STATE,), empty_code=0, may_change=(STATE,)),
    Case(("proxmox", "check"), (CONFIG,)),
    Case(("proxmox", "snapshot", "-o", "-"), (CONFIG,)),
    # a compose file without a provider service: the default provider, unreachable here (3)
    Case(("proxmox", "check"), (COMPOSE,), shape_code=3),
    Case(("proxmox", "snapshot", "-o", "-"), (COMPOSE,), shape_code=3),
    Case(("provider", "status"), (COMPOSE,)),
    Case(("provider", "status"), (CONFIG, ENV), code=1, may_change=(STATE,)),
    Case(("provider", "status"), (STATE,), code=1, may_change=(STATE,)),
    Case(("doctor", "--offline"), (COMPOSE, CONFIG, ENV), code=1),
    Case(("doctor", "--offline"), (STATE,), code=1, empty_code=0),
]

PARAMS = [
    pytest.param(case, target, corruption, id=f"{case.name}|{target}|{corruption}")
    for case in CASES
    for target in case.targets
    for corruption in CORRUPTIONS
    if not (corruption == "json-wrong-types" and not target.endswith((".json", EXTERNAL)))
]

RECORD = os.environ.get("ROBUSTNESS_RECORD")  # append the outcomes as JSON lines (debugging)


def _settled(changes: list[str], may_change: tuple[str, ...]) -> list[str]:
    return [c for c in changes if not c.endswith(".lock") and c[2:] not in may_change]


@pytest.mark.parametrize(("case", "target", "corruption"), PARAMS)
def test_bad_file(
    case: Case,
    target: str,
    corruption: str,
    homelab: Path,
    tmp_path: Path,
    cli: Any,
    fake_omnictl: Any,
    fake_docker: Any,
    snapshot_tree: Callable[[Path], Callable[[], list[str]]],
) -> None:
    external = tmp_path / "input-file"
    path = external if target == EXTERNAL else homelab / target
    path.write_bytes(CORRUPTIONS[corruption])
    args = [str(external) if a == EXTERNAL else a for a in case.args]
    changed = snapshot_tree(homelab)
    input_before = external.read_bytes() if external.exists() else None

    result = cli("--project-dir", homelab, *args)

    output = result.err + result.out
    if RECORD:
        with open(RECORD, "a") as out:
            line = {"id": f"{case.name}|{target}|{corruption}", "code": result.code}
            out.write(json.dumps({**line, "err": result.err[-400:], "changed": changed()}) + "\n")
    assert "Traceback" not in output and "internal error" not in output, output
    assert result.code == case.expected(corruption), output
    if result.code == 2:
        [line] = result.err.strip().splitlines()[-1:]
        assert line.startswith("omni-scale: error: ") and "hint:" in line, result.err
    if result.code in (1, 2) and corruption in UNREADABLE:
        assert path.name in output, f"the message does not name {path.name}: {output}"
    may_change = case.may_change if corruption == "empty" or target != STATE else ()
    assert _settled(changed(), may_change) == []
    if input_before is not None:
        assert external.read_bytes() == input_before
