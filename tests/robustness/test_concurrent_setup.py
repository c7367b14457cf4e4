"""Property: one lock covers every file a command rewrites (`fs.lock.project_lock`).

Real concurrent processes: three `provider setup --id ...` at once on one project must end
with every provider's service in compose.yaml, every key line in .env and every config file,
in every trial (before the lock, 2-3 of 4 services survived and a .env line was lost).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from fakes.fixtures_provider_project import TOKEN_ID, make_key
from omni_scale.core.provider.env_file import parse_env

IDS = ("lab-a", "lab-b", "lab-c")


def _start(project: Path, tmp_path: Path, provider_id: str) -> subprocess.Popen[str]:
    secret = tmp_path / f"secret-{provider_id}"
    secret.write_text("5e1f0a7c-9d7b-4d7e-8c41-7f0b9a2f1c33\n")
    key = tmp_path / f"key-{provider_id}"
    key.write_text(make_key(f"infra-provider:{provider_id}") + "\n")
    args = [
        sys.executable, "-m", "omni_scale", "--project-dir", str(project), "provider", "setup",
        "--id", provider_id, "--omni-endpoint", "https://omni.example.com",
        "--proxmox-url", "https://pve1.example.com:8006/api2/json", "--token-id", TOKEN_ID,
        "--token-secret-file", str(secret), "--key-file", str(key), "--offline",
    ]  # fmt: skip
    return subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=dict(os.environ),
    )


def test_three_concurrent_setups_keep_every_service_and_key(
    provider_project: Any, tmp_path: Path
) -> None:
    for trial in range(3):
        project = provider_project()  # the first provider, 'proxmox'
        procs = [_start(project, tmp_path, f"{pid}-{trial}") for pid in IDS]
        for proc in procs:
            _out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
        compose = (project / "docker" / "compose.yaml").read_text()
        env = parse_env((project / ".env").read_text())
        for pid in ("proxmox", *(f"{p}-{trial}" for p in IDS)):
            assert f"- --id={pid}\n" in compose, pid
        key_lines = [k for k in env if k.startswith("OMNI_INFRA_PROVIDER_KEY")]
        assert len(key_lines) == 4 + 3 * trial, (trial, key_lines)
        configs = sorted(p.name for p in (project / "docker").glob("config*.yaml"))
        assert len(configs) == 4 + 3 * trial, configs
