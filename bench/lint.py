"""Lint 1,000 generated MachineClass files in one process.

    uv run python bench/lint.py [-n FILES] [--goal 2.0] [--selectors 5]

Writes FILES classes (a few distinct storage selectors, some with additional disks) into a
temporary project and runs the lint engine over the folder in-process, so the interpreter start
is not counted (see bench/startup.py for that). Each distinct selector should be compiled once.
Prints the time and exits 1 when it is over GOAL seconds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--files", type=int, default=1000)
    parser.add_argument("--goal", type=float, default=2.0, help="seconds")
    parser.add_argument("--selectors", type=int, default=5)
    args = parser.parse_args()

    from omni_scale.core.selector.evaluate import _compile
    from omni_scale.lint.context import build_context
    from omni_scale.lint.engine import lint_files
    from omni_scale.project import Project

    with tempfile.TemporaryDirectory(prefix="omni-scale-bench-") as tmp:
        root = Path(tmp)
        folder = root / "machine-classes"
        folder.mkdir()
        generate(folder, args.files, args.selectors)
        _compile.cache_clear()
        start = time.perf_counter()
        cpu_start = time.process_time()
        ctx = build_context(Project(root))
        context_s = time.perf_counter() - start
        report = lint_files([folder], ctx)
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        compiles = _compile.cache_info().misses
    if report.errors:
        print(f"unexpected lint errors: {report.problems[:3]}", file=sys.stderr)
        return 1
    verdict = "ok" if elapsed <= args.goal else "SLOW"
    print(
        f"linted {len(report.files)} files ({report.warnings} warnings) in {elapsed:.2f} s "
        f"({1000 * elapsed / max(1, len(report.files)):.2f} ms/file); goal {args.goal:.1f} s: "
        f"{verdict}"
    )
    print(
        f"  CPU time {cpu:.2f} s ({cpu / elapsed:.0%} of the wall time: the rest is waiting for "
        "the CPU on a loaded machine, or I/O)"
    )
    print(
        f"  project context {context_s:.2f} s; {compiles} selector compilations for "
        f"{len(report.files)} files (each distinct selector compiled once)"
    )
    return 0 if elapsed <= args.goal else 1


if __name__ == "__main__":
    raise SystemExit(main())
