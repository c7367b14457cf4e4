"""`omni-scale lint` against a floor and a peer, on the same generated files, in one run.

    uv run python bench/lint.py [-n FILES] [--rounds 3] [--floor-goal 1.5] [--peer-goal 0.6]
                                [--linear-goal 5.5] [--selectors 5]

Writes FILES MachineClass files (a few distinct storage selectors, extra disks on 3 of 4) into
a temporary project, and 5 x FILES into a second one. Then, as whole processes, paired (one of
each per round, ROUNDS rounds, the median kept):

  omni-scale  `omni-scale --project-dir P lint P/machine-classes` (project context included)
  floor       `python bench/lint_floor.py P/machine-classes`: PyYAML's C loader, each class's
              providerdata parsed, one reused jsonschema validator of the provider's schema
  yamllint    `yamllint P/machine-classes` (syntax and style only), the peer

The figure is CPU time (user + system of the process, from wait4), not wall time: on a shared
machine the wall time measures the other users too. Prints each process's CPU, wall time and
peak memory (max RSS), the ratios, and exits 1 when omni-scale's CPU is over FLOOR_GOAL x the
floor's, over PEER_GOAL x yamllint's, or when 5 x FILES cost over LINEAR_GOAL x FILES.
A last in-process run checks that each distinct selector was compiled once.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FLOOR = REPO / "bench" / "lint_floor.py"

SELECTORS = [
    'name == "local-lvm"',
    'storageType == "rbd"',
    'name == "vm_ssd" && availableSpace > 100u * 1024u * 1024u * 1024u',
    'storageType in ["lvmthin", "zfspool"]',
    'name.startsWith("ceph")',
    'node == "pve1" && name == "local-zfs"',
    "true",
]

CLASS = """\
# generated class {index}
metadata:
  namespace: default
  type: MachineClasses.omni.sidero.dev
  id: class-{index}
spec:
  autoprovision:
    providerid: proxmox
    providerdata: |
      cores: {cores}
      sockets: 1
      memory: {memory}
      disk_size: {disk}
      storage_selector: {selector}
      network_bridge: vmbr0
      disk_ssd: true
      disk_discard: true
{extra}"""

EXTRA_DISK = """\
      additional_disks:
        - disk_size: 100
          storage_selector: {selector}
