"""`omni-scale proxmox check | snapshot` end to end against fakepve over verified TLS."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

from fakes.fixtures_pve import TOKEN_ID, TOKEN_SECRET, WITHOUT_PCI, write_class, write_config
from omni_scale.services.snapshot_file import load_snapshot

ROLE = list(WITHOUT_PCI)
PD = 'cores: 2\nsockets: 1\nmemory: 4096\ndisk_size: 32\nstorage_selector: name == "local-lvm"\n'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_check_passes_with_the_recommended_role(cli: Any, pve_project: Any, fakepve: Any) -> None:
    root = pve_project()
    fakepve.grant(TOKEN_ID, "/", *ROLE)
    write_class(root, "workers", PD)
    result = cli("--project-dir", root, "proxmox", "check", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["ok"] and data["pve_version"] == fakepve.version
    assert data["auth"] == {"mode": "token", "identity": TOKEN_ID}
    assert data["tls_verify"] is True and data["missing"] == 0
    assert {"privilege", "path", "granted", "breaks"} <= set(data["privileges"][0])


def test_check_lists_missing_privileges_and_exits_1(
    cli: Any, pve_project: Any, fakepve: Any
) -> None:
    root = pve_project()
    fakepve.grant(TOKEN_ID, "/", *[p for p in ROLE if p not in ("Sys.AccessNetwork", "SDN.Use")])
    result = cli("--project-dir", root, "proxmox", "check")
    assert result.code == 1
    assert "MISSING" in result.out and "Sys.AccessNetwork" in result.out
    assert "/sdn/zones/localnetwork/vmbr0" in result.out
    # no compose file: the pool privileges of the newest release are required (and granted)
    assert "provider release: v0.3.0 (v0.2.0 placement), assumed" in result.out
    assert "/pool" in result.out
    assert "2 privilege(s) missing" in result.out
    assert 'pveum role modify OmniProvider --append 1 --privs "Sys.AccessNetwork SDN.Use"' in (
        result.out
    )
    assert "pveum acl modify /sdn/zones/localnetwork/vmbr0 --tokens" in result.out
    assert TOKEN_SECRET not in result.out + result.err


def test_check_refused_token_exits_3_without_secret(
    cli: Any, pve_project: Any, fakepve: Any
) -> None:
    root = pve_project()
    fakepve.apitokens[TOKEN_ID] = "another-secret"
    result = cli("--project-dir", root, "proxmox", "check", "--json")
    assert result.code == 3
    assert "401 authentication failure" in result.err
    assert TOKEN_SECRET not in result.out + result.err
    assert result.json()["ok"] is False


def test_check_unreachable_exits_3(cli: Any, project: Path) -> None:
    write_config(project, f"http://127.0.0.1:{free_port()}/api2/json")
    result = cli("--project-dir", project, "proxmox", "check")
    assert result.code == 3 and "cannot reach Proxmox" in result.err


def test_check_without_config_is_bad_input(cli: Any, project: Path) -> None:
    result = cli("--project-dir", project, "proxmox", "check")
    assert result.code == 2 and "no Proxmox config at docker/config.yaml" in result.err


def test_check_url_without_api_root(cli: Any, project: Path) -> None:
    write_config(project, "https://pve1:8006")
    result = cli("--project-dir", project, "proxmox", "check")
    assert result.code == 2 and "docker/config.yaml:2" in result.err and "/api2/json" in result.err


def test_snapshot_writes_the_project_file(cli: Any, pve_project: Any, fakepve: Any) -> None:
    root = pve_project()
    fakepve.add_node("pve2", online=False)
    result = cli("--project-dir", root, "proxmox", "snapshot", "--json")
    assert result.code == 0, result.err
    summary = result.json()
    assert summary["nodes"] == 2 and Path(summary["path"]) == root / "proxmox-snapshot.json"
    snap = load_snapshot(root / "proxmox-snapshot.json")
    assert [n.status for n in snap.nodes] == ["online", "offline"]
    text = (root / "proxmox-snapshot.json").read_text()
    assert TOKEN_SECRET not in text and json.loads(text)["format"] == "omni-scale/proxmox-snapshot"
    # taking it again replaces it
    assert cli("--project-dir", root, "proxmox", "snapshot").code == 0


def test_snapshot_to_stdout(cli: Any, pve_project: Any) -> None:
    root = pve_project()
    result = cli("--project-dir", root, "proxmox", "snapshot", "-o", "-")
    assert result.code == 0 and json.loads(result.out)["version"] == 2
    assert not (root / "proxmox-snapshot.json").exists()


def test_snapshot_does_not_replace_a_foreign_file(cli: Any, pve_project: Any) -> None:
    root = pve_project()
    (root / "proxmox-snapshot.json").write_text("my notes\n")
    result = cli("--project-dir", root, "proxmox", "snapshot")
    assert result.code == 2 and "--force" in result.err
    assert (root / "proxmox-snapshot.json").read_text() == "my notes\n"
    assert cli("--project-dir", root, "proxmox", "snapshot", "--force").code == 0


def test_snapshot_per_provider(cli: Any, pve_project: Any, fakepve: Any) -> None:
    root = pve_project()
    (root / "docker" / "compose.yaml").write_text(
        "services:\n"
        "  main:\n    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0\n"
        "    command: [--config-file, /config.yaml, --id, proxmox]\n"
        "    volumes: [./config.yaml:/config.yaml:ro]\n"
        "  lab:\n    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0\n"
        "    command: [--config-file, /config.yaml, --id, lab]\n"
        "    volumes: [./config-lab.yaml:/config.yaml:ro]\n"
    )
    (root / "docker" / "config-lab.yaml").write_text((root / "docker" / "config.yaml").read_text())
    assert cli("--project-dir", root, "proxmox", "snapshot").code == 2  # which one?
    result = cli("--project-dir", root, "proxmox", "snapshot", "--provider", "lab")
    assert result.code == 0, result.err
    assert load_snapshot(root / "proxmox-snapshot-lab.json").provider_id == "lab"


def test_check_password_mode_refused_never_shows_the_password(cli: Any, pve_project: Any) -> None:
    root = pve_project(username="root", password="not-the-password", realm="pam")
    result = cli("--project-dir", root, "proxmox", "check", "--json")
    assert result.code == 3 and "authentication failure" in result.err
    assert "not-the-password" not in result.out + result.err


def test_check_password_mode_warns_about_the_ticket(cli: Any, pve_project: Any) -> None:
    root = pve_project(username="root", password="secret", realm="pam")
    result = cli("--project-dir", root, "proxmox", "check", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["auth"] == {"mode": "password", "identity": "root@pam"}
    assert any("2 h ticket" in p["message"] for p in data["problems"])
    assert "secret" not in result.out + result.err


def test_check_skips_a_broken_class_file_with_a_warning(
    cli: Any, pve_project: Any, fakepve: Any
) -> None:
    root = pve_project()
    fakepve.grant(TOKEN_ID, "/", *ROLE)
    write_class(root, "workers", PD)
    (root / "machine-classes" / "draft.yaml").write_text("metadata: {id: draft\n")
    result = cli("--project-dir", root, "proxmox", "check", "--json")
    assert result.code == 0, result.err
    assert result.json()["ok"] is True  # stdout holds the one JSON document
    assert "omni-scale: warning: machine class file skipped: " in result.err
    assert "draft.yaml:" in result.err and "Traceback" not in result.err


def test_check_names_a_class_whose_providerdata_does_not_parse_as_the_project_does(
    cli: Any, pve_project: Any, fakepve: Any
) -> None:
    """Its storages go unaudited: the warning says so, naming the file as lint does."""
    root = pve_project()
    fakepve.grant(TOKEN_ID, "/", *ROLE)
    write_class(root, "workers", PD)
    write_class(root, "broken", "cores: [2\nmemory: 4096")
    result = cli("--project-dir", root, "proxmox", "check", "--json")
    assert result.code == 0, result.err
    line = next(x for x in result.err.splitlines() if "machine class 'broken' skipped" in x)
    assert "machine-classes/broken.yaml:" in line
    assert str(root) not in line
