"""`proxmox check`: reachability, version, auth mode, the privilege audit and the known traps."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from omni_scale.adapters.net import run_within
from omni_scale.adapters.proxmox.client import ProxmoxApiError, ProxmoxClient
from omni_scale.adapters.proxmox.inventory import take_snapshot
from omni_scale.core.machineclass.model import MachineClass
from omni_scale.core.machineclass.providerdata import ProviderData
from omni_scale.core.placement.release import Release, release_from_version, resolve_release
from omni_scale.core.placement.replay import PlanProblem, plan_class
from omni_scale.core.provider.config import ProxmoxConfig
from omni_scale.core.proxmox.privileges import (
    AuditRow,
    audit,
    audit_paths,
    granted_set,
    requirements,
    role_command,
)
from omni_scale.core.proxmox.privileges import grant_commands as privilege_grants
from omni_scale.core.proxmox.snapshot import Snapshot
from omni_scale.errors import InputError
from omni_scale.project import Project
from omni_scale.services.project_files import loadable_machine_classes, proxmox_target


@dataclass
class CheckReport:
    provider_id: str
    url: str
    auth_mode: str
    identity: str | None
    tls_verify: bool
    pve_version: str | None = None
    rows: list[AuditRow] = field(default_factory=list)
    problems: list[PlanProblem] = field(default_factory=list)
    release: Release | None = None
    token: str | None = None

    @property
    def grant_commands(self) -> list[str]:
        """`pveum` commands that grant what is missing (empty when nothing is)."""
        if self.token is None and not self.identity:
            return []
        user = None if self.token else self.identity
        return privilege_grants(self.rows, token=self.token, user=user)

    @property
    def role_command(self) -> str:
        return role_command()

    @property
    def missing(self) -> list[AuditRow]:
        return [r for r in self.rows if not r.granted]

    @property
    def ok(self) -> bool:
        return not self.missing and not any(p.severity == "error" for p in self.problems)

    def to_json(self) -> dict[str, Any]:
        return {
            "provider_id": self.provider_id,
            "url": self.url,
            "reachable": True,
            "pve_version": self.pve_version,
            "auth": {"mode": self.auth_mode, "identity": self.identity},
            "tls_verify": self.tls_verify,
            "privileges": [r.to_json() for r in self.rows],
            "missing": len(self.missing),
            "grant": self.grant_commands,
            "recommended_role": self.role_command,
            "release": self.release.to_json() if self.release else None,
            "problems": [p.to_json() for p in self.problems],
            "ok": self.ok,
        }


def config_traps(config: ProxmoxConfig, datas: Sequence[ProviderData]) -> list[PlanProblem]:
    """Problems visible in the config alone (no network)."""
    out: list[PlanProblem] = []
    if config.auth_mode == "none":
        out.append(
            PlanProblem(
                "error",
                "no credentials in the Proxmox config: every call gets 401 No ticket",
                "set tokenID and tokenSecret (recommended) under proxmox:",
            )
        )
    if config.auth_mode == "password":
        if config.username and "@" in config.username and config.realm:
            out.append(
                PlanProblem(
                    "error",
                    f"username {config.username!r} already has a realm and realm is "
                    f"{config.realm!r}: PVE logs in {config.username}@{config.realm}, which fails",
                    "write the user without @realm (username: root, realm: pam), or drop realm",
                )
            )
        out.append(
            PlanProblem(
                "warning",
                "password auth: the provider (go-proxmox v0.3.2) never renews its 2 h ticket, so "
                "its calls fail with `not authorized to access endpoint` after about 2 hours",
                "use an API token (tokenID/tokenSecret) instead",
            )
        )
        if config.token_id:
            out.append(
                PlanProblem(
                    "info",
                    "both a password and a token are set: the provider uses the password",
                    None,
                )
            )
    if any(d.hugepages for d in datas) and not config.is_root_login:
        who = config.identity or "nobody"
        out.append(
            PlanProblem(
                "error",
                f"a machine class sets hugepages, which only root@pam itself may set; the "
                f"provider logs in as {who}"
                + (" (a token of root@pam is not root)" if who.startswith("root@pam!") else ""),
                "drop hugepages, or give the provider username root / realm pam",
            )
        )
    if config.insecure_skip_verify:
        out.append(
            PlanProblem(
                "warning",
                "insecureSkipVerify: true: TLS to Proxmox is not verified",
                "give PVE a certificate the provider trusts (e.g. ACME) and set it to false",
            )
        )
    return out


async def run_check(
    config: ProxmoxConfig,
    provider_id: str,
    classes: Sequence[MachineClass],
    *,
    provider_version: str | Release | None = None,
    warn: Callable[[str], None] | None = None,
    ca_file: str | None = None,
    relative: Callable[[Path], str] = str,
) -> CheckReport:
    """`provider_version`: the release (or image tag) the provider runs; None: the newest.
    `relative`: how a warning names a class file (the project's name for it, as lint does)."""

    datas: list[ProviderData] = []
    for mc in classes:
        if mc.providerid not in (None, provider_id) or mc.providerdata_text is None:
            continue  # another provider's class, or a manual one (matchlabels): nothing to audit
        try:
            datas.append(mc.providerdata())
        except InputError as exc:
            # Its storages, bridges and PCI mappings go unaudited: say so, as for a file
            # that does not load (`loadable_machine_classes`).
            if warn is not None:
                if exc.path == str(mc.path):
                    exc.path = relative(mc.path)
                warn(f"machine class '{mc.id}' skipped: {exc.one_line()}")
    report = CheckReport(
        provider_id,
        config.url,
        config.auth_mode,
        config.identity,
        not config.insecure_skip_verify,
        release=release_from_version(provider_version),
        token=config.token_id if config.auth_mode == "token" else None,
    )
    release = report.release
    assert release is not None
    report.problems.extend(config_traps(config, datas))
    async with ProxmoxClient(config, warn=warn, ca_file=ca_file) as pve:
        snapshot, nextid = await asyncio.gather(
            take_snapshot(pve, provider_id, with_vms=False), pve.get("/cluster/nextid")
        )
        report.pve_version = snapshot.pve_version
        reqs = requirements(
            nodes=[n.node for n in snapshot.nodes if n.online],
            vm_path=f"/vms/{nextid}",
            disk_storages=_disk_storages(snapshot, datas, release),
            iso_storages=[
                s.storage
                for n in snapshot.nodes
                for s in n.storages or ()
                if s.enabled and "iso" in s.contents
            ],
            bridges=_bridges(datas),
            pci_mappings=[p.mapping for d in datas for p in d.pci_devices],
            pve_version=snapshot.pve_version,
            pools=_pools(datas) if release.at_least("v0.1.0") else None,
        )
        paths = audit_paths(reqs)

        async def perms(path: str) -> tuple[str, frozenset[str]]:
            return path, granted_set(await pve.get("/access/permissions", {"path": path}))

        granted = dict(await asyncio.gather(*(perms(p) for p in paths)))
    report.rows = audit(reqs, granted)
    report.problems.extend(_inventory_traps(config, snapshot, granted))
    return report


def _pools(datas: Sequence[ProviderData]) -> list[str]:
    """Named pools, and "" for the machine request set pools the provider creates itself."""
    named = [str(d.extra["pool"]) for d in datas if d.extra.get("pool")]
    implicit = [""] if not datas or any(not d.extra.get("pool") for d in datas) else []
    return named + implicit


def _disk_storages(
    snapshot: Snapshot, datas: Sequence[ProviderData], release: Release
) -> list[str]:
    """The storages the classes would use; without classes every usable images storage."""
    picked: list[str] = []
    for data in datas:
        plan = plan_class("-", None, data, snapshot, release=release)
        picked += [d.storage for d in plan.disks if d.storage]
    if picked or datas:
        return picked
    return [
        s.storage
        for n in snapshot.nodes
        for s in n.storages or ()
        if s.enabled and "images" in s.contents
    ]


def _bridges(datas: Sequence[ProviderData]) -> list[str]:
    bridges = [d.network_bridge or "vmbr0" for d in datas] or ["vmbr0"]
    bridges += [n.bridge for d in datas for n in d.additional_nics]
    return bridges


def _inventory_traps(
    config: ProxmoxConfig, snapshot: Snapshot, granted: dict[str, frozenset[str]]
) -> list[PlanProblem]:
    out: list[PlanProblem] = []
    if config.auth_mode == "token" and not any(granted.values()):
        out.append(
            PlanProblem(
                "error",
                f"the token {config.token_id} has no rights at all: a privilege-separated token "
                "(the default) needs its own ACLs, and PVE answers lists with nothing instead "
                "of an error",
                f"pveum acl modify / --tokens '{config.token_id}' --roles OmniProvider "
                "(or create the token with --privsep 0)",
            )
        )
    if not snapshot.nodes:
        out.append(
            PlanProblem(
                "error",
                "GET /nodes is empty: the provider fails with `no nodes available`. It lists "
                "every node to any authenticated caller (no privilege needed), so the url "
                "does not reach a Proxmox VE API",
                "set url to https://HOST:8006/api2/json of a PVE node",
            )
        )
    elif all(n.maxmem is None for n in snapshot.nodes):
        out.append(
            PlanProblem(
                "warning",
                "no node shows memory stats to these credentials: placement falls back to "
                "the unstable API order",
                "grant Sys.Audit on /nodes",
            )
        )
    offline = [n.node for n in snapshot.nodes if not n.online]
    if offline:
        out.append(
            PlanProblem(
                "warning",
                f"node(s) not online: {', '.join(offline)}",
                "provider builds before v0.1.0 may still place VMs there",
            )
        )
    return out


def grant_commands(report: CheckReport) -> list[str]:
    """The pveum commands that grant what the audit found missing (empty when nothing is)."""
    return report.grant_commands


def grant_hint(report: CheckReport) -> str:
    """One line: what to grant, then re-check."""
    commands = grant_commands(report)
    if not commands:
        return ""
    return "on a Proxmox node run: " + "; ".join(commands) + "; then omni-scale proxmox check"


def check_sync(
    config: ProxmoxConfig,
    provider_id: str,
    classes: Sequence[MachineClass],
    *,
    provider_version: str | Release | None = None,
    timeout: float = 25.0,
    warn: Callable[[str], None] | None = None,
    relative: Callable[[Path], str] = str,
) -> CheckReport:
    """`run_check` bounded by `timeout` (EnvironmentProblem when Proxmox does not answer)."""

    return run_within(
        run_check(
            config,
            provider_id,
            classes,
            provider_version=provider_version,
            warn=warn,
            relative=relative,
        ),
        timeout,
        late=f"Proxmox at {config.url} did not answer the privilege audit",
        hint="check the URL and the network, or re-run `omni-scale proxmox check`",
    )


def check_project(
    project: Project,
    provider_id: str | None,
    *,
    note: Callable[[str], None],
    warn: Callable[[str], None],
) -> CheckReport:
    """`omni-scale proxmox check`: the audit for one provider of the project.

    Its Proxmox config must exist (InputError otherwise). The project's machine classes say
    which storages, bridges, PCI mappings and pools to audit; a class file that does not load
    is skipped with a warning naming it (the check is about the credentials, and lint reports
    the file), the others still count. The release comes from the provider's compose image."""

    target, config = proxmox_target(project, provider_id)
    classes = loadable_machine_classes(project, warn)
    note(f"checking {host_of(config)} as {config.identity or 'nobody'} ...")
    return asyncio.run(
        run_check(
            config,
            target.provider_id,
            classes,
            provider_version=resolve_release(target.image),
            warn=warn,
            relative=project.relative,
        )
    )


def host_of(config: ProxmoxConfig) -> str:
    return urlsplit(config.url).netloc


__all__ = [
    "CheckReport",
    "ProxmoxApiError",
    "check_project",
    "check_sync",
    "config_traps",
    "grant_commands",
    "grant_hint",
    "host_of",
    "run_check",
]
