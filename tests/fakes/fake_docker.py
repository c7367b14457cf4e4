"""A stand-in for the `docker` CLI with the Compose v2 plugin (stdlib only), driven by a scenario.

Tests never run this directly: the `fake_docker` fixture (tests/fakes/fixtures_docker.py)
writes a scenario and puts a wrapper named `docker` first on PATH. The wrapper runs
`FAKE_DOCKER_SCENARIO=<file> <python> fake_docker.py "$@"`.

Scenario (JSON object; every key optional):

    {
      "engine": "running",            # "down": every engine call fails like a stopped daemon
      "compose_plugin": true,         # false: `docker compose` is an unknown command
      "compose_version": "2.29.7",    # < 2.21 prints `ps --format json` as one JSON array,
                                      # newer versions print one JSON object per line
      "engine_version": "28.2.2",
      "services": ["provider-proxmox"],  # services of the compose file (`no such service`)
      "project": "docker",            # compose project name (container names <project>-<svc>-1)
      "containers": [                 # what `ps` shows; see container() in fixtures_docker.py
        {"Service": "provider-proxmox", "State": "running", "Health": "", "ExitCode": 0,
         "Image": "...", "Status": "Up 5 minutes", "RestartCount": 0,
         "StartedAt": "2026-11-25T19:00:00.000000000Z"}
      ],
      "logs": {"provider-proxmox": ["line", ...]},   # `logs` output per service
      "hang": ["ps"],                 # subcommands that sleep until killed; each hanging call
                                      # first starts a child that sleeps too (like a compose
                                      # plugin process) and writes both pids to
      "pid_dir": "...",               # <pid_dir>/<pid> (optional), to check nothing outlives
      "delay": {"ps": 0.5},           # seconds to sleep before answering
      "fail": {"up": {"stderr": "...", "exit": 1}},  # canned failures per subcommand
      "up_state": "running"           # state containers get from `up`/`restart`
    }

Every call is appended to `<scenario>.calls.jsonl` as {"argv": [...], "cwd": "..."}: the
arguments only, never the environment's values.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DAEMON_DOWN = (
    "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. "
    "Is the docker daemon running?\n"
)


def load() -> tuple[Path, dict[str, Any]]:
    path = Path(os.environ["FAKE_DOCKER_SCENARIO"])
    return path, json.loads(path.read_text())


def save(path: Path, scenario: dict[str, Any]) -> None:
    path.write_text(json.dumps(scenario, indent=2))


def log_call(path: Path, argv: list[str]) -> None:
    with open(str(path) + ".calls.jsonl", "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"argv": argv, "cwd": os.getcwd()}) + "\n")


def out(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def err(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.lstrip("v").split(".")[:3] if p.isdigit())


def container_name(scenario: dict[str, Any], service: str) -> str:
    return f"{scenario.get('project', 'docker')}-{service}-1"


def ps_record(scenario: dict[str, Any], c: dict[str, Any]) -> dict[str, Any]:
    name = c.get("Name") or container_name(scenario, c["Service"])
    return {
        "Command": '"/omni-infra-provider-proxmox --config-file=/config.yaml"',
        "CreatedAt": c.get("CreatedAt", "2026-11-25 19:00:00 +0000 UTC"),
        "ExitCode": c.get("ExitCode", 0),
        "Health": c.get("Health", ""),
        "ID": c.get("ID", (c["Service"].encode().hex() + "0" * 64)[:64]),
        "Image": c.get("Image", "ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0"),
        "Labels": f"com.docker.compose.service={c['Service']}",
        "LocalVolumes": "0",
        "Mounts": "/config.yaml",
        "Name": name,
        "Names": name,
        "Networks": f"{scenario.get('project', 'docker')}_default",
        "Ports": "",
        "Project": scenario.get("project", "docker"),
        "Publishers": None,
        "RunningFor": c.get("RunningFor", "5 minutes ago"),
        "Service": c["Service"],
        "Size": "0B",
        "State": c.get("State", "running"),
        "Status": c.get("Status", "Up 5 minutes"),
    }


def inspect_record(scenario: dict[str, Any], c: dict[str, Any]) -> dict[str, Any]:
    state = c.get("State", "running")
    record: dict[str, Any] = {
        "Id": ps_record(scenario, c)["ID"],
        "Name": "/" + ps_record(scenario, c)["Name"],
        "RestartCount": c.get("RestartCount", 0),
        "State": {
            "Status": state,
            "Running": state == "running",
            "Restarting": state == "restarting",
            "ExitCode": c.get("ExitCode", 0),
            "StartedAt": c.get("StartedAt", "2026-11-25T19:00:00.000000000Z"),
            "FinishedAt": "0001-01-01T00:00:00Z",
        },
        "Config": {
            "Image": ps_record(scenario, c)["Image"],
            "Labels": {"com.docker.compose.service": c["Service"]},
        },
    }
    if c.get("Health"):
        record["State"]["Health"] = {"Status": c["Health"], "FailingStreak": 0, "Log": []}
    return record


def parse_compose_args(args: list[str]) -> tuple[list[str], list[str]]:
    """(global compose options, subcommand and the rest)."""
    opts: list[str] = []
    index = 0
    while index < len(args) and args[index].startswith("-"):
        opt = args[index]
        opts.append(opt)
        if opt in ("-f", "--file", "--env-file", "-p", "--project-name", "--project-directory"):
            index += 1
            if index < len(args):
                opts.append(args[index])
        index += 1
    return opts, args[index:]


def check_services(scenario: dict[str, Any], names: list[str]) -> None:
    known = scenario.get("services", ["provider-proxmox"])
    for name in names:
        if name not in known:
            err(f"no such service: {name}\n")
            sys.exit(1)


def positional(args: list[str], valued: tuple[str, ...] = ()) -> list[str]:
    found: list[str] = []
    skip = False
    for index, arg in enumerate(args):
        if skip:
            skip = False
            continue
        if arg == "--":  # cobra: everything after `--` is a name, even `--volumes`
            found.extend(args[index + 1 :])
            break
        if arg in valued:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        found.append(arg)
    return found


def compose(path: Path, scenario: dict[str, Any], args: list[str]) -> None:
    _opts, rest = parse_compose_args(args)
    if not rest:
        err("Usage:  docker compose [OPTIONS] COMMAND\n")
        sys.exit(1)
    sub, tail = rest[0], rest[1:]
    if sub == "version":
        version = scenario.get("compose_version", "2.29.7")
        out(f"{version}\n" if "--short" in tail else f"Docker Compose version v{version}\n")
        return
    if scenario.get("engine", "running") == "down":
        err(DAEMON_DOWN)
        sys.exit(1)
    for name in scenario.get("hang", []):
        if name == sub:
            hang(scenario)
    time.sleep(float(scenario.get("delay", {}).get(sub, 0)))
    failure = scenario.get("fail", {}).get(sub)
    if failure:
        out(failure.get("stdout", ""))
        err(failure.get("stderr", ""))
        sys.exit(int(failure.get("exit", 1)))
    containers = scenario.get("containers", [])
    if sub == "ps":
        if version_tuple(scenario.get("compose_version", "2.29.7")) < (2,) and "--format" in tail:
            # docker-compose v1 knows no --format: it prints its usage, and exits 0
            err("List containers.\n\nUsage: ps [options] [--] [SERVICE...]\n")
            return
        services = positional(tail, ("--format", "--filter", "--status"))
        check_services(scenario, services)
        shown = [c for c in containers if not services or c["Service"] in services]
        if "-a" not in tail and "--all" not in tail:
            shown = [c for c in shown if c.get("State", "running") in ("running", "restarting")]
        records = [ps_record(scenario, c) for c in shown]
        if "json" in tail:
            if version_tuple(scenario.get("compose_version", "2.29.7")) >= (2, 21):
                out("".join(json.dumps(r) + "\n" for r in records))
            else:
                out(json.dumps(records) + "\n")
        elif "-q" in tail:
            out("".join(r["ID"] + "\n" for r in records))
        else:
            out("NAME   IMAGE   COMMAND   SERVICE   CREATED   STATUS   PORTS\n")
        return
    if sub == "logs":
        services = positional(tail, ("--tail", "-n", "--since", "--until"))
        check_services(scenario, services)
        logs = scenario.get("logs", {})
        prefix = "--no-log-prefix" not in tail
        tail_n = None
        for flag in ("--tail", "-n"):
            if flag in tail:
                value = tail[tail.index(flag) + 1]
                tail_n = None if value == "all" else int(value)
        for service in services or sorted(logs):
            lines = list(logs.get(service, []))
            if tail_n is not None:
                lines = lines[-tail_n:] if tail_n else []
            for line in lines:
                head = f"{container_name(scenario, service)}  | " if prefix else ""
                out(head + line + "\n")
        if "-f" in tail or "--follow" in tail:
            time.sleep(float(scenario.get("follow_seconds", 0)))
        return
    if sub in ("up", "restart", "start"):
        services = positional(tail)
        check_services(scenario, services)
        targets = services or scenario.get("services", ["provider-proxmox"])
        state = scenario.get("up_state", "running")
        existing = {c["Service"]: c for c in containers}
        for service in targets:
            name = container_name(scenario, service)
            if sub == "restart":
                err(f" Container {name}  Restarting\n Container {name}  Started\n")
            else:
                err(f" Container {name}  Creating\n Container {name}  Created\n")
                err(f" Container {name}  Starting\n Container {name}  Started\n")
            entry = existing.setdefault(service, {"Service": service})
            entry["State"] = state
            entry["Status"] = "Up 1 second" if state == "running" else f"{state}"
        scenario["containers"] = list(existing.values())
        save(path, scenario)
        return
    if sub in ("down", "stop", "rm"):
        services = [] if sub == "down" else positional(tail)
        check_services(scenario, services)
        chosen = [c for c in containers if not services or c["Service"] in services]
        for c in chosen:
            name = c.get("Name") or container_name(scenario, c["Service"])
            if sub in ("down", "stop") or "-s" in tail:
                err(f" Container {name}  Stopping\n Container {name}  Stopped\n")
            if sub in ("down", "rm"):
                err(f" Container {name}  Removing\n Container {name}  Removed\n")
        if sub == "down":
            err(f" Network {scenario.get('project', 'docker')}_default  Removed\n")
        if sub == "stop":
            for c in chosen:
                c["State"] = "exited"
        else:
            scenario["containers"] = [c for c in containers if c not in chosen]
        save(path, scenario)
        return
    err(f'unknown docker command: "compose {sub}"\n')
    sys.exit(1)


def hang(scenario: dict[str, Any]) -> None:
    """Sleep until killed, with a sleeping child of our own (a grandchild of the caller)."""
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(3600)"], stdin=subprocess.DEVNULL
    )
    pid_dir = scenario.get("pid_dir")
    if pid_dir:
        for pid in (os.getpid(), child.pid):
            Path(pid_dir, str(pid)).write_text("hang\n")
    time.sleep(3600)


def main() -> None:
    path, scenario = load()
    argv = sys.argv[1:]
    log_call(path, argv)
    if argv[:1] == ["--version"]:
        out(f"Docker version {scenario.get('engine_version', '28.2.2')}, build e6534b4\n")
        return
    if argv[:1] == ["compose"]:
        standalone = os.environ.get("FAKE_DOCKER_STANDALONE")  # a docker-compose binary
        if not scenario.get("compose_plugin", True) and not standalone:
            err(
                "docker: unknown command: docker compose\n\n"
                "Run 'docker --help' for more information\n"
            )
            sys.exit(1)
        compose(path, scenario, argv[1:])
        return
    if argv[:1] == ["version"]:
        if scenario.get("engine", "running") == "down":
            out(f"Client:\n Version:           {scenario.get('engine_version', '28.2.2')}\n")
            err(DAEMON_DOWN)
            sys.exit(1)
        out(f"{scenario.get('engine_version', '28.2.2')}\n")
        return
    if argv[:1] == ["inspect"]:
        if scenario.get("engine", "running") == "down":
            err(DAEMON_DOWN)
            sys.exit(1)
        ids = positional(argv[1:], ("--format", "-f", "--type"))
        by_id = {ps_record(scenario, c)["ID"]: c for c in scenario.get("containers", [])}
        found = [inspect_record(scenario, by_id[i]) for i in ids if i in by_id]
        missing = [i for i in ids if i not in by_id]
        out(json.dumps(found, indent=4) + "\n")
        if missing:
            err(f"Error: No such object: {missing[0]}\n")
            sys.exit(1)
        return
    err(f"docker: unknown command: docker {argv[0] if argv else ''}\n\n")
    err("Run 'docker --help' for more information\n")
    sys.exit(1)


if __name__ == "__main__":
    main()
