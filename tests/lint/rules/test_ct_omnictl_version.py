"""ct-omnictl-version: fields newer than the installed omnictl (omni.md §0.15; the fields of
siderolabs/omni client/pkg/template/internal/models at v1.7.0, v1.8.0, v1.9.0, v1.10.0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.ct_helpers import write_template
from omni_scale.lint.context import build_context
from omni_scale.lint.engine import lint_files
from omni_scale.project import Project

TEMPLATE = """\
kind: Cluster
name: talos
kubernetes:
  version: v1.33.0
  healthchecks:
    - name: smoke
      job: {kind: Job}
  manifests:
    - name: ns
      mode: full
      inline: [{apiVersion: v1, kind: Namespace, metadata: {name: x}}]
      labels: {team: infra}
talos:
  version: v1.10.3
features:
  enableNodeAuditSkip: true
patches:
  - name: s
    inline: |
      machine:
        kubelet: {}
---
kind: ControlPlane
machineClass: {name: cp, size: 1}
"""


def lint(root: Path, omnictl: str | None) -> list[str]:
    path = write_template(root, TEMPLATE)
    ctx = build_context(Project(root))
    ctx.omnictl_version = omnictl
    return [p.message for p in lint_files([path], ctx, select=("ct-omnictl-version",)).problems]


@pytest.mark.parametrize(
    ("omnictl", "missing"),
    [
        ("v1.10.4", []),
        (None, []),  # unknown: nothing to compare against
        ("v1.9.3", ["features.enableNodeAuditSkip"]),
        ("v1.8.2", ["kubernetes.healthchecks", "features.enableNodeAuditSkip"]),
        (
            "v1.7.1",
            ["kubernetes.healthchecks", "features.enableNodeAuditSkip", "a YAML string"],
        ),
        (
            "v1.6.4",
            [
                "kubernetes.healthchecks",
                "labels on a manifest",
                "features.enableNodeAuditSkip",
                "a YAML string",
            ],
        ),
    ],
)
def test_fields_by_omnictl_release(tmp_path: Path, omnictl: str | None, missing: list[str]) -> None:
    found = lint(tmp_path, omnictl)
    assert len(found) == len(missing), found
    for message, what in zip(found, missing, strict=True):
        assert what in message
        assert f"omnictl {omnictl}" in message


def test_message_names_omnictls_own_error(tmp_path: Path) -> None:
    [message] = lint(tmp_path, "v1.9.3")
    assert message.endswith("field enableNodeAuditSkip not found in type models.Features")
