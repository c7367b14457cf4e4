"""Proxmox fixtures: fakepve (the third-party fake, over TLS with its CA) and our stand-in.

fakepve's own plugin provides `fakepve` (a started FakePve, root@pam/secret) and
`fakepve_cafile`. These fixtures add a project wired to it and the loopback stand-in.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fakes.pve_standin import MINIMAL_PRIVILEGES, StandIn

TOKEN_ID = "omni@pve!provider"
TOKEN_SECRET = "5e1f0a7c-9d7b-4d7e-8c41-7f0b9a2f1c33"
POOL_PRIVILEGES = ("Pool.Allocate", "Pool.Audit")
WITHOUT_PCI = tuple(p for p in MINIMAL_PRIVILEGES if p != "Mapping.Use")


@pytest.fixture
def standin() -> Iterator[StandIn]:
    server = StandIn().start()
    try:
        yield server
    finally:
        server.stop()


def write_config(root: Path, url: str, **extra: Any) -> Path:
    """docker/config.yaml for the provider (token auth unless extra says otherwise)."""
    block: dict[str, Any] = {"url": url}
    if "username" not in extra:
        block.update(tokenID=TOKEN_ID, tokenSecret=TOKEN_SECRET)
    block.update(extra)
    path = root / "docker" / "config.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["proxmox:"] + [f"  {k}: {json.dumps(v)}" for k, v in block.items()]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return path


def write_class(root: Path, name: str, providerdata: str, providerid: str = "proxmox") -> Path:
    folder = root / "machine-classes"
    folder.mkdir(exist_ok=True)
    body = "\n".join("      " + line for line in providerdata.strip().splitlines())
    text = (
        "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n"
        f"  id: {name}\nspec:\n  autoprovision:\n    providerid: {providerid}\n"
        f"    providerdata: |\n{body}\n"
    )
    path = folder / f"{name}.yaml"
    path.write_text(text)
    return path


@pytest.fixture
def pve_project(
    project: Path, fakepve: Any, fakepve_cafile: str, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Path]:
    """A project whose docker/config.yaml points at the running fakepve (TLS verified with its
    CA through SSL_CERT_FILE, the standard OpenSSL variable the client honours)."""
    monkeypatch.setenv("SSL_CERT_FILE", fakepve_cafile)

    def make(**extra: Any) -> Path:
        if "username" not in extra:
            fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
        write_config(project, fakepve.url + "/api2/json", **extra)
        return project

    return make


@pytest.fixture
def provider_on_fakepve(
    provider_project: Any, fakepve: Any, fakepve_cafile: str, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A set-up provider project whose token reaches fakepve with the minimal role on / (TLS
    verified with fakepve's CA through SSL_CERT_FILE)."""
    monkeypatch.setenv("SSL_CERT_FILE", fakepve_cafile)
    fakepve.apitokens[TOKEN_ID] = TOKEN_SECRET
    fakepve.grant(TOKEN_ID, "/", *WITHOUT_PCI)
    root: Path = provider_project(proxmox_url=fakepve.url + "/api2/json")
    return root
