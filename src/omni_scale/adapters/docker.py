"""`docker compose` for the project's docker/compose.yaml, run as a subprocess (no shell).

Every call is `docker compose -f <project>/docker/compose.yaml --env-file <project>/.env ...`
(the standalone `docker-compose` binary when the plugin is missing). Secrets stay in .env:
only its path is on the command line. Failures become EnvironmentProblem (no engine, no compose,
timeouts; exit 3), InputError (no such service; exit 2) or OmniScaleError (exit 1) with the
known-error diagnosis as the hint.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from omni_scale.adapters import process
from omni_scale.core import json_bounds
from omni_scale.errors import EXIT_PROBLEMS, EnvironmentProblem, InputError, OmniScaleError
from omni_scale.project import Project

DEFAULT_TIMEOUT_S = 60.0
UP_TIMEOUT_S = 900.0  # `up` may pull the image


@dataclass(frozen=True)
class Container:
    """One container of the compose project (from `ps --format json` + `docker inspect`)."""

    id: str
    name: str
    service: str
    state: str  # running, exited, restarting, created, paused, dead
    health: str | None  # healthy, unhealthy, starting, None (no healthcheck)
    exit_code: int | None
    image: str | None
    status: str  # "Up 5 minutes", "Restarting (1) 3 seconds ago"
    restarts: int | None = None
    started_at: dt.datetime | None = None

    def uptime_seconds(self, now: dt.datetime | None = None) -> float | None:
        if self.state != "running" or self.started_at is None:
            return None
        current = now or dt.datetime.now(dt.UTC)
        return max(0.0, (current - self.started_at).total_seconds())

    def to_json(self) -> dict[str, Any]:
        uptime = self.uptime_seconds()
        return {
            "name": self.name,
            "service": self.service,
            "state": self.state,
            "health": self.health,
            "exit_code": self.exit_code,
            "image": self.image,
            "status": self.status,
            "restarts": self.restarts,
            "started_at": self.started_at.isoformat().replace("+00:00", "Z")
            if self.started_at
            else None,
            "uptime_s": None if uptime is None else int(uptime),
        }


def names(services: Sequence[str]) -> tuple[str, ...]:
    """Service names after `--`: a service called `--volumes` (from a repository's compose
    file) must stay a name, not become a flag of docker compose."""
    return ("--", *services) if services else ()


def parse_ps_json(text: str) -> list[dict[str, Any]]:
    """`docker compose ps --format json`: a JSON array (Compose < 2.21) or JSON lines (newer)."""
    stripped = text.strip()
    if not stripped:
        return []
    if stripped.startswith("["):
        data = json_bounds.loads(stripped)
        return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []
    records = []
    for line in stripped.splitlines():
        line = line.strip()
        if line:
            value = json_bounds.loads(line)
            if isinstance(value, dict):
                records.append(value)
    return records


def parse_docker_time(value: Any) -> dt.datetime | None:
    """RFC 3339 with nanoseconds (`2026-11-25T19:00:00.123456789Z`); the zero time is None."""
    if not isinstance(value, str) or not value or value.startswith("0001-"):
        return None
    text = value.replace("Z", "+00:00")
    if "." in text:
        head, frac = text.split(".", 1)
        digits = "".join(ch for ch in frac if ch.isdigit())
        zone = frac[len(digits) :]
        text = f"{head}.{digits[:6]}{zone}"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def container_from_ps(record: dict[str, Any]) -> Container:
    health = str(record.get("Health") or "") or None
    exit_code = record.get("ExitCode")
    return Container(
        id=str(record.get("ID", "")),
        name=str(record.get("Name", "")),
        service=str(record.get("Service", "")),
        state=str(record.get("State", "unknown")),
        health=health,
        exit_code=int(exit_code) if isinstance(exit_code, int) else None,
        image=str(record["Image"]) if record.get("Image") else None,
        status=str(record.get("Status", "")),
    )


def with_inspect(container: Container, record: dict[str, Any]) -> Container:
    from dataclasses import replace

    state = record.get("State") if isinstance(record.get("State"), dict) else {}
    assert isinstance(state, dict)
    health = state.get("Health") if isinstance(state.get("Health"), dict) else None
    restarts = record.get("RestartCount")
    return replace(
        container,
        restarts=int(restarts) if isinstance(restarts, int) else container.restarts,
        started_at=parse_docker_time(state.get("StartedAt")) or container.started_at,
        health=str(health.get("Status")) if health and health.get("Status") else container.health,
    )


def classify(stderr: str, args: Sequence[str]) -> OmniScaleError:
    """One clear error for a failed docker/compose call."""
    from omni_scale.core.diagnosis import diagnose

    text = stderr.strip()
    what = " ".join(args[:2]) if args else "docker"
    if text.startswith("Traceback") or "\nTraceback" in text:
        # docker-compose v1 (Python) dies with a traceback; its last line is the message
        text = next((ln for ln in reversed(text.splitlines()) if ln.strip()), text)
    daemon_down = (
        "Cannot connect to the Docker daemon",
        "Is the docker daemon running",
        "Error while fetching server API version",  # docker-compose v1
    )
    if any(marker in text for marker in daemon_down):
        return EnvironmentProblem(
            "the Docker daemon is not running (Cannot connect to the Docker daemon)",
            hint="start Docker (e.g. systemctl start docker), or check DOCKER_HOST and that you "
            "may use the docker socket",
        )
    if "permission denied" in text and "docker.sock" in text:
        return EnvironmentProblem(
            "permission denied on the Docker socket",
            hint="add your user to the docker group (then log in again), or use sudo",
        )
    for line in text.splitlines():
        if line.startswith("no such service:"):
            return InputError(
                f"docker/compose.yaml has {line}",
                hint="check the provider id (omni-scale provider status lists them)",
            )
    found = diagnose(text)
    first = next((line for line in text.splitlines() if line.strip()), "no output")
    return OmniScaleError(
        f"docker compose {what} failed: {first}",
        hint=found[0].fix if found else "run the same docker compose command by hand to see why",
        exit_code=EXIT_PROBLEMS,
    )


class Compose:
    """docker compose for one project. Detects the plugin, else standalone docker-compose."""

    def __init__(self, project: Project, *, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self.project = project
        self.timeout = timeout

    @cached_property
    def base(self) -> list[str]:
        """["docker", "compose"] or ["docker-compose"]; EnvironmentProblem when neither."""
        docker = shutil.which("docker")
        if docker:
            try:
                probe = process.run(
                    [docker, "compose", "version", "--short"], timeout=min(self.timeout, 20.0)
                )
            except subprocess.TimeoutExpired:
                probe = None
            if probe is not None and probe.returncode == 0:
                return [docker, "compose"]
        standalone = shutil.which("docker-compose")
        if standalone:
            return [standalone]
        if docker:
            raise EnvironmentProblem(
                "docker is installed but the Docker Compose plugin is not",
                hint="install the compose plugin (package docker-compose-plugin) or docker-compose",
            )
        raise EnvironmentProblem(
            "docker not found on PATH",
            hint="install Docker Engine with the compose plugin (https://docs.docker.com/engine/"
            "install/)",
        )

    def argv(self, *args: str) -> list[str]:
        argv = [*self.base, "-f", str(self.project.compose_file)]
        if self.project.env_file.is_file():
            argv += ["--env-file", str(self.project.env_file)]
        return [*argv, *args]

    def _require_file(self) -> None:
        if not self.project.compose_file.is_file():
            raise InputError(
                f"{self.project.relative(self.project.compose_file)} does not exist",
                hint="run: omni-scale provider setup",
            )

    def run(
        self, *args: str, timeout: float | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        self._require_file()
        limit = self.timeout if timeout is None else timeout
        try:
            proc = process.run(self.argv(*args), timeout=limit, cwd=self.project.root)
        except subprocess.TimeoutExpired:
            raise EnvironmentProblem(
                f"docker compose {args[0] if args else ''} did not finish within {limit:g}s",
                hint="is the Docker engine responsive? try: docker info",
            ) from None
        except FileNotFoundError:
            raise EnvironmentProblem(
                f"{self.base[0]} not found", hint="install Docker with the compose plugin"
            ) from None
        if check and proc.returncode != 0:
            raise classify(proc.stderr or proc.stdout, list(args))
        return proc

    def version(self) -> str:
        """The Compose version (`2.29.7`), without needing a compose file or an engine."""
        try:
            out = process.run([*self.base, "version", "--short"], timeout=20)
        except subprocess.TimeoutExpired:
            raise EnvironmentProblem("docker compose version did not answer in 20s") from None
        return out.stdout.strip() or out.stderr.strip()

    @cached_property
    def legacy(self) -> bool:
        """docker-compose v1 (Python): no `ps --format json` (it prints its usage, exit 0)."""
        return self.base[-1] != "compose" and self.version().lstrip("v").startswith("1.")

    def ps(self, services: Sequence[str] = (), *, timeout: float | None = None) -> list[Container]:
        """Every container of the project (also stopped ones), with restarts and start time."""
        if self.legacy:
            return self._ps_legacy(services, timeout)
        proc = self.run(
            "ps", "-a", "--format", "json", *names(services), timeout=timeout, check=False
        )
        if proc.returncode != 0:
            raise classify(proc.stderr or proc.stdout, ["ps"])
        try:
            containers = [container_from_ps(r) for r in parse_ps_json(proc.stdout)]
        except (json.JSONDecodeError, RecursionError) as exc:
            # the tool answered garbage: an environment problem (exit 3), not a finding
            detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            raise EnvironmentProblem(
                f"docker compose ps printed invalid JSON: {detail}",
                hint="check the docker compose version (docker compose version)",
            ) from None
        return self._inspect(containers, timeout)

    def _ps_legacy(self, services: Sequence[str], timeout: float | None) -> list[Container]:
        proc = self.run("ps", "-a", "-q", *names(services), timeout=timeout)
        ids = [line.strip() for line in proc.stdout.splitlines() if line.strip()]
        return self._inspect(
            [Container(i, "", "", "unknown", None, None, None, "") for i in ids],
            timeout,
            legacy=True,
        )

    def _inspect(
        self, containers: list[Container], timeout: float | None, *, legacy: bool = False
    ) -> list[Container]:
        docker = shutil.which("docker")
        if not containers or docker is None:
            return containers
        try:
            proc = process.run(
                [docker, "inspect", *[c.id for c in containers]],
                timeout=self.timeout if timeout is None else timeout,
            )
            records = json_bounds.loads(proc.stdout or "[]")
        except (subprocess.TimeoutExpired, json.JSONDecodeError, RecursionError):
            return containers
        by_id = {str(r.get("Id", "")): r for r in records if isinstance(r, dict)}
        out = []
        for container in containers:
            record = next((r for i, r in by_id.items() if i.startswith(container.id)), None)
            if record is None:
                out.append(container)
                continue
            if legacy:
                container = _from_inspect(record)
            out.append(with_inspect(container, record))
        return out

    def logs(
        self,
        services: Sequence[str] = (),
        *,
        tail: int | None = None,
        since: str | None = None,
        timeout: float | None = None,
    ) -> str:
        args = ["logs", "--no-color"]
        if tail is not None:
            args += ["--tail", str(tail)]
        if since:
            args += ["--since", since]
        return self.run(*args, *names(services), timeout=timeout).stdout

    def follow_logs(
        self, services: Sequence[str] = (), *, tail: int | None = None, since: str | None = None
    ) -> Iterator[str]:
        """Stream `logs --follow` lines until the process ends (or the caller stops)."""
        self._require_file()
        args = ["logs", "--no-color", "--follow"]
        if tail is not None:
            args += ["--tail", str(tail)]
        if since:
            args += ["--since", since]
        proc = subprocess.Popen(
            self.argv(*args, *names(services)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            errors="replace",
            cwd=self.project.root,
        )
        assert proc.stdout is not None
        try:
            yield from proc.stdout
        finally:
            if proc.poll() is None:
                proc.terminate()
            _out, err = proc.communicate(timeout=10)
            if proc.returncode not in (0, -15) and err:
                raise classify(err, ["logs"])

    def up(self, services: Sequence[str] = ()) -> str:
        return self.run("up", "-d", *names(services), timeout=UP_TIMEOUT_S).stderr

    def down(self) -> str:
        return self.run("down", timeout=300).stderr

    def stop(self, services: Sequence[str]) -> str:
        return self.run("stop", *names(services), timeout=300).stderr

    def rm(self, services: Sequence[str]) -> str:
        return self.run("rm", "-f", "-s", *names(services), timeout=300).stderr

    def restart(self, services: Sequence[str] = ()) -> str:
        return self.run("restart", *names(services), timeout=300).stderr


def _from_inspect(record: dict[str, Any]) -> Container:
    state = record.get("State") if isinstance(record.get("State"), dict) else {}
    assert isinstance(state, dict)
    labels = (record.get("Config") or {}).get("Labels") or {}
    return Container(
        id=str(record.get("Id", "")),
        name=str(record.get("Name", "")).lstrip("/"),
        service=str(labels.get("com.docker.compose.service", "")),
        state=str(state.get("Status", "unknown")),
        health=None,
        exit_code=state.get("ExitCode") if isinstance(state.get("ExitCode"), int) else None,
        image=(record.get("Config") or {}).get("Image"),
        status=str(state.get("Status", "")),
    )
