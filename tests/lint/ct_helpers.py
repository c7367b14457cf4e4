"""Helpers for the cluster-template lint tests: write a template into a project and lint it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from omni_scale.lint.context import build_context
from omni_scale.lint.engine import LintReport, lint_files
from omni_scale.project import Project

HEAD = """\
kind: Cluster
name: talos
kubernetes:
  version: v1.34.2
talos:
  version: v1.12.0
---
kind: ControlPlane
machineClass:
  name: control-plane
  size: 1
"""

AUTO_CLASS = """\
metadata:
  namespace: default
  type: MachineClasses.omni.sidero.dev
  id: {id}
spec:
  autoprovision:
    providerid: proxmox
    providerdata: |
      cores: 2
      sockets: 1
      memory: 4096
      disk_size: 40
      storage_selector: name == "local-lvm"
"""

MANUAL_CLASS = """\
metadata:
  namespace: default
  type: MachineClasses.omni.sidero.dev
  id: {id}
spec:
  matchlabels:
    - omni.sidero.dev/arch = amd64
"""


def write_template(root: Path, text: str, name: str = "talos.yaml") -> Path:
    path = root / "clusters" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def add_classes(root: Path, auto: tuple[str, ...] = (), manual: tuple[str, ...] = ()) -> None:
    folder = root / "machine-classes"
    folder.mkdir(parents=True, exist_ok=True)
    for cid in auto:
        (folder / f"{cid}.yaml").write_text(AUTO_CLASS.format(id=cid))
    for cid in manual:
        (folder / f"{cid}.yaml").write_text(MANUAL_CLASS.format(id=cid))


def lint_template(root: Path, text: str, *select: str) -> LintReport:
    path = write_template(root, text)
    return lint_files([path], build_context(Project(root)), select=select)


def messages(report: LintReport, rule: str | None = None) -> list[str]:
    return [p.message for p in report.problems if rule is None or p.rule == rule]
