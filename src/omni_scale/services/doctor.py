"""`doctor`: tools, project files, state, gitignore, secret modes and provider ids."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omni_scale.adapters import process
from omni_scale.adapters.docker import Compose
from omni_scale.adapters.omnictl.run import Omnictl
from omni_scale.core.provider.compose import read_providers
from omni_scale.core.provider.config import clear_text_refusal
from omni_scale.core.provider.env_file import parse_env
from omni_scale.core.provider.setup import existing_config_values
from omni_scale.errors import InputError, OmniScaleError
from omni_scale.fs.gitignore import SECRET_ENTRIES, covered
from omni_scale.project import Project
from omni_scale.services.project_files import (
    compose_variables,
    load_provider_config,
    read_unstamped,
)
from omni_scale.services.provider_status import Deadline, ids_probe, proxmox_probe, run_probes
from omni_scale.state import read_state
from omni_scale.textio import read_text_file

OK, WARN, FAIL = "ok", "warn", "fail"


@dataclass
class Check:
    name: str
    status: str
    message: str
    fix: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "message": self.message, "fix": self.fix}


def _run(argv: list[str], timeout: float = 15.0) -> subprocess.CompletedProcess[str] | None:
    try:
        return process.run(argv, timeout=timeout)
    except (subprocess.TimeoutExpired, OSError):
        return None


def check_python() -> Iterator[Check]:
    version = ".".join(str(p) for p in sys.version_info[:3])
    # The package requires >= 3.11 (pyproject), so a running omni-scale is new enough.
    yield Check("python", OK, f"Python {version} ({sys.executable})")


def check_docker(project: Project) -> Iterator[Check]:
    docker = shutil.which("docker")
    if docker is None:
        yield Check(
            "docker",
            FAIL,
            "docker not found on PATH",
            "install Docker Engine with the compose plugin (docs.docker.com/engine/install)",
        )
    else:
        proc = _run([docker, "--version"])
        yield Check("docker", OK, f"{(proc.stdout.strip() if proc else '') or docker}")
        engine = _run([docker, "version", "--format", "{{.Server.Version}}"])
        if engine is None:
            yield Check(
                "docker engine",
                FAIL,
                "docker version did not answer within 15s",
                "is the engine responsive? try: docker info",
            )
        elif engine.returncode != 0:
            text = (engine.stderr.strip().splitlines() or ["no answer"])[-1]
            yield Check(
                "docker engine",
                FAIL,
                text,
                "start Docker (systemctl start docker) or check DOCKER_HOST / the docker group",
            )
        else:
            yield Check("docker engine", OK, f"engine {engine.stdout.strip()} running")
    try:
        compose = Compose(project)
        base = compose.base
        kind = "plugin" if base[-1] == "compose" else "standalone docker-compose"
        yield Check("docker compose", OK, f"{kind} {compose.version()}")
    except OmniScaleError as exc:
        yield Check("docker compose", FAIL, exc.message, exc.hint)


def check_omnictl(project: Project, *, offline: bool) -> Iterator[Check]:
    try:
        omnictl = Omnictl.for_project(project.state_file, timeout=15.0)
    except OmniScaleError as exc:
        yield Check("omnictl", FAIL, exc.message, exc.hint)
        return
    try:
        version = omnictl.version()
    except OmniScaleError as exc:
        yield Check("omnictl", FAIL, f"{omnictl.binary}: {exc.message}", exc.hint)
        return
    yield Check("omnictl", OK, f"{omnictl.binary} {version.tag} (API {version.api})")
    if offline:
        yield Check("omnictl auth", WARN, "not checked (--offline)")
        return
    try:
        found = omnictl.get("SysVersions.system.sidero.dev", "current", namespace="ephemeral")
    except OmniScaleError as exc:
        yield Check("omnictl auth", FAIL, exc.message, exc.hint)
        return
    spec = found[0].get("spec", {}) if found else {}
    backend = spec.get("backendversion") if isinstance(spec, dict) else None
    yield Check("omnictl auth", OK, f"Omni answers (backend {backend or 'version unknown'})")


def _providers(project: Project) -> tuple[list[Any], Check | None]:

    path = project.compose_file
    if not path.is_file():
        return [], Check(
            "compose file",
            FAIL,
            f"{project.relative(path)} does not exist",
            "omni-scale provider setup",
        )
    try:
        entries = read_providers(
            read_text_file(path, what="compose file"),
            path=path,
            env=compose_variables(project, os.environ),
        )
    except InputError as exc:
        return [], Check("compose file", FAIL, exc.one_line(), exc.hint)
    if not entries:
        return [], Check(
            "compose file",
            FAIL,
            "no omni-infra-provider-proxmox service",
            "omni-scale provider setup",
        )
    ids = ", ".join(f"{e.service} (--id={e.provider_id})" for e in entries)
    return entries, Check("compose file", OK, f"{project.relative(path)}: {ids}")


def check_files(project: Project, entries: list[Any]) -> Iterator[Check]:

    for entry in entries:
        config = project.compose_file.parent / (entry.config_name or "config.yaml")
        name = f"config {entry.provider_id}"
        if not config.is_file():
            yield Check(
                name,
                FAIL,
                f"{project.relative(config)} does not exist",
                f"omni-scale provider setup --id {entry.provider_id}",
            )
            continue
        try:
            parsed = load_provider_config(config)
        except InputError as exc:
            yield Check(name, FAIL, exc.one_line(), exc.hint)
            continue
        if parsed.auth_mode == "none":
            yield Check(
                name,
                FAIL,
                f"{project.relative(config)} has no credentials",
                "set tokenID and tokenSecret (omni-scale provider setup)",
            )
        elif (refusal := clear_text_refusal(parsed.url)) is not None:
            yield Check(
                name,
                FAIL,
                f"{project.relative(config)}: {refusal[0]}",
                f"{refusal[1]} in {project.relative(config)} (proxmox.url)",
            )
        else:
            yield Check(name, OK, f"{project.relative(config)}: {parsed}")
    env_path = project.env_file
    if not env_path.is_file():
        yield Check(".env", FAIL, ".env does not exist", "omni-scale provider setup")
        return
    try:
        env = parse_env(read_unstamped(env_path) or "")
    except InputError as exc:
        yield Check(".env", FAIL, exc.one_line(), exc.hint)
        return
    missing = [e.key_variable for e in entries if e.key_variable and not env.get(e.key_variable)]
    if not env.get("OMNI_ENDPOINT"):
        missing.insert(0, "OMNI_ENDPOINT")
    if missing:
        yield Check(
            ".env",
            FAIL,
            f".env lacks {', '.join(missing)}",
            "omni-scale provider setup (--key-file FILE or --create-key for keys)",
        )
    else:
        yield Check(".env", OK, f".env sets OMNI_ENDPOINT and {len(entries)} provider key(s)")
    if not project.machine_classes_dir.is_dir():
        yield Check(
            "machine classes",
            WARN,
            "machine-classes/ does not exist",
            "omni-scale machineclass create NAME",
        )


def secret_paths(project: Project) -> list[Path]:
    docker = project.compose_file.parent
    found = [project.env_file, project.state_file]
    if docker.is_dir():
        found += sorted(docker.glob("config*.yaml"))
    return [p for p in found if p.is_file() and not p.name.endswith(".bak")]


def check_secrets(project: Project) -> Iterator[Check]:
    paths = secret_paths(project)
    loose = [p for p in paths if p.stat().st_mode & 0o077]
    if loose:
        names = " ".join(project.relative(p) for p in loose)
        yield Check("secret file modes", FAIL, f"readable by others: {names}", f"chmod 600 {names}")
    elif paths:
        yield Check("secret file modes", OK, f"{len(paths)} secret file(s) are 0600")
    if not paths:
        return
    rel = [project.relative(p) for p in paths]
    git = shutil.which("git")
    ignored = (
        _run([git, "-C", str(project.root), "check-ignore", "--no-index", *rel])
        if git and (project.root / ".git").exists()
        else None
    )
    if ignored is None or ignored.returncode not in (0, 1):  # no git, or not a repository
        yield from _gitignore_by_text(project)
        return
    ignored_set = set(ignored.stdout.split())
    not_ignored = [r for r in rel if r not in ignored_set]
    if not_ignored:
        yield Check(
            ".gitignore",
            FAIL,
            f"not ignored by git: {' '.join(not_ignored)}",
            "add them to .gitignore (omni-scale provider setup does)",
        )
    else:
        yield Check(".gitignore", OK, "git ignores every secret file")
    assert git is not None
    tracked = _run([git, "-C", str(project.root), "ls-files", "--", *rel])
    if tracked and tracked.returncode == 0 and tracked.stdout.strip():
        names = " ".join(tracked.stdout.split())
        yield Check(
            "committed secrets",
            FAIL,
            f"tracked by git: {names}",
            f"git rm --cached {names}; then rotate the secrets they hold",
        )


def _gitignore_by_text(project: Project) -> Iterator[Check]:
    """Without git: the .gitignore files read by the same matcher setup uses."""

    missing = [e for e in SECRET_ENTRIES[:4] if not covered(project.root, e)]
    if missing:
        yield Check(
            ".gitignore",
            FAIL,
            f".gitignore lacks {', '.join(missing)}",
            "add them (omni-scale provider setup does)",
        )
    else:
        yield Check(".gitignore", OK, ".gitignore lists the secret files")


def check_state(project: Project, entries: list[Any]) -> Iterator[Check]:
    if not project.state_file.is_file():
        yield Check("state", WARN, "no state file yet", "omni-scale provider setup writes it")
        return
    try:
        state = read_state(project.state_file)
    except InputError as exc:
        yield Check("state", FAIL, exc.one_line(), exc.hint)
        return
    try:
        problems = _state_problems(project, entries, state)
    except InputError as exc:  # an unreadable .env or config: reported by their own checks
        problems = [f"cannot compare with {exc.path or 'a file'}"]
    if problems:
        yield Check(
            "state",
            WARN,
            "; ".join(problems),
            "re-run omni-scale provider setup, or omni-scale state set KEY=VALUE",
        )
    else:
        yield Check("state", OK, f"{project.relative(project.state_file)} agrees with the files")


def _state_problems(project: Project, entries: list[Any], state: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    ids = [e.provider_id for e in entries]
    if state.get("provider_configured") and not entries:
        problems.append("provider_configured is true but no provider service exists")
    if entries and state.get("provider_id") not in ids:
        problems.append(f"provider_id '{state.get('provider_id')}' is not run by the compose file")
    first = entries[0] if entries else None
    if first is not None:
        env = parse_env(read_unstamped(project.env_file) or "")
        if state.get("omni_endpoint") and env.get("OMNI_ENDPOINT") not in (
            None,
            state["omni_endpoint"],
        ):
            problems.append("omni_endpoint differs from OMNI_ENDPOINT in .env")
        config = existing_config_values(
            read_unstamped(project.compose_file.parent / (first.config_name or "config.yaml"))
        )
        if state.get("proxmox_endpoint") and config.get("url") not in (
            None,
            state["proxmox_endpoint"],
        ):
            problems.append("proxmox_endpoint differs from the config url")
        if state.get("provider_image") and first.image and state["provider_image"] != first.image:
            problems.append(f"provider_image differs from the compose image {first.image}")
    return problems


def check_ids(project: Project, entries: list[Any]) -> Iterator[Check]:
    if not entries:
        return
    try:
        probe = ids_probe(project, entries)(Deadline(10))
    except InputError as exc:
        yield Check("provider ids", FAIL, exc.one_line(), exc.hint)
        return
    status = OK if probe.status == "ok" else FAIL
    yield Check("provider ids", status, probe.summary, probe.fix)


def check_proxmox(project: Project, entries: list[Any]) -> Iterator[Check]:
    """Each provider's Proxmox credentials and privileges (the probe of `provider status`)."""

    jobs = [("proxmox", e.provider_id, proxmox_probe(project, e)) for e in entries]
    for probe in run_probes(jobs, PROXMOX_TIMEOUT):
        status = {"ok": OK, "warn": WARN}.get(probe.status, FAIL)
        fix = probe.fix or ("omni-scale proxmox check" if status != OK else None)
        yield Check(f"proxmox {probe.provider_id}", status, probe.summary, fix)


PROXMOX_TIMEOUT = 25.0


def run_all(project: Project, *, offline: bool = False) -> list[Check]:
    checks: list[Check] = []
    sections: list[Callable[[], Iterator[Check]]] = [
        check_python,
        lambda: check_docker(project),
        lambda: check_omnictl(project, offline=offline),
    ]
    for section in sections:
        checks.extend(section())
    entries, compose_check = _providers(project)
    if compose_check is not None:
        checks.append(compose_check)
    checks.extend(check_files(project, entries))
    checks.extend(check_state(project, entries))
    checks.extend(check_secrets(project))
    checks.extend(check_ids(project, entries))
    if not offline:
        checks.extend(check_proxmox(project, entries))
    return checks
