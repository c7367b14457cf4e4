"""Start-up cost of the CLI's quick commands and of the plugin's SessionStart hook.

    uv run python bench/startup.py [-n RUNS] [--hook-goal 0.25] [--keep-no-bytecode]

Each command runs as a whole process (the venv's `omni-scale` console script, else
`python -m omni_scale`); the median CPU time (user + system, from wait4) of RUNS runs is compared
with that of `python -c pass` of the same interpreter, in the same run. CPU time, not wall time:
on a shared machine the wall time measures the other users too (it is printed as well).
Goals (x a bare interpreter): `--version` 1.5, `--help` and `lint --help` 3,
`selector check EXPR` and `lint ONE_FILE` (a MachineClass in a temporary project) 4.
The hook (`hooks/session_start.py`) runs the way Claude Code runs it: `python3
<hook>` with the SessionStart JSON on stdin (its `cwd` a temporary project holding a state file
with a recorded status) and no CLAUDE_PROJECT_DIR; its output must be the hook's JSON.
Exits 1 when a command misses its goal, or the hook takes more than HOOK_GOAL seconds of wall
time (Claude Code waits for it before the session starts; its own timeout is 5 s).

Byte-code: CI installs with `uv sync --compile-bytecode`. A machine with
PYTHONDONTWRITEBYTECODE=1 recompiles every module at every start, which measures the compiler,
not omni-scale; so unless --keep-no-bytecode is given, that variable is dropped for the runs
and warm-up runs write the .pyc files first.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HOOK = REPO / "hooks" / "session_start.py"
STATE = """\
---
provider_configured: true
provider_id: proxmox
omni_endpoint: https://omni.example.com
proxmox_endpoint: https://pve1.example.com:8006/api2/json
last_status:
  checked_at: "2026-11-25T20:00:00Z"
  exit_code: 1
  providers:
    proxmox: {container: ok, omni: ok, proxmox: ok, logs: warn, ids: ok}
  problems:
    - "logs: 2 error line(s); last: not authorized to access endpoint"
---

# omni-scale state

Notes kept by the user.
"""


FLOOR = "import ruamel.yaml.constructor, ruamel.yaml.resolver, cel_expr_python.cel"


def omni_scale_command() -> list[str]:
    script = Path(sys.executable).parent / "omni-scale"
    if script.exists():
        return [str(script)]
    found = shutil.which("omni-scale")
    return [found] if found else [sys.executable, "-m", "omni_scale"]


CLASS = """\
metadata:
  namespace: default
  type: MachineClasses.omni.sidero.dev
  id: workers
spec:
  autoprovision:
    providerid: proxmox
    providerdata: |
      cores: 2
      sockets: 1
      memory: 4096
      disk_size: 40
      storage_selector: name == "local-lvm"
"""


def run_once(
    argv: list[str], env: dict[str, str], stdin: bytes | None, ok: tuple[int, ...]
) -> tuple[float, float, bytes]:
    """(CPU seconds, wall seconds, stdout) of one whole process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as errors:
        given.write(stdin or b"")
        given.seek(0)
        proc = subprocess.Popen(argv, env=env, stdin=given, stdout=subprocess.PIPE, stderr=errors)
        assert proc.stdout is not None
        # communicate() would reap the child and lose its rusage: read stdout, then wait4
        out = proc.stdout.read()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        errors.seek(0)
        err = errors.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(argv)} failed ({proc.returncode}): {err.decode()[:600]}")
    return usage.ru_utime + usage.ru_stime, wall, out


def time_runs(
    argv: list[str],
    runs: int,
    env: dict[str, str],
    stdin: bytes | None = None,
    ok: tuple[int, ...] = (0,),
) -> tuple[float, float, bytes]:
    """Median CPU and wall seconds of `runs` runs of `argv` after two warm-up runs, and the
    last run's stdout."""
    cpu, wall = [], []
    out = b""
    for index in range(runs + 2):
        used, elapsed, out = run_once(argv, env, stdin, ok)
        if index >= 2:
            cpu.append(used)
            wall.append(elapsed)
    return statistics.median(cpu), statistics.median(wall), out


def system_python3() -> str:
    """The `python3` Claude Code would run: the first on PATH outside this virtualenv."""
    venv_bin = Path(sys.prefix) / "bin"
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if folder and Path(folder).resolve() != venv_bin.resolve():
            found = shutil.which("python3", path=folder)
            if found:
                return found
    return sys.executable


