"""`omni-scale provider status` returns within its --timeout when a probe hangs.

    uv run python bench/status.py [-n RUNS] [--timeout 3.0] [--margin 1.5]

A temporary project is set up for real (`provider setup --offline`); the fake `docker`
(tests/fakes/fake_docker.py) and the fake `omnictl` (tests/fakes/fake_omnictl.py) come first on
PATH and the Proxmox API is a loopback stand-in (tests/fakes/pve_standin.py). Each scenario
runs `omni-scale --json provider status --timeout TIMEOUT` as a whole process (median of RUNS):

- healthy: nothing hangs (the reference time);
- docker hangs: `docker compose ps` and `logs` sleep until killed;
- omnictl hangs: every `omnictl get` sleeps until killed;
- proxmox hangs: the API accepts the connection and never answers;
- all hang: the three at once.

Goal: every scenario returns within TIMEOUT + MARGIN seconds, the hanging checks are reported
`unknown`, the others keep their healthy verdict, and no child process outlives the command.
Exits 1 when a goal is missed. Contacts nothing but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from fakes.fixtures_docker import container, install_fake_docker  # noqa: E402
from fakes.fixtures_omnictl import (  # noqa: E402
    install_fake_omnictl,
    provider_combined_status,
    resource,
)

STANDIN = REPO / "tests" / "fakes" / "pve_standin.py"
TOKEN_ID = "omni@pve!bench"
CHECKS = ("container", "omni", "proxmox", "logs", "ids")


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never sends a byte (a hung API)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.held: list[socket.socket] = []
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/api2/json"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


def omni_scale() -> list[str]:
    script = Path(sys.executable).parent / "omni-scale"
    return [str(script)] if script.exists() else [sys.executable, "-m", "omni_scale"]


def make_key(provider_id: str) -> str:
    body = {"name": f"infra-provider:{provider_id}", "pgp_key": "-----BEGIN PGP-----\nX\n"}
    return base64.b64encode(json.dumps(body).encode()).decode()


def setup_project(root: Path, tmp: Path, env: dict[str, str], pve_url: str) -> None:
    (root / ".git").mkdir(parents=True)
    secret = tmp / "token-secret"
    secret.write_text("bench-secret\n")
    key = tmp / "key"
    key.write_text(make_key("proxmox") + "\n")
    argv = [
        *omni_scale(),
        "--project-dir",
        str(root),
        "provider",
        "setup",
        "--omni-endpoint",
        "https://omni.example.com",
        "--proxmox-url",
        pve_url,
        "--token-id",
        TOKEN_ID,
        "--token-secret-file",
        str(secret),
        "--key-file",
        str(key),
        "--offline",
    ]
    proc = subprocess.run(argv, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"bench: provider setup failed ({proc.returncode}): {proc.stderr}")


def set_proxmox_url(root: Path, url: str) -> None:
    config = root / "docker" / "config.yaml"
    lines = config.read_text().splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.lstrip().startswith("url:"):
            indent = line[: len(line) - len(line.lstrip())]
            lines[index] = f'{indent}url: "{url}"\n'
    config.write_text("".join(lines))


def run_status(
    root: Path, env: dict[str, str], timeout: float
) -> tuple[float, int, dict[str, Any]]:
    argv = [*omni_scale(), "--project-dir", str(root), "--json", "provider", "status"]
    started = time.perf_counter()
    proc = subprocess.run(
        [*argv, "--timeout", str(timeout)], env=env, capture_output=True, text=True, timeout=60
    )
    elapsed = time.perf_counter() - started
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        sys.exit(f"bench: status printed no JSON (exit {proc.returncode}): {proc.stderr[:400]}")
    return elapsed, proc.returncode, data


def survivors(marker: str) -> list[int]:
    """Our fakes still running: processes whose environment names this bench's scenarios."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"_SCENARIO={marker}".encode() in environ:
            found.append(int(entry.name))
    return found


def verdicts(data: dict[str, Any]) -> dict[str, str]:
    return {c["check"]: c["status"] for c in data.get("checks", [])}


