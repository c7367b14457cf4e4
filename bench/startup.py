"""Start-up time of `omni-scale --version` and `--help` against a bare interpreter.

    uv run python bench/startup.py [-n RUNS] [--limit 3.0] [--keep-no-bytecode]

Each command runs as a whole process (the venv's `omni-scale` console script, else
`python -m omni_scale`); the median of RUNS is compared with `python -c pass` of the same
interpreter. Exits 1 when `--version` takes more than LIMIT times the bare start.

Byte-code: CI installs with `uv sync --compile-bytecode`. A machine with
PYTHONDONTWRITEBYTECODE=1 recompiles every module at every start, which measures the compiler,
not omni-scale; so unless --keep-no-bytecode is given, that variable is dropped for the runs
and warm-up runs write the .pyc files first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def omni_scale_command() -> list[str]:
    script = Path(sys.executable).parent / "omni-scale"
    if script.exists():
        return [str(script)]
    found = shutil.which("omni-scale")
    return [found] if found else [sys.executable, "-m", "omni_scale"]


def time_runs(argv: list[str], runs: int, env: dict[str, str]) -> float:
    """Median wall time (seconds) of `runs` runs of `argv`, after two warm-up runs."""
    samples = []
    for index in range(runs + 2):
        started = time.perf_counter()
        proc = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            sys.exit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.decode()}")
        if index >= 2:
            samples.append(elapsed)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=int, default=15, help="runs per command (median)")
    parser.add_argument("--limit", type=float, default=3.0, help="allowed --version ratio")
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

    baseline = time_runs([sys.executable, "-c", "pass"], args.runs, env)
    version = time_runs([*command, "--version"], args.runs, env)
    help_ = time_runs([*command, "--help"], args.runs, env)

    print(f"command: {' '.join(command)}  (median of {args.runs} runs)")
    print(f"  python -c pass        {baseline * 1000:7.1f} ms")
    print(f"  omni-scale --version  {version * 1000:7.1f} ms  {version / baseline:5.2f}x")
    print(f"  omni-scale --help     {help_ * 1000:7.1f} ms  {help_ / baseline:5.2f}x")
    if version / baseline > args.limit:
        print(f"FAIL: --version is over {args.limit}x a bare interpreter start", file=sys.stderr)
        return 1
    print(f"ok: --version within {args.limit}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
