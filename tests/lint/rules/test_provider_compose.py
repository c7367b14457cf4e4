"""Compose rules: provider id, image pinning, secrets, flags (failing and passing examples)."""

from __future__ import annotations

from pathlib import Path

from fakes.fixtures_provider_project import make_key
from omni_scale.core.provider.compose import ProviderSpec, merge_provider
from omni_scale.lint.context import LintContext, build_context
from omni_scale.lint.engine import lint_files
from omni_scale.lint.problem import Problem
from omni_scale.project import Project

SERVICE = """\
services:
  provider:
    image: {image}
    restart: unless-stopped
    command:
      - --config-file=/config.yaml
      - --omni-api-endpoint=${{OMNI_ENDPOINT}}
{extra}    environment:
      OMNI_SERVICE_ACCOUNT_KEY: {key}
    volumes:
      - ./config.yaml:/config.yaml{ro}
"""
IMAGE = "ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0"


def compose(
    image: str = IMAGE,
    extra: str = "      - --id=proxmox\n",
    key: str = "${OMNI_INFRA_PROVIDER_KEY}",
    ro: str = ":ro",
) -> str:
    return SERVICE.format(image=image, extra=extra, key=key, ro=ro)


def lint(root: Path, text: str, ctx: LintContext | None = None) -> list[Problem]:
    path = root / "docker" / "compose.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return lint_files([path], ctx or LintContext()).problems


def found(problems: list[Problem]) -> set[tuple[str, str, int]]:
    return {(p.rule, str(p.severity), p.line) for p in problems}


def test_generated_compose_is_clean(tmp_path: Path) -> None:
    assert lint(tmp_path, merge_provider(None, ProviderSpec("proxmox"))) == []
    assert lint(tmp_path, compose()) == []


def test_missing_id_is_a_warning_without_context(tmp_path: Path) -> None:
    assert found(lint(tmp_path, compose(extra=""))) == {("provider-compose-id", "warning", 5)}


def test_id_against_the_key_in_env(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"OMNI_INFRA_PROVIDER_KEY={make_key('infra-provider:lab')}\n")
    path = tmp_path / "docker" / "compose.yaml"
    path.parent.mkdir()
    path.write_text(compose())
    problems = lint_files([path], build_context(Project(tmp_path))).problems
    assert found(problems) == {("provider-compose-id", "error", 8)}
    assert "created for 'lab'" in problems[0].message


def test_id_against_machine_classes_differing_by_case(tmp_path: Path) -> None:
    classes = tmp_path / "machine-classes"
    classes.mkdir()
    (classes / "w.yaml").write_text(
        "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n  id: w\n"
        "spec:\n  autoprovision:\n    providerid: Proxmox\n    providerdata: |\n      cores: 1\n"
    )
    path = tmp_path / "docker" / "compose.yaml"
    path.parent.mkdir()
    path.write_text(compose())
    problems = lint_files([path], build_context(Project(tmp_path))).problems
    assert ("provider-compose-id", "error", 8) in found(problems)


def test_capital_id_is_a_warning(tmp_path: Path) -> None:
    problems = lint(tmp_path, compose(extra="      - --id=Proxmox\n"))
    assert found(problems) == {("provider-compose-id", "warning", 8)}


def test_images(tmp_path: Path) -> None:
    for image in (
        "ghcr.io/siderolabs/omni-infra-provider-proxmox:latest",
        "ghcr.io/siderolabs/omni-infra-provider-proxmox",
        "ghcr.io/siderolabs/omni-infra-provider-proxmox:local-fix",
    ):
        assert found(lint(tmp_path, compose(image=image))) == {
            ("provider-compose-image", "warning", 3)
        }, image
    digest = "ghcr.io/siderolabs/omni-infra-provider-proxmox@sha256:" + "a" * 64
    assert lint(tmp_path, compose(image=digest)) == []


def test_literal_key_is_an_error(tmp_path: Path) -> None:
    problems = lint(tmp_path, compose(key=make_key("infra-provider:proxmox")))
    assert found(problems) == {("provider-compose-secret", "error", 10)}
    assert "eyJ" not in problems[0].message


def test_key_as_flag_is_a_warning(tmp_path: Path) -> None:
    text = compose(extra="      - --id=proxmox\n      - --omni-service-account-key=${K}\n")
    problems = [p for p in lint(tmp_path, text) if p.rule == "provider-compose-secret"]
    assert found(problems) == {("provider-compose-secret", "warning", 9)}


def test_flags(tmp_path: Path) -> None:
    text = compose(ro="")
    assert found(lint(tmp_path, text)) == {("provider-compose-flags", "warning", 12)}
    no_mount = compose().replace("    volumes:\n      - ./config.yaml:/config.yaml:ro\n", "")
    assert ("provider-compose-flags", "error", 5) in found(lint(tmp_path, no_mount))
    no_endpoint = compose().replace("      - --omni-api-endpoint=${OMNI_ENDPOINT}\n", "")
    assert any(
        "omni-api-endpoint flag is not set" in p.message for p in lint(tmp_path, no_endpoint)
    )
    no_restart = compose().replace("    restart: unless-stopped\n", "")
    assert found(lint(tmp_path, no_restart)) == {("provider-compose-flags", "warning", 3)}


def test_other_services_are_ignored(tmp_path: Path) -> None:
    text = compose() + "  tailscale:\n    image: tailscale/tailscale:latest\n"
    assert lint(tmp_path, text) == []


# --- flags the upstream provider does not have (provider.md §2: main.go of every release) -------


def test_fork_flags_with_the_upstream_image_are_errors(tmp_path: Path) -> None:
    text = compose(extra="      - --id=proxmox\n      - --dry-run\n      - --local=true\n")
    problems = [p for p in lint(tmp_path, text) if p.rule == "provider-compose-unknown-flag"]
    assert [(p.line, str(p.severity)) for p in problems] == [(9, "error"), (10, "error")]
    assert "the upstream provider (release v0.3.0) does not have it" in problems[0].message
    assert "`Error: unknown flag: --dry-run` (cobra)" in problems[0].message
    assert "`Error: unknown flag: --local`" in problems[1].message
    assert problems[0].hint and problems[0].hint.startswith("remove --dry-run")


def test_separate_flag_values_and_shorthands(tmp_path: Path) -> None:
    text = compose(extra="      - --id\n      - proxmox\n      - -v\n")
    [problem] = [p for p in lint(tmp_path, text) if p.rule == "provider-compose-unknown-flag"]
    assert "`Error: unknown shorthand flag: 'v' in -v`" in problem.message


def test_help_flag_stops_the_provider(tmp_path: Path) -> None:
    text = compose(extra="      - --help\n")
    [problem] = [p for p in lint(tmp_path, text) if p.rule == "provider-compose-unknown-flag"]
    assert "prints its help and exits" in problem.message


def test_fork_image_gets_a_warning_only(tmp_path: Path) -> None:
    text = compose(
        image="ghcr.io/example/omni-infra-provider-proxmox:v0.3.0-fork",
        extra="      - --dry-run\n",
    )
    [problem] = [p for p in lint(tmp_path, text) if p.rule == "provider-compose-unknown-flag"]
    assert str(problem.severity) == "warning"
    assert "only a fork that defines it accepts it" in problem.message


def test_untagged_upstream_image_names_the_releases_assumed(tmp_path: Path) -> None:
    text = compose(
        image="ghcr.io/siderolabs/omni-infra-provider-proxmox:latest", extra="      - --local\n"
    )
    [problem] = [p for p in lint(tmp_path, text) if p.rule == "provider-compose-unknown-flag"]
    assert "every release up to v0.3.0" in problem.message
