"""Write a new cluster template (pure: text in, text out) for `omni-scale cluster create`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omni_scale.core.template.model import FULL_SEMVER_RE


@dataclass(frozen=True)
class ClusterSpec:
    name: str
    talos: str
    kubernetes: str
    control_planes: int
    workers: int
    cp_class: str
    worker_class: str | None
    cni: str = "default"  # "default" (Talos' flannel) or "none" (bring your own, e.g. Cilium)


def normalize_version(value: str) -> str:
    """`1.12.0` -> `v1.12.0`; anything but a full MAJOR.MINOR.PATCH stays as given."""
    value = value.strip()
    if FULL_SEMVER_RE.match(value) and not value.startswith("v"):
        return "v" + value
    return value


def render_template(spec: ClusterSpec) -> str:
    lines = [
        f"# Cluster template for {spec.name}, written by `omni-scale cluster create`.",
        f"# Apply: omni-scale cluster template sync clusters/{spec.name}.yaml",
        "kind: Cluster",
        f"name: {spec.name}",
        "kubernetes:",
        f"  version: {spec.kubernetes}",
        "talos:",
        f"  version: {spec.talos}",
    ]
    if spec.cni == "none":
        lines += [
            "patches:",
            "  - name: cni-none",
            "    inline:",
            "      cluster:",
            "        network:",
            "          cni:",
            "            name: none  # install your CNI (e.g. Cilium) after bootstrap",
        ]
    lines += [
        "---",
        "kind: ControlPlane",
        "machineClass:",
        f"  name: {spec.cp_class}",
        f"  size: {spec.control_planes}",
    ]
    if spec.workers > 0 and spec.worker_class:
        lines += [
            "---",
            "kind: Workers",
            "name: workers",
            "machineClass:",
            f"  name: {spec.worker_class}",
            f"  size: {spec.workers}",
        ]
    return "\n".join(lines) + "\n"


def newest_versions(talos_versions: list[dict[str, Any]]) -> tuple[str, str] | None:
    """(talos, kubernetes): the newest non-deprecated Talos and its newest Kubernetes.

    `talos_versions` are TalosVersions resources as `omnictl get talosversions -o json` prints
    them (spec.version, spec.compatiblekubernetesversions, spec.deprecated).
    """
    best: tuple[tuple[int, ...], str, str] | None = None
    for resource in talos_versions:
        spec = resource.get("spec") or {}
        version = str(spec.get("version") or resource.get("metadata", {}).get("id") or "")
        if spec.get("deprecated") or not FULL_SEMVER_RE.match(version) or "-" in version:
            continue
        kube = [
            str(k)
            for k in spec.get("compatiblekubernetesversions") or []
            if FULL_SEMVER_RE.match(str(k)) and "-" not in str(k)
        ]
        if not kube:
            continue
        key = _key(version)
        if best is None or key > best[0]:
            best = (key, normalize_version(version), normalize_version(max(kube, key=_key)))
    return (best[1], best[2]) if best else None


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.lstrip("v").split("+")[0].split("-")[0].split("."))
