"""Install omnictl safely: download, verify, chmod 0755, atomic rename, under a lock.

Sources:
- `github`: a release (a pinned tag or "latest"), verified against the release's
  `sha256sum.txt` before anything is made executable;
- `server`: the Omni server's own build (`/api/omnictl/...`). There is no checksum file there,
  so it is verified by running it (`--version`) and, when omnictl can log in, by comparing its
  version with the server's.

The target directory holds a lock file (`.omnictl.install.lock`): concurrent installs run one
after the other; the second finds the first one's result. Temp files are `.omnictl-*.part`
(0600); leftovers of killed runs are removed under the lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from omni_scale.adapters.omnictl.download import (
    DEFAULT_TIMEOUT_S,
    TEMP_PREFIX,
    TEMP_SUFFIX,
    Downloaded,
    download_to_temp,
    fetch_text,
    make_client,
)
from omni_scale.adapters.omnictl.locate import xdg_bin_dir
from omni_scale.adapters.omnictl.platform import Platform, detect_platform
from omni_scale.adapters.omnictl.release import (
    CHECKSUM_FILE,
    asset_url,
    checksum_url,
    parse_checksums,
    parse_tag,
    release_base_url,
    resolve_latest,
    server_asset_url,
)
from omni_scale.adapters.omnictl.version import (
    Compatibility,
    OmnictlVersion,
    compare,
    query_server_version,
    read_version,
)
from omni_scale.core.version import same_release, semver
from omni_scale.errors import EnvironmentProblem, FileConflict, InputError
from omni_scale.fs.atomic import fsync_directory
from omni_scale.fs.lock import held_lock
from omni_scale.project import expand_user

LOCK_NAME = ".omnictl.install.lock"
LOCK_TIMEOUT_S = 600.0
EXEC_MODE = 0o755

Source = Literal["github", "server"]
Action = Literal["installed", "replaced", "unchanged"]
Note = Callable[[str], None]
Confirm = Callable[[str], bool]


@dataclass(frozen=True)
class InstallRequest:
    source: Source
    version: str | None = None  # github: a tag, None = latest
    endpoint: str | None = None  # server: the Omni URL
    target_dir: Path | None = None  # default ${XDG_DATA_HOME:-~/.local}/bin
    force: bool = False
    ca_file: str | None = None
    timeout: float = DEFAULT_TIMEOUT_S
    platform: Platform | None = None


@dataclass
class InstallResult:
    path: Path
    action: Action
    version: OmnictlVersion
    source: Source
    url: str
    platform: str
    sha256: str
    verified_by: list[str] = field(default_factory=list)
    previous: OmnictlVersion | None = None
    compatibility: Compatibility | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "action": self.action,
            "version": self.version.tag,
            "api_version": self.version.api,
            "source": self.source,
            "url": self.url,
            "platform": self.platform,
            "sha256": self.sha256,
            "verified_by": self.verified_by,
            "previous_version": self.previous.tag if self.previous else None,
            "compatibility": self.compatibility.to_json() if self.compatibility else None,
        }


def _quiet(_: str) -> None:
    return None


@contextlib.contextmanager
def install_lock(directory: Path, note: Note) -> Iterator[None]:
    with held_lock(
        directory / LOCK_NAME,
        timeout=LOCK_TIMEOUT_S,
        on_wait=note,
        waiting=f"waiting for another omnictl install in {directory} to finish ...",
        busy=EnvironmentProblem(
            f"another omnictl install in {directory} has held the lock for {LOCK_TIMEOUT_S:g}s",
            path=directory / LOCK_NAME,
            hint="wait for it; delete the lock file only if no omni-scale is running",
        ),
        grace=0,
        mode=-1,  # filelock's default: the lock of a shared bin folder is not private
    ):
        yield


def _remove_stale_parts(directory: Path) -> None:
    """Temp files of killed installs (safe: we hold the install lock)."""
    for stale in directory.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _existing_version(target: Path) -> OmnictlVersion | None:
    if not target.exists():
        return None
    try:
        return read_version(target)
    except EnvironmentProblem:
        return None


def _prepare_target_dir(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create {directory}: {exc.strerror or exc}",
            hint="pick a writable directory with --dir",
        ) from None
    if not os.access(directory, os.W_OK):
        raise InputError(
            f"{directory} is not writable", hint="pick a writable directory with --dir"
        )


def _conflict(target: Path, previous: OmnictlVersion | None, new: str) -> FileConflict:
    had = previous.tag if previous else "an unrecognised file"
    return FileConflict(
        f"{target} already holds {had}; not replacing it with {new}",
        path=target,
        hint="pass --force (or --yes) to replace it, or --dir DIR to install elsewhere",
    )


def install_omnictl(
    request: InstallRequest,
    *,
    note: Note = _quiet,
    show_progress: bool = False,
    confirm: Confirm | None = None,
) -> InstallResult:
    """Download, verify and install omnictl as `request` says; see the module docstring."""
    plat = request.platform or detect_platform()

    directory = expand_user(request.target_dir or xdg_bin_dir())
    target = directory / plat.binary_name
    with make_client(ca_file=request.ca_file, timeout=request.timeout) as client:
        expected_sha: str | None = None
        tag: str | None = None
        base = release_base_url() if request.source == "github" else ""
        if request.source == "server":
            if not request.endpoint:
                raise InputError(
                    "installing from the Omni server needs its URL",
                    hint="pass --endpoint URL, set OMNI_ENDPOINT, or "
                    "omni-scale state set omni_endpoint=https://omni.example.com",
                )
            url = server_asset_url(request.endpoint, plat.asset)
        else:
            if request.version and request.version != "latest":
                tag = parse_tag(request.version)
            else:
                note(f"resolving the latest omnictl release at {base} ...")
                tag = resolve_latest(client, base)
            url = asset_url(base, tag, plat.asset)

        _prepare_target_dir(directory)
        with install_lock(directory, note):
            _remove_stale_parts(directory)
            previous = _existing_version(target)
            approved = request.force
            if target.exists() and tag is not None and not approved:
                if previous is not None and same_release(previous.tag, tag):
                    return InstallResult(
                        target, "unchanged", previous, request.source, url, str(plat),
                        _sha256_of(target), [], previous,
                    )  # fmt: skip
                if confirm is None or not confirm(
                    f"Replace {target} ({previous.tag if previous else 'unrecognised'}) "
                    f"with omnictl {tag}?"
                ):
                    raise _conflict(target, previous, tag)
                approved = True
            if tag is not None:
                sums_url = checksum_url(base, tag)
                sums = parse_checksums(fetch_text(client, sums_url))
                expected_sha = sums.get(plat.asset)
                if expected_sha is None:
                    raise EnvironmentProblem(
                        f"{sums_url} lists no checksum for {plat.asset}; not installing an "
                        "unverifiable file",
                        hint="check the release (and the mirror in "
                        "$OMNI_SCALE_OMNICTL_BASE_URL), or pick another --version",
                    )
            note(f"downloading {url} ...")
            try:
                downloaded = download_to_temp(
                    client, url, directory, show_progress=show_progress, label=plat.asset
                )
                try:
                    return _verify_and_place(
                        request, downloaded, target, plat, url, tag, expected_sha, previous,
                        note, None if approved else confirm, approved,
                    )  # fmt: skip
                finally:
                    downloaded.path.unlink(missing_ok=True)
            except KeyboardInterrupt:
                note("interrupted: the partial download was deleted; nothing was installed")
                raise


def _verify_and_place(
    request: InstallRequest,
    downloaded: Downloaded,
    target: Path,
    plat: Platform,
    url: str,
    tag: str | None,
    expected_sha: str | None,
    previous: OmnictlVersion | None,
    note: Note,
    confirm: Confirm | None,
    approved: bool,
) -> InstallResult:
    verified: list[str] = []
    if expected_sha is not None:
        if downloaded.sha256 != expected_sha:
            raise EnvironmentProblem(
                f"checksum mismatch for {url}: got sha256 {downloaded.sha256}, "
                f"{CHECKSUM_FILE} says {expected_sha}; the download was deleted and nothing "
                "was installed",
                hint="retry; if it persists the file or the mirror is corrupt or tampered with",
            )
        verified.append(f"sha256 matches {CHECKSUM_FILE}")
    downloaded.path.chmod(EXEC_MODE)
    try:
        version = read_version(downloaded.path)
    except EnvironmentProblem as exc:
        raise EnvironmentProblem(
            f"the downloaded omnictl does not run on this machine ({plat}): {exc.message}; "
            "it was deleted and nothing was installed",
            hint="check the source (a mirror may serve the wrong platform)",
        ) from None
    verified.append(f"runs: {version.tag} (API version {version.api})")
    if tag is not None and not same_release(version.tag, tag):
        raise EnvironmentProblem(
            f"{url} is omnictl {version.tag}, not the requested {tag}; nothing was installed",
            hint="the release or mirror serves a different build; report it or pick another "
            "--version",
        )
    compatibility: Compatibility | None = None
    if request.source == "server":
        server, verdict, why = query_server_version(downloaded.path, endpoint=request.endpoint)
        if server is not None:
            compatibility = verdict or compare(version, server)
            if compatibility.level == "error" and not semver(server.version):
                raise EnvironmentProblem(
                    f"the omnictl served by {request.endpoint} cannot talk to it: "
                    f"{compatibility.message}; nothing was installed",
                    hint=compatibility.hint,
                )
            if compatibility.level == "error" or not same_release(version.tag, server.version):
                raise EnvironmentProblem(
                    f"the omnictl served by {request.endpoint} is {version.tag}, but the server "
                    f"reports {server.version}; nothing was installed",
                    hint="use a release instead: omni-scale omnictl install --version "
                    f"{server.version}",
                )
            verified.append(f"version matches the server ({server.version})")
        else:
            note(
                f"no checksum exists for the server's omnictl; it runs and reports "
                f"{version.tag}, served by the Omni server itself (server version not "
                f"cross-checked: {why})"
            )
            verified.append("served by the Omni server (no checksum published)")
    same_bytes = target.exists() and _sha256_of(target) == downloaded.sha256
    if target.exists() and not request.force:
        if same_bytes:
            return InstallResult(
                target, "unchanged", version, request.source, url, str(plat),
                downloaded.sha256, verified, previous, compatibility,
            )  # fmt: skip
        if not approved and (
            confirm is None
            or not confirm(
                f"Replace {target} ({previous.tag if previous else 'unrecognised'}) with "
                f"omnictl {version.tag}?"
            )
        ):
            raise _conflict(target, previous, version.tag)
    action: Action = "replaced" if target.exists() else "installed"
    downloaded.path.replace(target)
    fsync_directory(target.parent)
    return InstallResult(
        target, action, version, request.source, url, str(plat), downloaded.sha256, verified,
        previous, compatibility,
    )  # fmt: skip
