"""Helpers for the machine-class lint tests: build a project in tmp and lint files in it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from omni_scale.lint.context import build_context
from omni_scale.lint.engine import LintReport, lint_files
from omni_scale.project import Project

COMPOSE = """\
services:
  omni-infra-provider-proxmox:
    image: {image}
    command: {command}
    volumes:
      - ./config.yaml:/config.yaml:ro
"""


def make_project(
    root: Path,
    *,
    provider_id: str | None = None,
    image: str = "ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0",
) -> Project:
    """A project with docker/compose.yaml running the provider with `--id=provider_id`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "machine-classes").mkdir(exist_ok=True)
    args = ["--config-file=/config.yaml"]
    if provider_id is not None:
        args.append(f"--id={provider_id}")
    (root / "docker").mkdir(exist_ok=True)
    (root / "docker" / "compose.yaml").write_text(
        COMPOSE.format(image=image, command="[" + ", ".join(f'"{a}"' for a in args) + "]")
    )
    return Project(root)


def lint(project: Project | None, *paths: Path, select: tuple[str, ...] = ()) -> LintReport:
    return lint_files(list(paths), build_context(project), select=select)


def machine_class(providerdata: str, *, providerid: str = "proxmox", cid: str = "worker") -> str:
    """A well-formed MachineClass document with `providerdata` (dedented) as its string."""
    body = textwrap.indent(textwrap.dedent(providerdata).strip("\n"), " " * 6)
    return (
        "metadata:\n"
        "  namespace: default\n"
        "  type: MachineClasses.omni.sidero.dev\n"
        f"  id: {cid}\n"
        "spec:\n"
        "  autoprovision:\n"
        f"    providerid: {providerid}\n"
        "    providerdata: |\n"
        f"{body}\n"
    )


GOOD = """\
cores: 2
sockets: 1
memory: 4096
disk_size: 40
storage_selector: name == "local-lvm"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def by_rule(report: LintReport, rule: str) -> list:  # type: ignore[type-arg]
    return [p for p in report.problems if p.rule == rule]
