"""mc-legacy-format: a Kubernetes-style MachineClass (apiVersion/kind) is not an Omni resource.

The upstream provider README once showed this shape; `omnictl apply` rejects it with
`Error: expected 4 elements node, got 8`. Omni's MachineClass is a COSI resource with exactly
`metadata` and `spec`, and providerdata is a YAML string.

Failing::

    apiVersion: infrastructure.omni.siderolabs.io/v1alpha1
    kind: MachineClass
    metadata:
      name: worker
    spec:
      type: auto-provision
      provider: proxmox
      config:
        cpu: 4
        memory: 8192
        diskSize: 40
        storageSelector: name == "local-lvm"

Passing::

    metadata:
      namespace: default
      type: MachineClasses.omni.sidero.dev
      id: worker
    spec:
      autoprovision:
        providerid: proxmox
        providerdata: |
          cores: 4
          sockets: 1
          memory: 8192
          disk_size: 40
          storage_selector: name == "local-lvm"
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from omni_scale.core.machineclass.providerdata import REQUIRED_EXAMPLES
from omni_scale.lint.document import Document, Kind
from omni_scale.lint.problem import Problem, Severity
from omni_scale.lint.rule import make_problem

if TYPE_CHECKING:
    from omni_scale.lint.context import LintContext

ID = "mc-legacy-format"
SEVERITY = Severity.ERROR
KINDS = frozenset({Kind.LEGACY_MACHINE_CLASS})

# Keys of the README's example and what the provider calls them.
RENAMES = {
    "cpu": "cores",
    "cpus": "cores",
    "diskSize": "disk_size",
    "disk": "disk_size",
    "storageSelector": "storage_selector",
    "networkBridge": "network_bridge",
    "cpuType": "cpu_type",
    "machineType": "machine_type",
}


def _converted(data: Mapping[str, Any], ctx: LintContext) -> str:
    """A one-line sketch of the converted resource for the hint."""
    metadata = data.get("metadata")
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    spec = data.get("spec")
    provider = spec.get("provider") if isinstance(spec, Mapping) else None
    # The hint must pass mc-providerid-mismatch when applied: a legacy `provider: Proxmox` is
    # only kept when the project runs exactly that id; otherwise the project's own id.
    ids = sorted(ctx.provider_ids)
    providerid = str(provider) if provider and str(provider) in ids else ids[0]
    config = spec.get("config") if isinstance(spec, Mapping) else None
    keys = []
    present = set()
    if isinstance(config, Mapping):
        for key in config:
            new = RENAMES.get(str(key), str(key))
            present.add(new)
            if new != str(key):
                keys.append(f"{key} -> {new}")
    renames = f"; rename {', '.join(keys)}" if keys else ""
    # Keys the provider requires that the legacy config lacks: named, so the converted class
    # does not fail mc-providerdata-schema next.
    missing = [REQUIRED_EXAMPLES[k] for k in REQUIRED_EXAMPLES if k not in present]
    renames += "".join(f"; add '{line}'" for line in missing)
    return (
        "convert it to 'metadata: {namespace: default, type: MachineClasses.omni.sidero.dev, "
        f"id: {name or 'NAME'}}}' and 'spec: {{autoprovision: {{providerid: {providerid}, "
        "providerdata: |<YAML string>}}'; move spec.config into the providerdata string"
        f"{renames}; add 'sockets: 1' (or run: omni-scale machineclass create "
        f"{name or 'NAME'} --from FILE)"
    )


def check(doc: Document, ctx: LintContext) -> Iterator[Problem]:
    data = doc.data
    yield make_problem(
        ID,
        SEVERITY,
        doc,
        "Kubernetes-style MachineClass (apiVersion/kind) is not an Omni resource: omnictl "
        f"apply fails with 'expected 4 elements node, got {2 * len(data)}'",
        hint=_converted(data, ctx),
        node=data,
        key="apiVersion" if "apiVersion" in data else None,
    )
