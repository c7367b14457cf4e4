"""Start-up time of `omni-scale --version`, `--help` and the plugin's SessionStart hook.

    uv run python bench/startup.py [-n RUNS] [--limit 3.0] [--hook-goal 0.25] [--keep-no-bytecode]

Each command runs as a whole process (the venv's `omni-scale` console script, else
`python -m omni_scale`); the median of RUNS is compared with `python -c pass` of the same
interpreter. The hook (`hooks/session_start.py`) runs the way Claude Code runs it: `python3
<hook>` with the SessionStart JSON on stdin (its `cwd` a temporary project holding a state file
with a recorded status) and no CLAUDE_PROJECT_DIR; its output must be the hook's JSON.
Exits 1 when `--version` takes more than LIMIT times the bare start, or the hook more than
HOOK_GOAL seconds (Claude Code waits for it before the session starts; its own timeout is 5 s).

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


def omni_scale_command() -> list[str]:
    script = Path(sys.executable).parent / "omni-scale"
    if script.exists():
        return [str(script)]
    found = shutil.which("omni-scale")
    return [found] if found else [sys.executable, "-m", "omni_scale"]


def time_runs(
    argv: list[str], runs: int, env: dict[str, str], stdin: bytes | None = None
) -> tuple[float, bytes]:
    """Median wall time (seconds) of `runs` runs of `argv` after two warm-up runs, and the
    last run's stdout."""
    samples = []
    out = b""
    for index in range(runs + 2):
        started = time.perf_counter()
        proc = subprocess.run(argv, env=env, input=stdin, capture_output=True)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.decode()}")
        if index >= 2:
            samples.append(elapsed)
        out = proc.stdout
    return statistics.median(samples), out


def system_python3() -> str:
    """The `python3` Claude Code would run: the first on PATH outside this virtualenv."""
    venv_bin = Path(sys.prefix) / "bin"
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if folder and Path(folder).resolve() != venv_bin.resolve():
            found = shutil.which("python3", path=folder)
            if found:
                return found
    return sys.executable


def time_hook(runs: int, env: dict[str, str], python3: str) -> float:
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
        elapsed, out = time_runs(
            [python3, str(HOOK)], runs, hook_env, stdin=json.dumps(payload).encode()
        )
    try:
        context = json.loads(out)["hookSpecificOutput"]["additionalContext"]
    except (ValueError, KeyError, TypeError):
        sys.exit(f"the hook printed no SessionStart context: {out[:300]!r}")
    if "Provider 'proxmox' is configured" not in context:
        sys.exit(f"the hook did not read the state file: {context[:300]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=15, help="runs per command (median)")
    parser.add_argument("--limit", type=float, default=3.0, help="allowed --version ratio")
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
    command = omni_scale_command()

    python3 = system_python3()

    baseline, _ = time_runs([sys.executable, "-c", "pass"], args.runs, env)
    version, _ = time_runs([*command, "--version"], args.runs, env)
    help_, _ = time_runs([*command, "--help"], args.runs, env)
    hook_base, _ = time_runs([python3, "-c", "pass"], args.runs, env)
    hook = time_hook(args.runs, env, python3)

    print(f"command: {' '.join(command)}  (median of {args.runs} runs)")
    print(f"  python -c pass        {baseline * 1000:7.1f} ms")
    print(f"  omni-scale --version  {version * 1000:7.1f} ms  {version / baseline:5.2f}x")
    print(f"  omni-scale --help     {help_ * 1000:7.1f} ms  {help_ / baseline:5.2f}x")
    print(f"hook: {python3} hooks/session_start.py, SessionStart JSON on stdin")
    print(f"  python3 -c pass       {hook_base * 1000:7.1f} ms")
    print(f"  session_start.py      {hook * 1000:7.1f} ms  {hook / hook_base:5.2f}x")
    failed = False
    if version / baseline > args.limit:
        print(f"FAIL: --version is over {args.limit}x a bare interpreter start", file=sys.stderr)
        failed = True
    else:
        print(f"ok: --version within {args.limit}x")
    if hook > args.hook_goal:
        print(f"FAIL: the SessionStart hook took over {args.hook_goal:g} s", file=sys.stderr)
        failed = True
    else:
        print(f"ok: the SessionStart hook within {args.hook_goal:g} s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