def durations(data: dict[str, Any]) -> str:
    return " ".join(f"{c['check']}={c.get('duration_s', 0):.2f}" for c in data.get("checks", []))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=3.0, help="status --timeout (seconds)")
    parser.add_argument("--margin", type=float, default=1.5, help="allowed over the timeout")
    args = parser.parse_args()

    server = subprocess.Popen(
        [sys.executable, str(STANDIN), "2", "2", "0"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    silent = SilentServer()
    failures: list[str] = []
    rows: list[tuple[str, float, int, dict[str, str], str]] = []
    try:
        assert server.stdout is not None
        pve_url = server.stdout.readline().strip()
        with tempfile.TemporaryDirectory(prefix="omni-scale-bench-status-") as name:
            tmp = Path(name)
            docker = install_fake_docker(tmp / "docker")
            omnictl = install_fake_omnictl(tmp / "omnictl")
            env = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith("OMNI_") and "proxy" not in k.lower()
            }
            env.update(
                PATH=f"{docker.bin_dir}{os.pathsep}{omnictl.bin_dir}{os.pathsep}{env['PATH']}",
                HOME=str(tmp / "home"),
                NO_COLOR="1",
            )
            env.pop("CLAUDE_PROJECT_DIR", None)
            root = tmp / "project"
            setup_project(root, tmp, env, pve_url)
            docker.update(containers=[container()])
            docker.set_logs("provider-proxmox", ['{"level":"info","ts":1,"msg":"starting"}'])
            omnictl.add(
                resource("InfraProviders.omni.sidero.dev", "proxmox", namespace="infra-provider"),
                resource(
                    "InfraProviderStatuses.omni.sidero.dev",
                    "proxmox",
                    {"name": "Proxmox", "version": "v0.3.0"},
                    namespace="infra-provider",
                ),
                provider_combined_status("proxmox"),
            )
            healthy_docker, healthy_omnictl = docker.load(), omnictl.load()

            def scenario(docker_hangs: bool, omnictl_hangs: bool, proxmox_hangs: bool) -> None:
                docker.save(
                    {**healthy_docker, **({"hang": ["ps", "logs"]} if docker_hangs else {})}
                )
                hang = [{"args": ["get"], "hang": True}] if omnictl_hangs else []
                omnictl.save({**healthy_omnictl, "responses": hang})
                set_proxmox_url(root, silent.url if proxmox_hangs else pve_url)

            cases = [
                ("healthy", (False, False, False), set()),
                ("docker hangs", (True, False, False), {"container", "logs"}),
                ("omnictl hangs", (False, True, False), {"omni"}),
                ("proxmox hangs", (False, False, True), {"proxmox"}),
                # nothing but the id check answered: exit 3 (environment), as documented
                ("all hang", (True, True, True), {"container", "logs", "omni", "proxmox"}),
            ]
            run_status(root, env, args.timeout)  # warm-up (byte-code, page cache)
            for label, flags, hanging in cases:
                scenario(*flags)
                samples = []
                code, found, spent = 0, {}, ""
                for _ in range(args.runs):
                    elapsed, code, data = run_status(root, env, args.timeout)
                    samples.append(elapsed)
                    found, spent = verdicts(data), durations(data)
                    expected = {c: ("unknown" if c in hanging else "ok") for c in CHECKS}
                    if found != expected:
                        failures.append(f"{label}: checks {found}, expected {expected}")
                    want = 3 if len(hanging) == 4 else 1 if hanging else 0
                    if code != want:
                        failures.append(f"{label}: exit {code}")
                median = statistics.median(samples)
                if max(samples) > args.timeout + args.margin:
                    failures.append(
                        f"{label}: took {max(samples):.2f} s, over {args.timeout:g} s timeout "
                        f"+ {args.margin:g} s margin"
                    )
                rows.append((label, median, code, found, spent))
            time.sleep(0.3)  # a killed child needs a moment to be reaped
            leftovers = survivors(str(tmp))
            if leftovers:
                failures.append(f"child processes outlived the command: pids {leftovers}")
    finally:
        silent.close()
        if server.stdin is not None:
            server.stdin.close()
        server.wait(timeout=5)

    print(
        f"provider status --timeout {args.timeout:g} (whole process, median of {args.runs}); "
        f"goal: each <= {args.timeout + args.margin:g} s"
    )
    healthy_s = rows[0][1] if rows else 0.0
    for label, median, code, found, spent in rows:
        unknown = ", ".join(c for c, s in found.items() if s == "unknown") or "-"
        print(
            f"  {label:14} {median:6.2f} s  {median / healthy_s:5.1f}x healthy  "
            f"{median / args.timeout:4.2f}x timeout  exit {code}  unknown: {unknown}"
        )
        print(f"  {'':14} probe seconds (last run): {spent}")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    if not failures:
        print("ok: every scenario within the timeout plus the margin")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
