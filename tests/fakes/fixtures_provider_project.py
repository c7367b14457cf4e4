"""`provider_project`: a project set up by `omni-scale provider setup --offline` for real.

def test_x(provider_project, cli):
    root = provider_project()                       # key for 'proxmox', token auth
    root = provider_project(provider_id="lab-2")    # another (or a further) provider
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

TOKEN_ID = "omni@pve!provider"
TOKEN_SECRET = "5e1f0a7c-9d7b-4d7e-8c41-7f0b9a2f1c33"


def make_key(name: str, pgp: str = "-----BEGIN PGP PRIVATE KEY BLOCK-----\nX\n") -> str:
    """A key shaped like Omni's: base64 of {"name", "pgp_key"} (siderolabs/omni v1.10.4)."""
    return base64.b64encode(json.dumps({"name": name, "pgp_key": pgp}).encode()).decode()


@pytest.fixture
def provider_project(
    project: Path, tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Path]:
    def make(
        *,
        provider_id: str = "proxmox",
        key: str | None = None,
        token_secret: str = TOKEN_SECRET,
        proxmox_url: str = "https://pve1.example.com:8006/api2/json",
        extra: tuple[str, ...] = (),
    ) -> Path:
        secret_file = tmp_path / f"token-secret-{provider_id}"
        secret_file.write_text(token_secret + "\n")
        key_file = tmp_path / f"key-{provider_id}"
        key_file.write_text((key or make_key(f"infra-provider:{provider_id}")) + "\n")
        args = [
            "--project-dir",
            str(project),
            "provider",
            "setup",
            "--id",
            provider_id,
            "--omni-endpoint",
            "https://omni.example.com",
            "--proxmox-url",
            proxmox_url,
            "--token-id",
            TOKEN_ID,
            "--token-secret-file",
            str(secret_file),
            "--key-file",
            str(key_file),
            "--offline",
            *extra,
        ]
        result = cli(*args)
        assert result.code == 0, result.err
        return project

    return make
