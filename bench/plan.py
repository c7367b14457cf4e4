"""`machineclass plan --all --live` on a large cluster behind a slow loopback API, and
`cluster plan` of big templates from a snapshot.

    uv run python bench/plan.py [-n RUNS] [--goal 0.5] [--snapshot-goal 0.6]
                                [--cluster-goal 0.3] [--nodes 32] [--storages 12]

A loopback stand-in of the Proxmox API (tests/fakes/pve_standin.py) serves NODES nodes with
STORAGES storages each and adds 20 ms to every request. A temporary project with 10 machine
classes is planned live, in-process (`omni_scale.cli.main.main`, so the interpreter start is not
counted: see bench/startup.py for that). The median of RUNS is compared with GOAL seconds and
with the same plan run one request at a time (OMNI_SCALE_PROXMOX_CONCURRENCY=1). Then a full
`proxmox snapshot` (every node's storages, bridges and VMs), median of RUNS, against
SNAPSHOT_GOAL seconds and against the ideal `requests x latency / concurrency` (the stand-in
counts the requests), with the client's CPU time.

Then the inventory is saved as a snapshot and `cluster plan` replays TEMPLATES templates of
MACHINES machines each (3 control planes, the rest in two worker sets, every request through the
v0.2.0 ledger) from it, in-process; the median is compared with --cluster-goal, and the same
plan with ten times the machines shows whether the cost grows linearly (ratio ~10).
Exits 1 when a goal is missed. Contacts nothing but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from omni_scale.adapters.proxmox.client import DEFAULT_CONCURRENCY

REPO = Path(__file__).resolve().parents[1]
STANDIN = REPO / "tests" / "fakes" / "pve_standin.py"
LATENCY = 0.020
CLASSES = 10
TEMPLATES = 3
MACHINES = 50


def make_project(root: Path, url: str, storages: int) -> None:
    (root / ".git").mkdir()
    (root / "docker").mkdir()
    (root / "docker" / "config.yaml").write_text(
        f'proxmox:\n  url: "{url}"\n  tokenID: "omni@pve!bench"\n  tokenSecret: "bench"\n'
    )
    folder = root / "machine-classes"
    folder.mkdir()
    odd = [s for s in range(storages) if s % 2] or [0]  # the lvmthin (images) stores
    for index in range(CLASSES):
        store = odd[index % len(odd)]
        pinned = f"      node: pve{index + 1}\n" if index % 3 == 0 else ""
        (folder / f"class-{index}.yaml").write_text(
            "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n"
            f"  id: class-{index}\nspec:\n  autoprovision:\n    providerid: proxmox\n"
            "    providerdata: |\n      cores: 2\n      sockets: 1\n      memory: 4096\n"
            f"      disk_size: 32\n{pinned}"
            f'      storage_selector: name == "store{store}" && availableSpace > 100u\n'
        )


def write_templates(root: Path, machines: int) -> None:
    """TEMPLATES clusters of `machines` machines: 3 control planes, two worker sets."""
    compose = root / "docker" / "compose.yaml"
    compose.write_text(
        "services:\n  provider:\n    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:"
        "v0.2.0\n    command: [--id=proxmox, --config-file=/config.yaml]\n"
        "    volumes:\n      - ./config.yaml:/config.yaml:ro\n"
    )
    folder = root / "clusters"
    folder.mkdir(exist_ok=True)
    workers = machines - 3
    for index in range(TEMPLATES):
        (folder / f"c{index}.yaml").write_text(
            f"kind: Cluster\nname: c{index}\nkubernetes:\n  version: v1.33.3\n"
            "talos:\n  version: v1.10.6\n---\n"
            "kind: ControlPlane\nmachineClass:\n  name: class-1\n  size: 3\n---\n"
            f"kind: Workers\nmachineClass:\n  name: class-2\n  size: {workers // 2}\n---\n"
            "kind: Workers\nname: big\nmachineClass:\n  name: class-4\n"
            f"  size: {workers - workers // 2}\n"
        )


def cluster_plan_once(root: Path) -> tuple[float, int]:
    from omni_scale.cli.main import main

    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(["--project-dir", str(root), "--json", "cluster", "plan"])  # 1: does not fit
    elapsed = time.perf_counter() - started
    data = json.loads(out.getvalue())
    planned = sum(len(s["machines"]) for c in data["clusters"] for s in c["sets"])
    return elapsed, planned


def cluster_median(root: Path, runs: int, machines: int) -> float:
    write_templates(root, machines)
    cluster_plan_once(root)  # warm-up for this size
    samples = []
    for _ in range(runs):
        elapsed, planned = cluster_plan_once(root)
        if planned != TEMPLATES * machines:
            sys.exit(f"bench: cluster plan placed {planned} of {TEMPLATES * machines} machines")
        samples.append(elapsed)
    return statistics.median(samples)


def plan_once(root: Path) -> tuple[float, int, dict[str, object]]:
    from omni_scale.cli.main import main

    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = main(
            ["--project-dir", str(root), "--json", "machineclass", "plan", "--all", "--live"]
        )
    elapsed = time.perf_counter() - started
    return elapsed, code, json.loads(out.getvalue())


def snapshot_once(root: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one `proxmox snapshot` in-process."""
    from omni_scale.cli.main import main

    out = io.StringIO()
    started = time.perf_counter()
    cpu = time.process_time()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--project-dir", str(root), "proxmox", "snapshot", "-o", "-"])
    elapsed = time.perf_counter() - started
    if code != 0:
        sys.exit(f"bench: proxmox snapshot failed (exit {code})")
    return elapsed, time.process_time() - cpu


