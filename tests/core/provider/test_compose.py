"""The generated compose file: content, merging beside other services, validity for Compose."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SAMPLES
from omni_scale.core.provider.compose import (
    DEFAULT_IMAGE,
    ProviderSpec,
    check_image,
    check_provider_id,
    config_name_for,
    image_for,
    key_variable_for,
    merge_provider,
    read_providers,
    remove_provider,
)
from omni_scale.errors import InputError

PC01 = SAMPLES / "provider" / "pc-01-basher83-compose-no-id.yaml"
PC03 = SAMPLES / "provider" / "pc-03-basher83-compose-head-local-fix.yaml"

needs_compose = pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose is not installed"
)


def second(provider_id: str) -> ProviderSpec:
    return ProviderSpec(
        provider_id,
        key_variable=key_variable_for(provider_id, first=False),
        config_name=config_name_for(provider_id, first=False),
    )


def test_new_compose_runs_the_provider_with_every_flag() -> None:
    text = merge_provider(None, ProviderSpec("proxmox"))
    [entry] = read_providers(text)
    assert entry.service == "provider-proxmox"
    assert entry.provider_id == "proxmox" and entry.id_explicit
    assert entry.image == DEFAULT_IMAGE
    assert entry.key_variable == "OMNI_INFRA_PROVIDER_KEY"
    assert not entry.key_literal
    assert entry.config_name == "config.yaml"
    assert "--config-file=/config.yaml" in entry.command
    assert "./config.yaml:/config.yaml:ro" in text
    assert "restart: unless-stopped" in text
    # the key is passed as environment, never as a flag (it would show in `docker inspect`)
    assert "--omni-service-account-key" not in text
    assert "OMNI_SERVICE_ACCOUNT_KEY: ${OMNI_INFRA_PROVIDER_KEY:?" in text


def test_second_provider_is_added_beside_the_first() -> None:
    text = merge_provider(merge_provider(None, ProviderSpec("proxmox")), second("lab-2"))
    entries = read_providers(text)
    assert [(e.provider_id, e.key_variable, e.config_name) for e in entries] == [
        ("proxmox", "OMNI_INFRA_PROVIDER_KEY", "config.yaml"),
        ("lab-2", "OMNI_INFRA_PROVIDER_KEY_LAB_2", "config-lab-2.yaml"),
    ]


def test_merging_again_is_stable() -> None:
    once = merge_provider(None, ProviderSpec("proxmox"))
    assert merge_provider(once, ProviderSpec("proxmox")) == once


def test_update_keeps_other_services_and_user_keys() -> None:
    original = PC03.read_text(encoding="utf-8")
    merged = merge_provider(original, ProviderSpec("matrix-cluster"))
    assert "worker-tailscale:" in merged
    assert 'network_mode: "service:worker-tailscale"' in merged
    [entry] = read_providers(merged)
    assert entry.service == "proxmox-provider"  # the user's service name is kept
    assert entry.image == DEFAULT_IMAGE
    assert entry.key_variable == "OMNI_INFRA_PROVIDER_KEY"
    assert "--omni-service-account-key" not in merged
    assert "# Tailscale sidecar" in merged  # comments survive


def test_reads_real_world_compose_without_id() -> None:
    [entry] = read_providers(PC01.read_text(encoding="utf-8"))
    assert entry.provider_id == "proxmox"
    assert not entry.id_explicit
    assert entry.key_variable == "OMNI_INFRA_PROVIDER_KEY"
    assert entry.image is not None and entry.image.endswith(":latest")


def test_literal_key_is_detected() -> None:
    text = "services:\n  p:\n    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0\n"
    text += "    environment:\n      OMNI_SERVICE_ACCOUNT_KEY: eyJuYW1lIjoi\n"
    [entry] = read_providers(text)
    assert entry.key_literal


def test_remove_provider() -> None:
    text = merge_provider(merge_provider(None, ProviderSpec("proxmox")), second("lab-2"))
    assert [e.provider_id for e in read_providers(remove_provider(text, "proxmox"))] == ["lab-2"]


def test_name_clash_with_a_foreign_service() -> None:
    text = "services:\n  provider-proxmox:\n    image: nginx:1.27\n"
    with pytest.raises(InputError, match="not a Proxmox provider"):
        merge_provider(text, ProviderSpec("proxmox"))


@pytest.mark.parametrize("bad", ["Proxmox", "-x", "a_b", "x" * 64, ""])
def test_provider_id_must_be_a_dns_label(bad: str) -> None:
    with pytest.raises(InputError, match="DNS-1123"):
        check_provider_id(bad)


def test_capitalised_id_hint_names_the_lowercase_form() -> None:
    with pytest.raises(InputError) as info:
        check_provider_id("Proxmox")
    assert "'proxmox'" in (info.value.hint or "")


@pytest.mark.parametrize(
    "image", ["ghcr.io/siderolabs/omni-infra-provider-proxmox:latest", "registry:5000/x"]
)
def test_floating_images_are_refused(image: str) -> None:
    with pytest.raises(InputError, match="floats"):
        check_image(image)


def test_image_forms() -> None:
    assert image_for(None) == DEFAULT_IMAGE
    assert image_for("0.2.0").endswith(":v0.2.0")
    digest = "ghcr.io/x/omni-infra-provider-proxmox@sha256:" + "a" * 64
    assert image_for(digest) == digest


def _compose_config(tmp: Path, text: str, env: str) -> subprocess.CompletedProcess[str]:
    (tmp / "docker").mkdir(exist_ok=True)
    (tmp / "docker" / "compose.yaml").write_text(text)
    (tmp / "docker" / "config.yaml").write_text("proxmox: {}\n")
    (tmp / ".env").write_text(env)
    return subprocess.run(
        ["docker-compose", "-f", "docker/compose.yaml", "--env-file", ".env", "config", "-q"],
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.needs_docker_compose
@needs_compose
def test_generated_file_is_valid_for_docker_compose(tmp_path: Path) -> None:
    text = merge_provider(merge_provider(None, ProviderSpec("proxmox")), second("lab-2"))
    env = (
        "OMNI_ENDPOINT=https://omni.example.com\nOMNI_INFRA_PROVIDER_KEY=a\n"
        "OMNI_INFRA_PROVIDER_KEY_LAB_2=b\n"
    )
    result = _compose_config(tmp_path, text, env)
    assert result.returncode == 0, result.stderr


@pytest.mark.needs_docker_compose
@needs_compose
def test_missing_key_fails_compose_with_our_hint(tmp_path: Path) -> None:
    text = merge_provider(None, ProviderSpec("proxmox"))
    result = _compose_config(tmp_path, text, "OMNI_ENDPOINT=https://omni.example.com\n")
    assert result.returncode != 0
    assert "OMNI_INFRA_PROVIDER_KEY is not set in .env" in result.stderr


@pytest.mark.needs_docker_compose
@needs_compose
def test_merged_real_world_file_is_valid_for_docker_compose(tmp_path: Path) -> None:
    merged = merge_provider(PC03.read_text(encoding="utf-8"), ProviderSpec("matrix-cluster"))
    env = "OMNI_ENDPOINT=https://omni.example.com\nOMNI_INFRA_PROVIDER_KEY=a\nTS_AUTHKEY=x\n"
    result = _compose_config(tmp_path, merged, env)
    assert result.returncode == 0, result.stderr


def test_merge_refuses_services_that_is_not_a_mapping() -> None:
    with pytest.raises(InputError, match="'services' is not a mapping") as info:
        merge_provider("name: lab\nservices: 3\n", ProviderSpec("proxmox"), path="compose.yaml")
    assert info.value.line == 2
    # an empty 'services:' has nothing to lose: the provider is added
    text = merge_provider("services:\n", ProviderSpec("proxmox"))
    assert [e.provider_id for e in read_providers(text)] == ["proxmox"]