"""


def generate(folder: Path, count: int, selectors: int) -> None:
    chosen = SELECTORS[: max(1, min(selectors, len(SELECTORS)))]
    for index in range(count):
        selector = chosen[index % len(chosen)]
        extra = EXTRA_DISK.format(selector=chosen[(index + 1) % len(chosen)]) if index % 4 else ""
        (folder / f"class-{index}.yaml").write_text(
            CLASS.format(
                index=index,
                cores=1 + index % 16,
                memory=2048 * (1 + index % 8),
                disk=20 + index % 200,
                selector=selector,
                extra=extra,
            )
        )


@dataclass
class Run:
    cpu: float  # seconds, user + system
    wall: float
    rss_mib: float  # peak resident set


def run(argv: list[str], env: dict[str, str], ok_codes: tuple[int, ...] = (0,)) -> Run:
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=errors)
        # communicate() would reap the child and lose its rusage: read stdout, then wait4
        out = proc.stdout.read()  # type: ignore[union-attr]
        proc.stdout.close()  # type: ignore[union-attr]
        _, status, usage = os.wait4(proc.pid, 0)
        errors.seek(0)
        err = errors.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode not in ok_codes:
        sys.exit(f"bench: {' '.join(argv)} exited {proc.returncode}: {(err or out).decode()[:600]}")
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024)


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.cpu for r in runs),
        statistics.median(r.wall for r in runs),
        max(r.rss_mib for r in runs),
    )


def omni_scale() -> list[str]:
    script = Path(sys.executable).parent / "omni-scale"
    return [str(script)] if script.exists() else [sys.executable, "-m", "omni_scale"]


def yamllint() -> list[str]:
    script = Path(sys.executable).parent / "yamllint"
    found = str(script) if script.exists() else shutil.which("yamllint")
    if not found:
        sys.exit("bench: yamllint is not installed (it is a dev dependency: uv sync)")
    return [found]


def selector_compilations(files: int, selectors: int) -> tuple[int, int]:
    """In-process lint of a small project: (selector compilations, distinct selectors)."""
    from omni_scale.core.selector.evaluate import _compile
    from omni_scale.lint.context import build_context
    from omni_scale.lint.engine import lint_files
    from omni_scale.project import Project

    with tempfile.TemporaryDirectory(prefix="omni-scale-bench-") as tmp:
        root = Path(tmp)
        (root / "machine-classes").mkdir()
        generate(root / "machine-classes", files, selectors)
        _compile.cache_clear()
        lint_files([root / "machine-classes"], build_context(Project(root)))
        return _compile.cache_info().misses, min(selectors, len(SELECTORS))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="paired rounds (median kept)")
    parser.add_argument("--floor-goal", type=float, default=1.5, help="max CPU ratio to the floor")
    parser.add_argument("--peer-goal", type=float, default=0.6, help="max CPU ratio to yamllint")
    parser.add_argument("--linear-goal", type=float, default=5.5, help="max cost of 5x the files")
    parser.add_argument("--selectors", type=int, default=5)
    args = parser.parse_args()
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure omni-scale, not the byte-code compiler
    env["NO_COLOR"] = "1"

    with tempfile.TemporaryDirectory(prefix="omni-scale-bench-lint-") as tmp:
        small, large = Path(tmp) / "small", Path(tmp) / "large"
        for root, count in ((small, args.files), (large, 5 * args.files)):
            (root / "machine-classes").mkdir(parents=True)
            generate(root / "machine-classes", count, args.selectors)

        def ours(root: Path) -> list[str]:
            return [
                *omni_scale(),
                "--project-dir",
                str(root),
                "lint",
                str(root / "machine-classes"),
            ]

        commands = {
            "omni-scale": ours(small),
            "floor": [sys.executable, str(FLOOR), str(small / "machine-classes")],
            "yamllint": [*yamllint(), str(small / "machine-classes")],
            "omni-scale 5x": ours(large),
        }
        # yamllint exits 1 on its style errors (none here, but its exit is not the point)
        ok = {"yamllint": (0, 1)}
        for name, argv in commands.items():  # warm-up: byte-code written, files in the cache
            if name != "omni-scale 5x":
                run(argv, env, ok.get(name, (0,)))
        samples: dict[str, list[Run]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, argv in commands.items():
                samples[name].append(run(argv, env, ok.get(name, (0,))))
        result = {name: median(runs) for name, runs in samples.items()}

    compiles, distinct = selector_compilations(200, args.selectors)
    ours_, floor, peer, large_ = (
        result["omni-scale"],
        result["floor"],
        result["yamllint"],
        result["omni-scale 5x"],
    )
    floor_ratio = ours_.cpu / floor.cpu
    peer_ratio = ours_.cpu / peer.cpu
    linear_ratio = large_.cpu / ours_.cpu
    print(
        f"lint of {args.files} generated MachineClass files, whole processes, paired, "
        f"median of {args.rounds} rounds (CPU = user + system)"
    )
    print(f"  {'':<16}{'CPU s':>8}{'wall s':>9}{'peak MiB':>10}{'CPU ratio':>11}")
    rows = [
        ("omni-scale", ours_, ""),
        ("floor", floor, f"{floor_ratio:.2f}x"),
        ("yamllint", peer, f"{peer_ratio:.2f}x"),
        (f"omni-scale {5 * args.files}", large_, f"{linear_ratio:.2f}x"),
    ]
    for name, r, ratio in rows:
        print(f"  {name:<16}{r.cpu:8.3f}{r.wall:9.3f}{r.rss_mib:10.1f}{ratio:>11}")
    print("  (ratio: omni-scale's CPU over the floor's and over yamllint's; 5x files over 1x)")
    print(f"  selector compilations: {compiles} for {distinct} distinct selectors (in-process)")
    failed = []
    if floor_ratio > args.floor_goal:
        failed.append(f"{floor_ratio:.2f}x the floor (goal <= {args.floor_goal}x)")
    if peer_ratio > args.peer_goal:
        failed.append(f"{peer_ratio:.2f}x yamllint (goal <= {args.peer_goal}x)")
    if linear_ratio > args.linear_goal:
        failed.append(f"5x the files cost {linear_ratio:.2f}x (goal <= {args.linear_goal}x)")
    if compiles != distinct:
        failed.append(f"{compiles} selector compilations for {distinct} distinct selectors")
    for line in failed:
        print(f"FAIL: {line}", file=sys.stderr)
    if not failed:
        print(
            f"ok: <= {args.floor_goal}x the floor, <= {args.peer_goal}x yamllint, "
            f"5x the files <= {args.linear_goal}x"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
