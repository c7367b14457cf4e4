"""`omni-scale machineclass plan` on the example snapshot, failing snapshots and live fakepve."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE as EXAMPLE_DIR
from fakes.fixtures_pve import write_class

PD = 'cores: 2\nsockets: 1\nmemory: 4096\ndisk_size: 32\nstorage_selector: name == "local-lvm"\n'


@pytest.fixture
def homelab(tmp_path: Path) -> Path:
    root = tmp_path / "homelab"
    shutil.copytree(EXAMPLE_DIR, root)
    return root


def edit_snapshot(root: Path, change: Any) -> None:
    path = root / "proxmox-snapshot.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_example_plan_json_shape(cli: Any) -> None:
    result = cli("--project-dir", EXAMPLE_DIR, "machineclass", "plan", "--all", "--json")
    assert result.code == 0, result.err
    data = result.json()
    classes = {c["id"]: c for c in data["classes"]}
    assert set(classes) == {"homelab-control-plane", "homelab-storage-worker", "homelab-worker"}
    worker = classes["homelab-storage-worker"]
    assert worker["node"] == "pve2" and worker["ok"] is True
    assert [(d["slot"], d["storage"], d["size_gb"]) for d in worker["disks"]] == [
        ("scsi0", "ceph-vm", 40),
        ("scsi1", "local-lvm", 200),
    ]
    for c in data["classes"]:
        assert {"id", "providerid", "node", "disks", "ok", "problems"} <= set(c)
        for p in c["problems"]:
            assert set(p) >= {"severity", "message", "hint"}
    assert data["sources"][0]["mode"] == "snapshot"


def test_example_plan_table(cli: Any) -> None:
    result = cli("--project-dir", EXAMPLE_DIR, "machineclass", "plan")
    assert result.code == 0
    assert "from snapshot proxmox-snapshot.json" in result.out
    assert "homelab-control-plane" in result.out and "scsi1 local-lvm 200 GiB" in result.out


def test_one_class_by_name_and_unknown_name(cli: Any) -> None:
    result = cli("--project-dir", EXAMPLE_DIR, "machineclass", "plan", "homelab-worker", "--json")
    assert [c["id"] for c in result.json()["classes"]] == ["homelab-worker"]
    result = cli("--project-dir", EXAMPLE_DIR, "machineclass", "plan", "nope")
    assert result.code == 2 and "no machine class 'nope'" in result.err


def test_failing_snapshot_exits_1(cli: Any, homelab: Path) -> None:
    def shrink(data: dict) -> None:
        pve2 = next(n for n in data["nodes"] if n["node"] == "pve2")
        lvm = next(s for s in pve2["storages"] if s["storage"] == "local-lvm")
        lvm["avail"] = 100 * 1024**3  # the 200 GiB data disk no longer matches
        pve2["status"] = "offline"  # and the pinned node is down

    edit_snapshot(homelab, shrink)
    result = cli("--project-dir", homelab, "machineclass", "plan", "--json")
    assert result.code == 1
    classes = {c["id"]: c for c in result.json()["classes"]}
    pinned = classes["homelab-storage-worker"]
    assert not pinned["ok"] and pinned["node"] is None
    assert pinned["problems"][0]["message"] == (
        'specified node "pve2" is not online (status: offline)'
    )
    assert classes["homelab-worker"]["node"] == "pve1"  # v0.3.0 skips the offline node


def test_explicit_snapshot_file(cli: Any, homelab: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.json"
    shutil.move(homelab / "proxmox-snapshot.json", other)
    result = cli("--project-dir", homelab, "machineclass", "plan", "--snapshot", other, "--json")
    assert result.code == 0 and result.json()["sources"][0]["where"] == str(other)
    result = cli("--project-dir", homelab, "machineclass", "plan", "--snapshot", "missing.json")
    assert result.code == 2 and "does not exist" in result.err


def test_nothing_to_plan_from(cli: Any, project: Path) -> None:
    write_class(project, "workers", PD)
    result = cli("--project-dir", project, "machineclass", "plan")
    assert result.code == 2 and "nothing to plan from" in result.err


def test_bad_snapshot_is_bad_input(cli: Any, homelab: Path) -> None:
    edit_snapshot(homelab, lambda d: d.update(version=9))
    result = cli("--project-dir", homelab, "machineclass", "plan")
    assert result.code == 2 and "version 9 is not supported" in result.err


def test_live_plan_against_fakepve(cli: Any, pve_project: Any, fakepve: Any) -> None:
    root = pve_project()
    write_class(root, "workers", PD)
    write_class(root, "big", PD.replace("memory: 4096", "memory: 65536"))
    result = cli("--project-dir", root, "machineclass", "plan", "--live", "--json")
    assert result.code == 1, result.err
    data = result.json()
    assert data["sources"][0]["mode"] == "live"
    classes = {c["id"]: c for c in data["classes"]}
    assert classes["workers"]["ok"] and classes["workers"]["disks"][0]["storage"] == "local-lvm"
    assert any("more than pve1 has" in p["message"] for p in classes["big"]["problems"])
    assert not any(r[0] != "GET" for r in fakepve.requests)  # a plan never writes


def test_class_for_an_unknown_provider(cli: Any, homelab: Path) -> None:
    write_class(homelab, "stray", PD, providerid="Proxmox")
    result = cli("--project-dir", homelab, "machineclass", "plan", "stray", "--json")
    assert result.code == 1
    [problem] = result.json()["classes"][0]["problems"]
    assert "'Proxmox' is not run by this project" in problem["message"]


def test_several_providers_each_plan_on_their_snapshot(cli: Any, homelab: Path) -> None:
    compose = homelab / "docker" / "compose.yaml"
    compose.write_text(
        compose.read_text()
        + "  lab:\n    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0\n"
        "    command: [--config-file, /config.yaml, --id, lab]\n"
    )
    lab = json.loads((homelab / "proxmox-snapshot.json").read_text())
    lab["provider_id"] = "lab"
    lab["nodes"] = [n for n in lab["nodes"] if n["node"] == "pve1"]
    (homelab / "proxmox-snapshot-lab.json").write_text(json.dumps(lab))
    write_class(homelab, "lab-workers", PD, providerid="lab")
    result = cli("--project-dir", homelab, "machineclass", "plan", "--json")
    assert result.code == 0, result.out
    classes = {c["id"]: c for c in result.json()["classes"]}
    assert classes["lab-workers"]["node"] == "pve1" and classes["lab-workers"]["ok"]
    assert classes["homelab-storage-worker"]["node"] == "pve2"
    sources = {s["provider_id"]: s["where"] for s in result.json()["sources"]}
    assert sources == {"proxmox": "proxmox-snapshot.json", "lab": "proxmox-snapshot-lab.json"}


def test_live_plan_reads_only_the_landing_nodes(cli: Any, project: Path, standin: Any) -> None:
    from fakes.fixtures_pve import write_config
    from fakes.pve_standin import cluster_routes

    standin.routes.update(cluster_routes(6, 2))
    write_config(project, standin.url)
    selector = 'name == "store1"'
    write_class(project, "auto", PD.replace('name == "local-lvm"', selector))
    write_class(project, "pinned", PD.replace('name == "local-lvm"', selector) + "node: pve3\n")
    result = cli("--project-dir", project, "machineclass", "plan", "--json")
    assert result.code == 0, result.out + result.err
    nodes = {c["id"]: c["node"] for c in result.json()["classes"]}
    assert nodes == {"auto": "pve1", "pinned": "pve3"}  # pve1 has the most free memory
    storage_hits = sorted(k for k in standin.hits if k.endswith("/storage"))
    assert storage_hits == ["GET /nodes/pve1/storage", "GET /nodes/pve3/storage"]


def test_plan_names_the_release_it_replayed(cli: Any, homelab: Path) -> None:
    data = cli("--project-dir", homelab, "machineclass", "plan", "--json").json()
    assert data["provider"]["id"] == "proxmox"
    assert (data["provider"]["release"], data["provider"]["assumed"]) == ("v0.3.0", True)
    assert data["provider"]["rules"] == "v0.2.0"
    text = cli("--project-dir", homelab, "machineclass", "plan").out
    assert "provider proxmox replays v0.3.0 (v0.2.0 placement), assumed" in text
    compose = homelab / "docker" / "compose.yaml"
    compose.write_text(compose.read_text().replace(":v0.3.0", ":v0.1.0"))
    data = cli("--project-dir", homelab, "machineclass", "plan", "--json").json()
    assert (data["provider"]["release"], data["provider"]["assumed"]) == ("v0.1.0", False)


def test_replicas_spread_from_v020_and_clump_before(cli: Any, homelab: Path) -> None:
    args = ("--project-dir", homelab, "machineclass", "plan", "homelab-worker", "--json")
    data = cli(*args, "--replicas", "3").json()
    [worker] = data["classes"]
    # pve3 is offline; spread alternates between the two online nodes through the ledger
    assert [r["node"] for r in worker["replicas"]] == ["pve2", "pve1", "pve2"]
    assert [r["request"] for r in worker["replicas"]] == [
        "homelab-worker-1",
        "homelab-worker-2",
        "homelab-worker-3",
    ]
    compose = homelab / "docker" / "compose.yaml"
    compose.write_text(compose.read_text().replace(":v0.3.0", ":v0.1.0"))
    [worker] = cli(*args, "--replicas", "3").json()["classes"]
    assert [r["node"] for r in worker["replicas"]] == ["pve2"] * 3
    assert any("#51" in p["message"] for p in worker["problems"])
    assert cli(*args, "--replicas", "0").code == 2


def test_live_replicas_read_every_landing_node(cli: Any, project: Path, standin: Any) -> None:
    from fakes.fixtures_pve import write_config
    from fakes.pve_standin import cluster_routes

    standin.routes.update(cluster_routes(6, 2))
    write_config(project, standin.url)
    write_class(project, "auto", PD.replace('name == "local-lvm"', 'name == "store1"'))
    result = cli("--project-dir", project, "machineclass", "plan", "--replicas", "3", "--json")
    assert result.code == 0, result.out + result.err
    [auto] = result.json()["classes"]
    assert [r["node"] for r in auto["replicas"]] == ["pve1", "pve2", "pve3"]
    storage_hits = sorted(k for k in standin.hits if k.endswith("/storage"))
    assert storage_hits == [f"GET /nodes/pve{i}/storage" for i in (1, 2, 3)]
    assert not any(k.endswith("/qemu") for k in standin.hits)  # spread needs no VM counts


def test_live_fewer_vms_reads_every_nodes_vm_count(cli: Any, project: Path, standin: Any) -> None:
    from fakes.fixtures_pve import write_config
    from fakes.pve_standin import Reply, cluster_routes

    standin.routes.update(cluster_routes(4, 2))
    vms = [{"vmid": 100 + i, "name": f"vm{i}", "status": "running"} for i in range(5)]
    standin.routes["GET /nodes/pve1/qemu"] = Reply.data(vms)
    standin.routes["GET /pools"] = Reply.data([{"poolid": "auto"}])
    write_config(project, standin.url)
    pd = PD.replace('name == "local-lvm"', 'name == "store1"') + "placement_strategy: fewer-vms\n"
    write_class(project, "auto", pd)
    result = cli("--project-dir", project, "machineclass", "plan", "--live", "--json")
    assert result.code == 0, result.out + result.err
    # pve1 has the most free memory but 5 VMs: fewer-vms takes pve2 (0 VMs, next most free)
    assert result.json()["classes"][0]["node"] == "pve2"
    qemu_hits = sorted(k for k in standin.hits if k.endswith("/qemu"))
    assert qemu_hits == [f"GET /nodes/pve{i}/qemu" for i in range(1, 5)]


def test_live_pool_the_token_cannot_audit_is_missing_for_the_provider(
    cli: Any, pve_project: Any, fakepve: Any
) -> None:
    from fakes.fixtures_pve import TOKEN_ID, WITHOUT_PCI

    root = pve_project()
    fakepve.pools.update({"talos": set(), "hidden": set()})
    fakepve.pool_info.update({p: {"comment": None, "storage": set()} for p in ("talos", "hidden")})
    fakepve.grant(TOKEN_ID, "/", *[p for p in WITHOUT_PCI if p != "Pool.Audit"])
    fakepve.grant(TOKEN_ID, "/pool/talos", "Pool.Audit")
    write_class(root, "seen", PD + "pool: talos\n")
    write_class(root, "unseen", PD + "pool: hidden\n")
    result = cli("--project-dir", root, "machineclass", "plan", "--live", "--json")
    assert result.code == 1, result.err
    classes = {c["id"]: c for c in result.json()["classes"]}
    assert classes["seen"]["ok"], classes["seen"]["problems"]
    # PVE 9 lists only pools with Pool.Audit: the provider takes "hidden" for missing
    assert classes["unseen"]["provider_error"] == (
        'proxmox pool "hidden" does not exist; create it in Proxmox or leave "pool" empty to '
        "use the machine request set id"
    )
