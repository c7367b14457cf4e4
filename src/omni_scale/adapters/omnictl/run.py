"""The official `omnictl` binary, run as a subprocess (no shell) with a timeout.

Authentication is left to omnictl: OMNICONFIG, OMNI_ENDPOINT and OMNI_SERVICE_ACCOUNT_KEY reach
it through the inherited environment and never through argv. Failures become EnvironmentProblem
(exit 3: unreachable, credentials refused, API version mismatch) or InputError (exit 2: rejected
input, not found); see `omnictl_errors`.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from omni_scale.adapters import process
from omni_scale.adapters.omnictl.errors import (
    Notification,
    OmnictlFailed,
    OmnictlNotFound,
    classify,
    notifications,
    version_skew,
)
from omni_scale.core.omni.resources import (
    CLUSTER_STATUSES,
    CLUSTERS,
    NS_DEFAULT,
    parse_json_stream,
)
from omni_scale.errors import EnvironmentProblem

if TYPE_CHECKING:
    pass

DEFAULT_TIMEOUT_S = 60.0
_VERSION_RE = re.compile(r"omnictl version (?P<version>v?\S+)(?: \(API Version: (?P<api>\d+)\))?")
_KEY_RE = re.compile(r"^OMNI_SERVICE_ACCOUNT_KEY=(.+)$", re.MULTILINE)
_ENDPOINT_RE = re.compile(r"^OMNI_ENDPOINT=(.+)$", re.MULTILINE)


@dataclass(frozen=True)
class RunResult:
    args: tuple[str, ...]
    code: int
    stdout: str = field(repr=False)  # may hold a service-account key (infraprovider create)
    stderr: str
    notifications: list[Notification] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """Server notifications worth showing (the minor-version skew warning among them)."""
        return [f"{n.level}: {n.text}" for n in self.notifications if n.level != "INFO"]

    @property
    def version_skew(self) -> tuple[str, str] | None:
        return version_skew(self.stderr)


@dataclass(frozen=True)
class OmnictlVersion:
    version: str  # "v1.10.4"
    api_version: int | None


@dataclass(frozen=True)
class ProviderKey:
    """What `omnictl infraprovider create` returned. Never print `key`."""

    key: str
    endpoint: str | None

    def __repr__(self) -> str:
        return f"ProviderKey(key=<hidden>, endpoint={self.endpoint!r})"


@dataclass(frozen=True)
class StatusReport:
    healthy: bool
    text: str


class Omnictl:
    """One omnictl binary. Every method raises OmniScaleError subclasses on failure."""

    def __init__(
        self,
        binary: Path | str,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.binary = str(binary)
        self.timeout = timeout
        self._env = dict(env) if env is not None else None

    @classmethod
    def locate(
        cls, state_omnictl_path: str | None = None, root: Path | None = None, **kwargs: Any
    ) -> Omnictl:
        """The omnictl `locate_omnictl` finds (state file path, PATH, ~/.local/bin...)."""
        from omni_scale.adapters.omnictl.locate import locate_omnictl

        return cls(locate_omnictl(state_omnictl_path, root).path, **kwargs)

    @classmethod
    def for_project(cls, state_file: Path, **kwargs: Any) -> Omnictl:
        """The omnictl a project uses: `omnictl_path` from its state file, else found.

        `state_file` is `Project.state_file` (<root>/.claude/omni-scale.local.md); a relative
        `omnictl_path` is relative to the project root. Never installs (see `ensure`).
        """
        from omni_scale.errors import InputError
        from omni_scale.state import read_state

        try:
            path = read_state(state_file).get("omnictl_path")
        except InputError:
            path = None
        root = state_file.parent.parent
        return cls.locate(str(path) if path else None, root, **kwargs)

    # -- running -------------------------------------------------------------------------

    def run(
        self,
        args: Sequence[str],
        *,
        cwd: Path | None = None,
        timeout: float | None = None,
        check: bool = True,
    ) -> RunResult:
        """Run `omnictl ARGS`; with `check`, a non-zero exit raises the classified error."""
        argv = [self.binary, *args]
        limit = self.timeout if timeout is None else timeout
        try:
            proc = process.run(argv, timeout=limit, cwd=cwd, env=self._env)
        except subprocess.TimeoutExpired:
            raise EnvironmentProblem(
                f"omnictl {' '.join(args[:3])} did not finish within {limit:g}s",
                hint="is Omni reachable, and is omnictl logged in? run `omnictl get clusters` in "
                "a terminal (a first login opens the browser)",
            ) from None
        except FileNotFoundError:
            raise EnvironmentProblem(
                f"omnictl not found at {self.binary}", hint="run: omni-scale omnictl install"
            ) from None
        except PermissionError:
            raise EnvironmentProblem(
                f"omnictl at {self.binary} is not executable", hint=f"chmod +x {self.binary}"
            ) from None
        result = RunResult(
            tuple(args), proc.returncode, proc.stdout, proc.stderr, notifications(proc.stderr)
        )
        if check and proc.returncode != 0:
            raise classify(proc.stderr or proc.stdout, list(args))
        return result

    # -- commands ------------------------------------------------------------------------

    def version(self) -> OmnictlVersion:
        """`omnictl --version` (offline)."""
        out = self.run(["--version"]).stdout.strip()
        match = _VERSION_RE.search(out)
        if not match:
            raise EnvironmentProblem(
                f"unexpected `omnictl --version` output: {out[:200]!r}",
                hint="is this the official omnictl? reinstall: omni-scale omnictl install --force",
            )
        api = match.group("api")
        version = match.group("version")
        return OmnictlVersion(
            version if version.startswith("v") else "v" + version, int(api) if api else None
        )

    def get(
        self,
        resource_type: str,
        id: str | None = None,
        namespace: str | None = None,
        selector: str | None = None,
    ) -> list[dict[str, Any]]:
        """`omnictl get TYPE [ID] [-n NS] [-l SEL] -o json`; a missing ID gives []."""
        args = ["get"]
        if namespace:
            args += ["--namespace", namespace]
        if selector:
            args += ["--selector", selector]
        args += ["--output", "json", "--", resource_type]  # names after `--`, never flags
        if id is not None:
            args.append(id)
        try:
            result = self.run(args)
        except OmnictlNotFound:
            if id is not None:
                return []
            raise
        try:
            return parse_json_stream(result.stdout)
        except ValueError as exc:
            # output that is not `get -o json`: a wrapper, a broken or foreign binary (exit 3)
            raise EnvironmentProblem(
                f"omnictl get {resource_type}: {exc}",
                hint="is this the official omnictl? compare `omnictl --version`, or reinstall: "
                "omni-scale omnictl install --force",
            ) from None

    def apply(self, path: Path, *, dry_run: bool = False) -> RunResult:
        """`omnictl apply -f PATH [--dry-run]` (silent on success unless dry-run)."""
        args = ["apply", "-f", str(path)]
        if dry_run:
            args.append("--dry-run")
        return self.run(args)

    def delete(self, resource_type: str, id: str, namespace: str | None = None) -> RunResult:
        args = ["delete"]
        if namespace:
            args += ["--namespace", namespace]
        args += ["--", resource_type, id]
        return self.run(args, timeout=max(self.timeout, 300.0))

    def _template(
        self, sub: str, path: Path, extra: Sequence[str] = (), *, check: bool = True
    ) -> RunResult:
        # cwd = the template's directory: `file:` patches resolve the same way with omnictl
        # before 1.8 (relative to cwd) and after (relative to the template's directory).
        template = path.resolve()
        return self.run(
            ["cluster", "template", sub, "-f", template.name, *extra],
            cwd=template.parent,
            check=check,
        )

    def template_validate(self, path: Path, *, check: bool = True) -> RunResult:
        """`omnictl cluster template validate` (offline, authoritative).

        With `check=False` a failed validation is returned (code 1, omnictl's multi-line
        `Error: N errors occurred:` text in stderr) instead of raised.
        """
        return self._template("validate", path, check=check)

    def template_sync(self, path: Path, *, dry_run: bool = False) -> RunResult:
        return self._template("sync", path, ["--dry-run"] if dry_run else [])

    def template_diff(self, path: Path) -> RunResult:
        """Exit 0 with or without differences; the diff is stdout."""
        return self._template("diff", path)

    def cluster_delete(self, name: str, *, dry_run: bool = False) -> RunResult:
        """`omnictl cluster delete NAME [--dry-run]`: tears the cluster down and waits."""
        args = ["cluster", "delete", name]
        if dry_run:
            args.append("--dry-run")
        return self.run(args, timeout=max(self.timeout, 900.0))

    def cluster_exists(self, name: str) -> bool:
        return bool(self.get(CLUSTERS, name, namespace=NS_DEFAULT))

    def cluster_status(self, name: str) -> StatusReport:
        """`omnictl cluster status NAME --wait 0`: the tree and whether it is healthy.

        The cluster's existence is checked first: for a missing cluster `--wait 0` hangs.
        """
        if not self.get(CLUSTER_STATUSES, name, namespace=NS_DEFAULT):
            raise OmnictlNotFound(
                f'cluster "{name}" does not exist in Omni',
                hint="check the name (omni-scale cluster status lists clusters), or sync its "
                "template: omni-scale cluster template sync clusters/<name>.yaml",
            )
        result = self.run(["cluster", "status", name, "--wait", "0"], check=False)
        if result.code == 0:
            return StatusReport(True, result.stdout)
        if "cluster is not healthy" in result.stderr:
            return StatusReport(False, result.stdout)
        raise classify(result.stderr, list(result.args))

    def infraprovider_create(self, provider_id: str) -> ProviderKey:
        """`omnictl infraprovider create ID` -> the service-account key (never logged)."""
        result = self.run(["infraprovider", "create", "--", provider_id])
        match = _KEY_RE.search(result.stdout)
        if not match:
            raise OmnictlFailed(
                "omnictl infraprovider create printed no OMNI_SERVICE_ACCOUNT_KEY line",
                hint="check the omnictl version (omni-scale omnictl which)",
            )
        endpoint = _ENDPOINT_RE.search(result.stdout)
        return ProviderKey(match.group(1).strip(), endpoint.group(1).strip() if endpoint else None)
