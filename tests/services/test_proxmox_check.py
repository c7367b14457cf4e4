"""The credential audit against fakepve's permission model."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from fakes.fixtures_pve import TOKEN_ID, TOKEN_SECRET, WITHOUT_PCI, write_class
from omni_scale.core.machineclass.providerdata import parse_providerdata
from omni_scale.core.provider.config import ProxmoxConfig
from omni_scale.services.project_files import load_machine_classes
from omni_scale.services.proxmox_check import CheckReport, config_traps, run_check

MINIMAL = list(WITHOUT_PCI)
PD = 'cores: 2\nsockets: 1\nmemory: 4096\ndisk_size: 32\nstorage_selector: name == "local-lvm"\n'


def check(fakepve: Any, cafile: str, project: Path | None = None, **cfg: Any) -> CheckReport:
    config = ProxmoxConfig(
        url=fakepve.url + "/api2/json",
        **(cfg or {"token_id": TOKEN_ID, "token_secret": TOKEN_SECRET}),
    )
    classes = load_machine_classes([project / "machine-classes"]) if project else []
    return asyncio.run(run_check(config, "proxmox", classes, ca_file=cafile))


def test_full_role_on_root_passes(fakepve: Any, fakepve_cafile: str, project: Path) -> None:
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    fakepve.grant(TOKEN_ID, "/", *MINIMAL)
    write_class(project, "workers", PD)
    report = check(fakepve, fakepve_cafile, project)
    assert report.ok, [r for r in report.rows if not r.granted]
    paths = {r.path for r in report.rows}
    assert {"/nodes/pve1", "/storage/local-lvm", "/storage/local", "/vms/100"} <= paths
    assert "/sdn/zones/localnetwork/vmbr0" in paths


def test_missing_privilege_is_reported_with_what_breaks(
    fakepve: Any, fakepve_cafile: str, project: Path
) -> None:
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    fakepve.grant(TOKEN_ID, "/", *[p for p in MINIMAL if p != "VM.PowerMgmt"])
    write_class(project, "workers", PD)
    report = check(fakepve, fakepve_cafile, project)
    assert not report.ok
    [row] = report.missing
    assert (row.privilege, row.path) == ("VM.PowerMgmt", "/vms/100")
    assert "startVM" in row.breaks
    assert report.to_json()["missing"] == 1


def test_privilege_separated_token_without_rights(fakepve: Any, fakepve_cafile: str) -> None:
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    fakepve.grant("omni@pve", "/nothing", "VM.Audit")  # ACLs exist, none for this token's paths
    report = check(fakepve, fakepve_cafile)
    assert not report.ok
    assert any("has no rights at all" in p.message for p in report.problems)
    assert any(TOKEN_ID in (p.hint or "") for p in report.problems)


def test_password_auth_traps(fakepve: Any, fakepve_cafile: str) -> None:
    report = check(fakepve, fakepve_cafile, username="root", password="secret", realm="pam")
    assert report.auth_mode == "password" and report.identity == "root@pam"
    assert report.ok  # root holds everything; the ticket warning is only a warning
    assert any("never renews its 2 h ticket" in p.message for p in report.problems)


def test_config_traps_without_network() -> None:
    doubled = ProxmoxConfig(
        url="https://h/api2/json", username="root@pam", password="x", realm="pam"
    )
    messages = [p.message for p in config_traps(doubled, [])]
    assert any("root@pam@pam" in m for m in messages)
    huge = parse_providerdata(PD + "hugepages: 2MB\n")
    token = ProxmoxConfig(url="https://h/api2/json", token_id="root@pam!omni", token_secret="s")
    [problem] = [p for p in config_traps(token, [huge]) if "hugepages" in p.message]
    assert problem.severity == "error" and "a token of root@pam is not root" in problem.message
    root = ProxmoxConfig(url="https://h/api2/json", username="root", password="x", realm="pam")
    assert not [p for p in config_traps(root, [huge]) if "hugepages" in p.message]
    none = ProxmoxConfig(url="https://h/api2/json")
    assert any("No ticket" in p.message for p in config_traps(none, []))
