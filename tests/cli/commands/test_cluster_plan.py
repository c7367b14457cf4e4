"""`omni-scale cluster plan` and `check` on cluster templates: replicas per set, the release
read from compose, capacity (placement.md §4: sets share real capacity)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import EXAMPLE as EXAMPLE_DIR
from fakes.fixtures_pve import write_class
from fakes.pve_snapshots import GIB, node, snapshot_doc

IMAGE = "ghcr.io/siderolabs/omni-infra-provider-proxmox"


def write_compose(root: Path, tag: str | None = "v0.2.0") -> None:
    image = IMAGE if tag is None else f"{IMAGE}:{tag}"
    (root / "docker").mkdir(exist_ok=True)
    (root / "docker" / "compose.yaml").write_text(
        "services:\n  provider:\n"
        f"    image: {image}\n"
        "    command: [--id=proxmox, --config-file=/config.yaml]\n"
        "    volumes:\n      - ./config.yaml:/config.yaml:ro\n"
    )


def write_snapshot(root: Path, *nodes: dict, **kw: Any) -> None:
    (root / "proxmox-snapshot.json").write_text(json.dumps(snapshot_doc(*nodes, **kw)))


def write_template(root: Path, name: str, cp: tuple[str, int], *workers: tuple[str, str, int]):
    docs = [
        f"kind: Cluster\nname: {name}\nkubernetes:\n  version: v1.33.3\ntalos:\n"
        "  version: v1.10.6\n",
        f"kind: ControlPlane\nmachineClass:\n  name: {cp[0]}\n  size: {cp[1]}\n",
    ]
    for wname, cls, size in workers:
        named = f"name: {wname}\n" if wname != "workers" else ""
        docs.append(f"kind: Workers\n{named}machineClass:\n  name: {cls}\n  size: {size}\n")
    (root / "clusters").mkdir(exist_ok=True)
    path = root / "clusters" / f"{name}.yaml"
    path.write_text("---\n".join(docs))
    return path


def pd(memory: int, disk: int = 20, extra: str = "") -> str:
    selector = 'storage_selector: name == "local-lvm"\n'
    return f"cores: 2\nsockets: 1\nmemory: {memory}\ndisk_size: {disk}\n{selector}{extra}"


def homelab_too_small(project: Path) -> Path:
    """The issue's case: 3 x 8 GiB control planes + 2 x 6 GiB workers on two nodes with 6 GiB
    free each."""
    write_compose(project, "v0.2.0")
    write_snapshot(project, node("pve1", 6, maxmem_gib=32), node("pve2", 6, maxmem_gib=32))
    write_class(project, "cp", pd(8192))
    write_class(project, "wk", pd(6144))
    write_template(project, "homelab", ("cp", 3), ("workers", "wk", 2))
    return project


def test_homelab_that_does_not_fit_fails_cluster_plan_and_check(cli: Any, project: Path) -> None:
    root = homelab_too_small(project)
    result = cli("--project-dir", root, "cluster", "plan", "--json")
    assert result.code == 1, result.err
    cluster = result.json()["clusters"][0]
    assert cluster["name"] == "homelab" and cluster["ok"] is False
    assert [s["id"] for s in cluster["sets"]] == ["homelab-control-planes", "homelab-workers"]
    cps = cluster["sets"][0]["machines"]
    # v0.2.0 spread through the ledger: pve1/pve2 tie on free memory, API order first
    assert [m["node"] for m in cps] == ["pve1", "pve2", "pve1"]
    assert [m["request"] for m in cps] == [f"homelab-control-planes-{i}" for i in (1, 2, 3)]
    nodes = {n["node"]: n for n in cluster["capacity"]["nodes"]}
    assert nodes["pve1"]["memory_planned"] == (2 * 8 + 6) * GIB
    assert nodes["pve1"]["memory_free"] == 6 * GIB and nodes["pve1"]["ok"] is False
    assert nodes["pve2"]["vms_planned"] == 2
    errors = [p["message"] for p in cluster["problems"] if p["severity"] == "error"]
    assert any("node pve1: 3 VM(s) planned need 22.0 GiB of memory" in m for m in errors)
    check = cli("--project-dir", root, "check", "--json")
    assert check.code == 1
    data = check.json()
    assert data["ok"] is False and data["clusters"][0]["ok"] is False
    assert data["providers"][0]["release"] == "v0.2.0"


def test_same_project_with_room_passes(cli: Any, project: Path) -> None:
    root = homelab_too_small(project)
    write_snapshot(root, node("pve1", 40), node("pve2", 40), node("pve3", 40))
    result = cli("--project-dir", root, "cluster", "plan", "--json")
    assert result.code == 0, result.out
    cluster = result.json()["clusters"][0]
    cps = [m["node"] for m in cluster["sets"][0]["machines"]]
    assert sorted(cps) == ["pve1", "pve2", "pve3"]  # spread: no shared control plane
    assert not any("control planes on" in p["message"] for p in cluster["problems"])
    assert cluster["provider"]["release"] == "v0.2.0" and cluster["provider"]["assumed"] is False


def test_v010_clumps_control_planes_on_one_node(cli: Any, project: Path) -> None:
    root = homelab_too_small(project)
    write_compose(root, "v0.1.0")
    write_snapshot(root, node("pve1", 40), node("pve2", 30), node("pve3", 20))
    result = cli("--project-dir", root, "cluster", "plan", "--json")
    cluster = result.json()["clusters"][0]
    assert [m["node"] for m in cluster["sets"][0]["machines"]] == ["pve1"] * 3
    set_warnings = [p["message"] for p in cluster["sets"][0]["problems"]]
    assert any("all 3 VMs of the set land on pve1" in m for m in set_warnings)
    assert any("3 of 3 control planes on pve1" in p["message"] for p in cluster["problems"])


def test_latest_image_is_assumed_newest_and_said_in_text(cli: Any, project: Path) -> None:
    root = homelab_too_small(project)
    write_compose(root, "latest")
    write_snapshot(root, node("pve1", 40), node("pve2", 40), node("pve3", 40))
    result = cli("--project-dir", root, "cluster", "plan")
    assert "provider proxmox replays v0.3.0 (v0.2.0 placement), assumed" in result.out
    data = cli("--project-dir", root, "cluster", "plan", "--json").json()
    assert data["clusters"][0]["provider"]["assumed"] is True


def test_thin_storage_warns_thick_storage_fails(cli: Any, project: Path) -> None:
    root = homelab_too_small(project)
    thin = {"storage": "local-lvm", "type": "lvmthin", "content": "images", "avail": 50 * GIB}
    iso = {"storage": "local", "type": "dir", "content": "iso", "avail": 10 * GIB}
    write_snapshot(
        root, node("pve1", 60, storages=[iso, thin]), node("pve2", 60, storages=[iso, thin])
    )
    write_class(root, "cp", pd(2048, disk=30))
    write_class(root, "wk", pd(2048, disk=30))
    cluster = cli("--project-dir", root, "cluster", "plan", "--json").json()["clusters"][0]
    storages = {(s["node"], s["storage"]): s for s in cluster["capacity"]["storages"]}
    assert storages[("pve1", "local-lvm")]["planned"] == 90 * GIB
    assert storages[("pve1", "local-lvm")]["thin"] is True
    over = [p for p in cluster["problems"] if "local-lvm on pve1" in p["message"]]
    assert [p["severity"] for p in over] == ["warning"] and cluster["ok"] is True
    thick = dict(thin, type="lvm")
    write_snapshot(
        root, node("pve1", 60, storages=[iso, thick]), node("pve2", 60, storages=[iso, thick])
    )
    cluster = cli("--project-dir", root, "cluster", "plan", "--json").json()["clusters"][0]
    over = [p for p in cluster["problems"] if "local-lvm on pve1" in p["message"]]
    assert [p["severity"] for p in over] == ["error"] and cluster["ok"] is False


def test_class_of_a_provider_the_project_does_not_run(cli: Any, project: Path) -> None:
    root = homelab_too_small(project)
    write_class(root, "wk", pd(2048), providerid="elsewhere")
    write_snapshot(root, node("pve1", 60), node("pve2", 60))
    cluster = cli("--project-dir", root, "cluster", "plan", "--json").json()["clusters"][0]
    workers = cluster["sets"][1]
    assert workers["ok"] is False
    assert any(
        "'elsewhere', which this project does not run" in p["message"] for p in workers["problems"]
    )


def test_template_by_name_and_unknown_template(cli: Any, project: Path) -> None:
    root = homelab_too_small(project)
    write_template(root, "other", ("cp", 1))
    data = cli("--project-dir", root, "cluster", "plan", "other", "--json").json()
    assert [c["name"] for c in data["clusters"]] == ["other"]
    result = cli("--project-dir", root, "cluster", "plan", "nope")
    assert result.code == 2 and "cluster template 'nope' not found" in result.err
    assert "Traceback" not in result.err


def test_example_cluster_plan_text_fits_80_columns(cli: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("--project-dir", EXAMPLE_DIR, "cluster", "plan")
    assert result.code == 0, result.out
    assert "cluster homelab" in result.out
    assert all(len(line) <= 80 for line in result.out.splitlines())