def median_run(root: Path, runs: int, concurrency: str | None) -> float:
    if concurrency is None:
        os.environ.pop("OMNI_SCALE_PROXMOX_CONCURRENCY", None)
    else:
        os.environ["OMNI_SCALE_PROXMOX_CONCURRENCY"] = concurrency
    samples = []
    for _ in range(runs):
        elapsed, code, data = plan_once(root)
        classes = data.get("classes")
        if code != 0 or not isinstance(classes, list) or len(classes) != CLASSES:
            sys.exit(f"bench: the plan itself failed (exit {code}): {json.dumps(data)[:400]}")
        samples.append(elapsed)
    return statistics.median(samples)


def _hits(server: subprocess.Popen[str]) -> str:
    """The stand-in's request count so far (it answers a line on stdin with the count)."""
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write("count\n")
    server.stdin.flush()
    return server.stdout.readline().strip() or "0"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=5)
    parser.add_argument("--goal", type=float, default=0.5, help="plan seconds (default 0.5)")
    parser.add_argument(
        "--snapshot-goal", type=float, default=0.6, help="snapshot seconds (default 0.6)"
    )
    parser.add_argument(
        "--cluster-goal", type=float, default=0.3, help="seconds for cluster plan (0.3)"
    )
    parser.add_argument("--nodes", type=int, default=32)
    parser.add_argument("--storages", type=int, default=12)
    args = parser.parse_args()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        os.environ.pop(name, None)

    # The API stand-in runs in its own process, like a real server: it must not share this
    # interpreter's lock with the client being measured.
    server = subprocess.Popen(
        [sys.executable, str(STANDIN), str(args.nodes), str(args.storages), str(LATENCY)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        url = server.stdout.readline().strip()
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "project"
            root.mkdir()
            make_project(root, url, args.storages)
            plan_once(root)  # warm-up: imports, CEL compile cache
            concurrent = median_run(root, args.runs, None)
            sequential = median_run(root, 1, "1")
            plan_requests = int(_hits(server))
            os.environ.pop("OMNI_SCALE_PROXMOX_CONCURRENCY", None)
            snapshots = [snapshot_once(root) for _ in range(args.runs)]
            full = statistics.median(wall for wall, _ in snapshots)
            full_cpu = statistics.median(cpu for _, cpu in snapshots)
            after_concurrent = int(_hits(server))
            os.environ["OMNI_SCALE_PROXMOX_CONCURRENCY"] = "1"
            full_sequential, _ = snapshot_once(root)
            os.environ.pop("OMNI_SCALE_PROXMOX_CONCURRENCY", None)
            full_requests = (after_concurrent - plan_requests) // args.runs
            quiet = contextlib.redirect_stdout(io.StringIO())
            with quiet, contextlib.redirect_stderr(io.StringIO()):
                from omni_scale.cli.main import main as cli_main

                cli_main(["--project-dir", str(root), "proxmox", "snapshot"])
            (root / "docker" / "config.yaml").unlink()  # plan from the snapshot only
            small = cluster_median(root, args.runs, MACHINES)
            large = cluster_median(root, max(1, args.runs // 2), MACHINES * 10)
        server.stdin.close()
        server.stdout.readline()
        per_run = plan_requests // (args.runs + 2)
    finally:
        server.kill() if server.poll() is None else None
        server.wait()
    ratio = sequential / concurrent if concurrent else float("inf")
    print(
        f"plan --all --live, {CLASSES} classes, {args.nodes} nodes x {args.storages} storages, "
        f"{per_run} requests at {LATENCY * 1000:.0f} ms each"
    )
    print(f"  concurrent: {concurrent:.3f} s (median of {args.runs})")
    print(f"  sequential: {sequential:.3f} s (one request at a time)")
    print(f"  speed-up:   {ratio:.1f}x   goal: < {args.goal:.2f} s")
    ideal = full_requests * LATENCY / DEFAULT_CONCURRENCY
    print(
        f"full inventory (proxmox snapshot), {full_requests} requests at "
        f"{LATENCY * 1000:.0f} ms, {DEFAULT_CONCURRENCY} at a time:"
    )
    print(f"  concurrent: {full:.3f} s (median of {args.runs}; client CPU {full_cpu:.3f} s)")
    print(f"  sequential: {full_sequential:.3f} s ({full_sequential / full:.1f}x slower)")
    print(
        f"  ideal:      {ideal:.3f} s (requests x latency / concurrency); "
        f"concurrent is {full / ideal:.2f}x the ideal   goal: <= {args.snapshot_goal:.2f} s"
    )
    print(
        f"cluster plan from a snapshot, {TEMPLATES} templates x {MACHINES} machines on "
        f"{args.nodes} nodes x {args.storages} storages: {small:.3f} s (median of {args.runs}); "
        f"goal: < {args.cluster_goal:.2f} s"
    )
    print(
        f"  x10 machines ({TEMPLATES} x {MACHINES * 10}): {large:.3f} s, ratio "
        f"{large / small:.1f} for 10x the machines (linear: ~10)"
    )
    failed = False
    if concurrent >= args.goal:
        print(f"bench: plan goal MISSED ({concurrent:.3f} s)", file=sys.stderr)
        failed = True
    if full > args.snapshot_goal:
        print(f"bench: snapshot goal MISSED ({full:.3f} s)", file=sys.stderr)
        failed = True
    if small >= args.cluster_goal:
        print("bench: cluster plan goal MISSED", file=sys.stderr)
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
