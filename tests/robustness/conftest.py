"""Shared helpers of the robustness tests: a full project, corruptions, tree snapshots."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from omni_scale.textio import MAX_FILE_BYTES

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "homelab"

# Nothing but loopback: port 9 (discard) is closed, so a command that goes on to connect fails
# at once with "connection refused" instead of looking up the example's .invalid host names.
DEAD_URL = "https://127.0.0.1:9"

ENV_TEXT = (
    f"OMNI_ENDPOINT={DEAD_URL}\nOMNI_INFRA_PROVIDER_KEY=placeholder-key-for-robustness-tests\n"
)


def _alias_bomb() -> bytes:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


# Every corruption a user file may suffer: name -> the bytes written in its place.
CORRUPTIONS: dict[str, bytes] = {
    "empty": b"",
    "binary": b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x03\x00>\x00",
    "invalid-utf8": b"metadata:\n  id: caf\xe9\n  other: \xff\xfe\n",
    "huge": b"# padding line\n" * (MAX_FILE_BYTES // 15 + 100),
    "deep": b"[" * 5000 + b"]" * 5000 + b"\n",
    "deep-block": "".join("  " * i + f"k{i}:\n" for i in range(200)).encode()
    + b"  " * 200
    + b"x\n",
    "alias-bomb": _alias_bomb(),
    # 2**30 keys once merged; the constructor used to expand it before any limit
    "merge-bomb": (
        "m0: &m0 {a: 1}\n"
        + "".join(f"m{i}: &m{i}\n  <<: [*m{i - 1}, *m{i - 1}]\n  k{i}: 1\n" for i in range(1, 30))
    ).encode(),
    "deep-dashes": b"- " * 100_000 + b"x\n",  # crashed libyaml's recursive composer
    "huge-int": b"metadata:\n  id: " + b"9" * 5000 + b"\n",
    "duplicate-keys": b"metadata:\n  id: a\n  id: b\nspec: {}\nspec: {}\n",
    "scalar": b"42\n",
    "wrong-types": (
        b"metadata: 5\nspec: [1, 2]\nkind: [Cluster]\nname: {a: b}\nproxmox: 7\n"
        b"services: 3\nnodes: oops\nformat: 1\nversion: latest\nurl: [x]\n"
    ),
    "json-wrong-types": b'{"format": 1, "version": "x", "nodes": {"a": 1}, "data": 5}\n',
    "unclosed": b"metadata:\n  id: [unclosed\nspec: {\n",
}


def tree_snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every path under root -> (sha256 of its bytes or a kind tag, its mode)."""
    result: dict[str, tuple[str, int]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = path.lstat()
            if stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISLNK(info.st_mode):
                digest = "link:" + os.readlink(path)
            elif stat.S_ISDIR(info.st_mode):
                digest = "dir"
            else:
                digest = "other"
            result[str(path.relative_to(root))] = (digest, stat.S_IMODE(info.st_mode))
    return result


def diff_trees(before: dict[str, tuple[str, int]], after: dict[str, tuple[str, int]]) -> list[str]:
    changes = [f"+ {p}" for p in sorted(after.keys() - before.keys())]
    changes += [f"- {p}" for p in sorted(before.keys() - after.keys())]
    changes += [f"~ {p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]]
    return changes


@pytest.fixture
def homelab(project: Path) -> Path:
    """A complete project: the homelab example, its .env and a state file, in a git root."""
    for item in EXAMPLE.iterdir():
        target = project / item.name
        if item.is_dir():
            shutil.copytree(item, target)
        else:
            shutil.copy2(item, target)
    for name in ("docker/config.yaml", ".claude/omni-scale.local.md"):
        path = project / name
        text = path.read_text()
        text = text.replace("https://pve1.example.invalid:8006", DEAD_URL)
        path.write_text(text.replace("https://omni.example.invalid", DEAD_URL))
    (project / ".env").write_text(ENV_TEXT)
    (project / ".env").chmod(0o600)
    (project / "docker" / "config.yaml").chmod(0o600)
    (project / ".claude" / "omni-scale.local.md").chmod(0o600)
    return project


@pytest.fixture
def snapshot_tree() -> Callable[[Path], Callable[[], list[str]]]:
    """snapshot_tree(root) -> check(); check() lists what changed under root since."""

    def take(root: Path) -> Callable[[], list[str]]:
        before = tree_snapshot(root)
        return lambda: diff_trees(before, tree_snapshot(root))

    return take
