"""Lint a cluster template that references 1,000 generated config patch files, in one process.

    uv run python bench/lint_patches.py [-n PATCHES] [--goal 2.0]

Every patch file is read, parsed once and checked against the Talos key table of the
template's talos.version (ct-patch-content), the rest of the template rules run as usual.
Prints the time and exits 1 when it is over GOAL seconds (the lint goal of bench/lint.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

PATCHES = [
    "machine:\n  kubelet:\n    extraArgs:\n      max-pods: '{n}'\n",
    "machine:\n  sysctls:\n    vm.nr_hugepages: '{n}'\n  kernel:\n    modules:\n"
    "      - name: nvme_tcp\n",
    "machine:\n  network:\n    nameservers: [192.0.2.{m}]\n  time:\n    servers: [time.example]\n",
    "cluster:\n  network:\n    cni:\n      name: none\n  proxy:\n    disabled: true\n",
    "apiVersion: v1alpha1\nkind: NetworkRuleConfig\nname: rule-{n}\nportSelector:\n"
    "  ports: [{port}]\n  protocol: tcp\ningress:\n  - subnet: 192.0.2.0/24\n",
]

HEAD = """\
kind: Cluster
name: bench
kubernetes:
  version: v1.33.0
talos:
  version: v1.10.3
---
kind: ControlPlane
machineClass: {name: cp, size: 1}
---
kind: Workers
machineClass: {name: w, size: 1}
patches:
"""


def generate(root: Path, count: int) -> Path:
    folder = root / "clusters" / "patches"
    folder.mkdir(parents=True)
    lines = [HEAD]
    for index in range(count):
        text = PATCHES[index % len(PATCHES)].format(n=index, m=1 + index % 250, port=1 + index)
        (folder / f"p{index}.yaml").write_text(text)
        lines.append(f"  - file: patches/p{index}.yaml\n")
    template = root / "clusters" / "bench.yaml"
    template.write_text("".join(lines))
    return template


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--patches", type=int, default=1000)
    parser.add_argument("--goal", type=float, default=2.0, help="seconds")
    args = parser.parse_args()

    from omni_scale.lint.context import build_context
    from omni_scale.lint.engine import lint_files
    from omni_scale.project import Project

    with tempfile.TemporaryDirectory(prefix="omni-scale-bench-") as tmp:
        root = Path(tmp)
        template = generate(root, args.patches)
        start = time.perf_counter()
        cpu_start = time.process_time()
        report = lint_files([template], build_context(Project(root)))
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
    if report.errors:
        print(f"unexpected lint errors: {report.problems[:3]}", file=sys.stderr)
        return 1
    verdict = "ok" if elapsed <= args.goal else "SLOW"
    print(
        f"linted a template with {args.patches} patch files in {elapsed:.2f} s "
        f"({1000 * elapsed / max(1, args.patches):.2f} ms/patch); goal {args.goal:.1f} s: {verdict}"
    )
    print(
        f"  CPU time {cpu:.2f} s ({cpu / elapsed:.0%} of the wall time: the rest is waiting for "
        "the CPU on a loaded machine, or I/O)"
    )
    return 0 if elapsed <= args.goal else 1


if __name__ == "__main__":
    raise SystemExit(main())
