"""Cost of the plugin's SessionStart hook against a bare interpreter, and its always-on tokens.

    uv run python bench/hook.py [-n PAIRS] [--goal 1.3] [--python python3] [--no-tokens]

The hook runs in every session of every project, so its cost is measured against what the same
interpreter costs doing nothing (`python3 -c pass`), in paired runs: each pair runs both, in
alternating order, so a busy machine slows both sides alike. Two scenarios, run the way Claude
Code runs the hook (`python3 hooks/session_start.py`, cwd and CLAUDE_PROJECT_DIR = the project,
CLAUDE_PLUGIN_ROOT and CLAUDE_PLUGIN_DATA set, the SessionStart JSON on stdin):

- no state file: a project without `.claude/omni-scale.local.md` (the common case: prints
  nothing);
- state file: a project whose state holds a recorded provider status (prints the summary).

Warm-up runs come first (the hook caches its byte-code under CLAUDE_PLUGIN_DATA, as it does
after the first session, even under PYTHONDONTWRITEBYTECODE). Prints the medians, the ratio of
the medians and the median of the per-pair ratios; exits 1 when a ratio of medians exceeds GOAL.

With the pinned `claude` CLI (PATH or .ci/.cache/npm), it also prints the always-on token cost
from `claude --plugin-dir <repo> plugin details omni-scale` (offline, throwaway HOME).
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
CLAUDE_LOCAL = REPO / ".ci" / ".cache" / "npm" / "node_modules" / ".bin" / "claude"
STATE = """\
---
provider_configured: true
provider_id: proxmox
omni_endpoint: https://omni.example.com
proxmox_endpoint: https://pve1.example.com:8006/api2/json
last_status:
  checked_at: "2026-11-25T20:00:00Z"
  health: degraded
  exit_code: 1
  providers:
    proxmox: {container: ok, omni: ok, proxmox: ok, logs: fail}
  ids: ok
  problems:
    - "proxmox: logs: 2 error line(s); last: not authorized to access endpoint"
---

# omni-scale state

Notes kept by the user.
"""


def real_python(name: str) -> str:
    """The interpreter `name` resolves to (a pyenv shim is a shell script: measure what it runs)."""
    found = shutil.which(name) or name
    proc = subprocess.run(
        [found, "-c", "import sys; print(sys.executable)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip() or found


def timed(command: list[str], env: dict[str, str], cwd: Path, stdin: str) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, cwd=cwd)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{command} exited {proc.returncode}: {proc.stderr}")
    return elapsed, proc.stdout


def scenario(
    python: str, project: Path, data: Path, pairs: int, expect_output: bool
) -> tuple[float, float, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE")}
    env.update(
        CLAUDE_PROJECT_DIR=str(project),
        CLAUDE_PLUGIN_ROOT=str(REPO),
        CLAUDE_PLUGIN_DATA=str(data),
    )
    payload = json.dumps(
        {
            "session_id": "bench",
            "hook_event_name": "SessionStart",
            "source": "startup",
            "cwd": str(project),
            "transcript_path": str(project / "t.jsonl"),
        }
    )
    bare = [python, "-c", "pass"]
    hook = [python, str(HOOK)]
    for _ in range(3):  # warm-up: file cache, byte-code under CLAUDE_PLUGIN_DATA
        _, out = timed(hook, env, project, payload)
        timed(bare, env, project, payload)
    if expect_output:
        context = json.loads(out)["hookSpecificOutput"]["additionalContext"]
        if "Last provider status: NOT healthy" not in context:
            raise SystemExit(f"unexpected hook output: {out}")
    elif out:
        raise SystemExit(f"the hook printed something without a state file: {out}")
    bare_times: list[float] = []
    hook_times: list[float] = []
    for index in range(pairs):
        order = [(bare, bare_times), (hook, hook_times)]
        if index % 2:
            order.reverse()
        for command, into in order:
            into.append(timed(command, env, project, payload)[0])
    ratios = [h / b for h, b in zip(hook_times, bare_times, strict=True)]
    return statistics.median(bare_times), statistics.median(hook_times), statistics.median(ratios)


def always_on_tokens() -> str | None:
    claude = shutil.which("claude") or (str(CLAUDE_LOCAL) if CLAUDE_LOCAL.exists() else None)
    if claude is None:
        return None
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAUDE", "ANTHROPIC"))}
        env.update(
            HOME=home,
            DISABLE_AUTOUPDATER="1",
            DISABLE_TELEMETRY="1",
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1",
            NO_COLOR="1",
        )
        proc = subprocess.run(
            [claude, "--plugin-dir", str(REPO), "plugin", "details", "omni-scale"],
            capture_output=True,
            text=True,
            env=env,
            cwd=home,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
    lines = [line.strip() for line in proc.stdout.splitlines()]
    found = [line for line in lines if line.startswith("Always-on:")]
    return found[0] if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", "--pairs", type=int, default=40)
    parser.add_argument("--goal", type=float, default=1.3)
    parser.add_argument("--python", default="python3", help="as Claude Code finds it on PATH")
    parser.add_argument("--no-tokens", action="store_true", help="skip `claude plugin details`")
    args = parser.parse_args()
    if args.pairs < 1 or args.goal <= 0:
        parser.error("PAIRS must be >= 1 and GOAL > 0")
    python = real_python(args.python)
    version = subprocess.run(
        [python, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"hook: {python} hooks/session_start.py ({version}), {args.pairs} paired runs")
    print(f"  {'scenario':<16} {'bare':>9} {'hook':>9} {'ratio':>7} {'pair median':>12}")
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        empty = root / "no-state"
        empty.mkdir()
        project = root / "state"
        (project / ".claude").mkdir(parents=True)
        (project / ".claude" / "omni-scale.local.md").write_text(STATE, encoding="utf-8")
        for name, where, expect in (("no state file", empty, False), ("state file", project, True)):
            bare, hook, pair = scenario(python, where, root / "plugin-data", args.pairs, expect)
            ratio = hook / bare
            print(
                f"  {name:<16} {bare * 1000:7.1f}ms {hook * 1000:7.1f}ms {ratio:6.2f}x "
                f"{pair:11.2f}x"
            )
            if ratio > args.goal:
                failed.append(name)
    if not args.no_tokens:
        tokens = always_on_tokens()
        print(f"plugin details: {tokens or 'claude CLI not found (skipped)'}")
    for name in failed:
        print(f"MISSED: hook with {name} above {args.goal}x a bare interpreter")
    if not failed:
        print(f"ok: the hook within {args.goal}x a bare interpreter, with and without a state file")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
