"""The credential audit against fakepve's permission model."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_pve import TOKEN_ID, TOKEN_SECRET, WITHOUT_PCI, write_class
from omni_scale.core.machineclass.providerdata import parse_providerdata
from omni_scale.core.provider.config import ProxmoxConfig
from omni_scale.errors import InputError
from omni_scale.project import Project
from omni_scale.services.project_files import load_machine_classes
from omni_scale.services.proxmox_check import CheckReport, check_project, config_traps, run_check

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


def test_a_broken_class_file_is_skipped_with_a_warning_and_the_others_are_audited(
    pve_project: Any, fakepve: Any
) -> None:
    """A broken machine-class file must not stop the credential audit (lint reports it), nor
    drop the needs of the classes that do load: their bridge is still audited."""
    root = pve_project()
    fakepve.grant(TOKEN_ID, "/", *MINIMAL)
    write_class(root, "workers", PD + "network_bridge: vmbr7\n")
    write_class(root, "gpu", PD + "pci_devices: [{mapping: nvidia}]\n")
    (root / "machine-classes" / "draft.yaml").write_text("metadata: {id: draft\n")
    (root / "machine-classes" / "bad-data.yaml").write_text(
        "metadata:\n  id: bad-data\nspec:\n  autoprovision:\n    providerid: proxmox\n"
        "    providerdata: 'cores: many'\n"
    )
    # a manual class (matchlabels, no providerdata) is valid and has nothing to audit
    (root / "machine-classes" / "manual.yaml").write_text(
        "metadata:\n  id: manual\nspec:\n  matchlabels: [omni.sidero.dev/arch = amd64]\n"
    )
    notes: list[str] = []
    warnings: list[str] = []
    report = check_project(Project(root), None, note=notes.append, warn=warnings.append)
    assert notes == [f"checking {fakepve.url.split('//')[1]} as {TOKEN_ID} ..."]
    skipped = [w for w in warnings if "skipped" in w]
    assert len(skipped) == 2, warnings  # not the manual class
    assert any("draft.yaml" in w and w.startswith("machine class file skipped:") for w in skipped)
    assert any(w.startswith("machine class 'bad-data' skipped:") for w in skipped)
    paths = {r.path for r in report.rows}
    assert "/sdn/zones/localnetwork/vmbr7" in paths  # from workers, which loaded
    assert "/mapping/pci/nvidia" in paths  # from gpu, which loaded
    assert report.release is not None and report.release.assumed  # no compose: the newest


def test_check_project_without_a_config_is_bad_input(project: Path) -> None:
    with pytest.raises(InputError, match="no Proxmox config"):
        check_project(Project(project), None, note=print, warn=print)