def time_hook(runs: int, env: dict[str, str], python3: str) -> tuple[float, float]:
    """The SessionStart hook in a temporary project with a state file; checks its output."""
    hook_env = {k: v for k, v in env.items() if k != "CLAUDE_PROJECT_DIR"}
    with tempfile.TemporaryDirectory(prefix="omni-scale-bench-hook-") as tmp:
        root = Path(tmp)
        (root / ".claude").mkdir()
        (root / ".claude" / "omni-scale.local.md").write_text(STATE)
        (root / "machine-classes").mkdir()
        (root / "machine-classes" / "workers.yaml").write_text("metadata: {id: workers}\n")
        payload = {
            "session_id": "bench",
            "transcript_path": str(root / "transcript.jsonl"),
            "cwd": str(root),
            "hook_event_name": "SessionStart",
            "source": "startup",
        }
        cpu, elapsed, out = time_runs(
            [python3, str(HOOK)], runs, hook_env, stdin=json.dumps(payload).encode()
        )
    try:
        context = json.loads(out)["hookSpecificOutput"]["additionalContext"]
    except (ValueError, KeyError, TypeError):
        sys.exit(f"the hook printed no SessionStart context: {out[:300]!r}")
    if "Provider 'proxmox' is configured" not in context:
        sys.exit(f"the hook did not read the state file: {context[:300]}")
    return cpu, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=15, help="runs per command (median)")
    parser.add_argument(
        "--hook-goal", type=float, default=0.25, help="seconds the hook may take (default 0.25)"
    )
    parser.add_argument(
        "--keep-no-bytecode",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE for the runs (measures source compilation too)",
    )
    args = parser.parse_args()
    env = dict(os.environ)
    if not args.keep_no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NO_COLOR"] = "1"
    command = omni_scale_command()
    python3 = system_python3()

    with tempfile.TemporaryDirectory(prefix="omni-scale-bench-start-") as tmp:
        project = Path(tmp)
        (project / "machine-classes").mkdir()
        one_file = project / "machine-classes" / "workers.yaml"
        one_file.write_text(CLASS)
        cases = [
            ("--version", ["--version"], 1.5),
            ("--help", ["--help"], 3.0),
            ("lint --help", ["lint", "--help"], 3.0),
            ("selector check EXPR", ["selector", "check", 'name == "local-lvm"'], 4.0),
            ("lint ONE_FILE", ["--project-dir", str(project), "lint", str(one_file)], 4.0),
        ]
        base_cpu, base_wall, _ = time_runs([sys.executable, "-c", "pass"], args.runs, env)
        results = [
            (name, *time_runs([*command, *argv], args.runs, env)[:2], goal)
            for name, argv, goal in cases
        ]
        # What any lint pays before reading a file: importing the YAML library (ruamel.yaml,
        # whose libyaml nodes yamlfast reads) and the CEL library. Printed, no goal of its own.
        floor_cpu, floor_wall, _ = time_runs([sys.executable, "-c", FLOOR], args.runs, env)
    hook_base_cpu, hook_base_wall, _ = time_runs([python3, "-c", "pass"], args.runs, env)
    hook_cpu, hook_wall = time_hook(args.runs, env, python3)

    print(f"command: {' '.join(command)}  (median of {args.runs} runs; CPU = user + system)")
    print(f"  {'':<33}{'CPU ms':>8}{'ratio':>8}{'goal':>7}{'wall ms':>10}")
    print(f"  {'python -c pass':<33}{base_cpu * 1000:8.1f}{'':>8}{'':>7}{base_wall * 1000:10.1f}")
    failed = []
    for name, cpu, wall, goal in results:
        ratio = cpu / base_cpu
        mark = "" if ratio <= goal else "  MISSED"
        print(
            f"  {'omni-scale ' + name:<33}{cpu * 1000:8.1f}{ratio:7.2f}x{goal:6.1f}x"
            f"{wall * 1000:10.1f}{mark}"
        )
        if ratio > goal:
            failed.append(f"{name}: {ratio:.2f}x a bare interpreter (goal {goal}x)")
    print(
        f"  {'(floor of lint: YAML + CEL imports)':<33}{floor_cpu * 1000:8.1f}"
        f"{floor_cpu / base_cpu:7.2f}x{'':>7}{floor_wall * 1000:10.1f}"
    )
    print(f"hook: {python3} hooks/session_start.py, SessionStart JSON on stdin")
    print(
        f"  {'python3 -c pass':<33}{hook_base_cpu * 1000:8.1f}{'':>15}{hook_base_wall * 1000:10.1f}"
    )
    print(
        f"  {'session_start.py':<33}{hook_cpu * 1000:8.1f}{hook_cpu / hook_base_cpu:7.2f}x"
        f"{'':>7}{hook_wall * 1000:10.1f}  goal: wall <= {args.hook_goal * 1000:.0f} ms"
    )
    if hook_wall > args.hook_goal:
        failed.append(f"the SessionStart hook took over {args.hook_goal:g} s")
    for line in failed:
        print(f"FAIL: {line}", file=sys.stderr)
    if not failed:
        print("ok: every command within its goal, the hook within its time")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
