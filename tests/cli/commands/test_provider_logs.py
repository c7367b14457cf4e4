"""`provider logs`: readable rows from docker compose logs or pasted text, with diagnosis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

REAL_JSON = (
    '{"level":"error","ts":1768288274.96,"caller":"qruntime/qruntime.go:295","msg":"reconcile '
    'failed","controller":"proxmox.ProvisionController","id":"Carmarthen-Prod-workers-zf9qfl",'
    '"error":"ERROR: <input>:1:0: Syntax error: mismatched input \'<EOF>\' expecting {"}'
)
INFO = '{"level":"info","ts":1768288000.0,"msg":"starting infra provider"}'
STEP = (
    '{"level":"info","ts":1768288001.0,"msg":"running provision step","request_id":'
    '"talos-workers-abcdef","step":"syncVM"}'
)
START_ERROR = 'Error: resource ID must match the infra provider ID "Proxmox"'


def test_rows_from_docker(provider_project: Any, cli: Any, fake_docker: Any) -> None:
    root = provider_project()
    fake_docker.set_logs("provider-proxmox", [INFO, STEP, REAL_JSON])
    result = cli("--project-dir", root, "provider", "logs", "--tail", "50")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "2026-01-13 07:06:40 INFO  starting infra provider"
    assert lines[1] == (
        "2026-01-13 07:06:41 INFO  [talos-workers-abcdef] syncVM: running provision step"
    )
    assert lines[2].startswith("2026-01-13 07:11:14 ERROR [Carmarthen-Prod-workers-zf9qfl] ")
    assert "reconcile failed: ERROR: <input>:1:0" in lines[2]
    [argv] = fake_docker.compose_calls("logs")
    assert argv[argv.index("--tail") + 1] == "50"
    assert argv[-1] == "provider-proxmox"


def test_diagnose_names_cause_and_fix(provider_project: Any, cli: Any, fake_docker: Any) -> None:
    root = provider_project()
    fake_docker.set_logs("provider-proxmox", [INFO, START_ERROR, REAL_JSON])
    result = cli("--project-dir", root, "--json", "provider", "logs", "--diagnose")
    assert result.code == 1
    data = result.json()
    assert [d["id"] for d in data["diagnoses"]] == ["provider-id-mismatch", "cel-empty-selector"]
    assert data["errors"] == 2
    human = cli("--project-dir", root, "provider", "logs", "--diagnose")
    assert "cause: the provider's --id differs" in human.out
    assert "fix:   create a key for the id docker/compose.yaml uses" in human.out
    assert "set --id=Proxmox" not in human.out  # not a DNS-1123 id: setup would refuse it


def test_raw_and_errors_only(provider_project: Any, cli: Any, fake_docker: Any) -> None:
    root = provider_project()
    fake_docker.set_logs("provider-proxmox", [INFO, REAL_JSON])
    raw = cli("--project-dir", root, "provider", "logs", "--raw")
    assert raw.out.splitlines() == [
        f"docker-provider-proxmox-1  | {INFO}",
        f"docker-provider-proxmox-1  | {REAL_JSON}",
    ]
    errors = cli("--project-dir", root, "--json", "provider", "logs", "--errors")
    assert [e["level"] for e in errors.json()["entries"]] == ["error"]


def test_pasted_viewer_text(project: Path, tmp_path: Path, cli: Any) -> None:
    pasted = tmp_path / "paste.txt"
    pasted.write_text(
        "ERR qruntime/qruntime.go:295 > ts=1768288274.96 msg=reconcile failed "
        "error=expression output type is string, expected bool step=syncVM\n"
        "not authorized to access endpoint\n"
    )
    result = cli(
        "--project-dir", project, "--json", "provider", "logs", "--from-file", pasted, "--diagnose"
    )
    assert result.code == 1
    ids = [d["id"] for d in result.json()["diagnoses"]]
    assert ids == ["cel-not-bool", "proxmox-not-authorized"]


def test_follow_streams(provider_project: Any, cli: Any, fake_docker: Any) -> None:
    root = provider_project()
    fake_docker.set_logs("provider-proxmox", [INFO, START_ERROR])
    result = cli("--project-dir", root, "provider", "logs", "--follow", "--diagnose")
    assert result.code == 0, result.err
    assert "starting infra provider" in result.out
    assert "-> [provider-id-mismatch]" in result.out
    assert fake_docker.compose_calls("--follow")


def test_follow_with_json_is_refused(provider_project: Any, cli: Any, fake_docker: Any) -> None:
    root = provider_project()
    result = cli("--project-dir", root, "--json", "provider", "logs", "--follow")
    assert result.code == 2
    assert result.json()["ok"] is False


def test_no_daemon(provider_project: Any, cli: Any, fake_docker: Any) -> None:
    root = provider_project()
    fake_docker.update(engine="down")
    result = cli("--project-dir", root, "provider", "logs")
    assert result.code == 3
    assert "Docker daemon is not running" in result.err


def test_unknown_provider(provider_project: Any, cli: Any, fake_docker: Any) -> None:
    root = provider_project()
    result = cli("--project-dir", root, "provider", "logs", "--provider", "nope")
    assert result.code == 2
    assert "known: proxmox" in result.err
