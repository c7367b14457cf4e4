#!/usr/bin/env python3
"""Generate the structure-only Talos machine-config key table that omni-scale ships.

Input: a folder holding `v1.N.json`, each the file `pkg/machinery/config/schemas/config.schema.json`
of siderolabs/talos at the newest patch tag of minor N (the tags and commits are in `SOURCES`
below). The Talos source, these schemas included, is licensed under the Mozilla Public License
2.0; the generated table keeps only structure (property names, types, enums, nesting) and no
description text, and names its source and license in its header.

Output: `src/omni_scale/core/talos/data/talos_keys.json` (compact JSON):

    {"source": ..., "license": ..., "generator": ..., "minors": {"1.10": {"tag": ..., "commit": ...,
     "kinds": {"<kind>": "<def>"}, "defs": {"<def>": <node>}}}}

A node is one of:
  "s" / "i" / "b" / "*"          string / integer / boolean / anything
  {"e": [values], "t": "s"}      an enum (Talos checks it in validation, not while decoding)
  {"r": "<def>"}                 a reference to a definition
  {"a": <node>}                  a list
  {"o": {key: <node>}, "x": <node>}   a mapping with known keys; "x" = the value of any other
                                 key (patternProperties / additionalProperties), absent = closed
  {"u": [<node>, ...]}           one of several shapes

Why fields of older minors are carried forward: from Talos v1.12 on the published schema leaves
out deprecated v1alpha1 fields that the config decoder still accepts (`machine.network.interfaces`,
`machine.registries`, `machine.time`, ... are struct fields of `v1alpha1.MachineConfig` in the
v1.14 machinery). A table built from one schema alone would report them as unknown keys, a false
error; so each minor's table is that minor's schema plus every property and document kind the
older minors' schemas had. The decoder's `persist` key (a struct field the schema never listed) is
added to `v1alpha1.Config` for the same reason.

Usage: scripts/gen_talos_keys.py SCHEMA_DIR [OUTPUT]
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

SOURCES = {
    "1.7": ("v1.7.7", "68794084771c"),
    "1.8": ("v1.8.4", "3c151c8a004b"),
    "1.9": ("v1.9.6", "d6f6e92b1f7f"),
    "1.10": ("v1.10.9", "c48f7ede0334"),
    "1.11": ("v1.11.6", "6dd14300ecad"),
    "1.12": ("v1.12.11", "2e80771bade5"),
    "1.13": ("v1.13.9", "3ebd10a7c1bd"),
}
SOURCE = (
    "github.com/siderolabs/talos pkg/machinery/config/schemas/config.schema.json "
    "(one tag per minor, see 'minors'); structure only, descriptions dropped"
)
LICENSE = "MPL-2.0 (Mozilla Public License 2.0), the license of siderolabs/talos"
GENERATOR = "scripts/gen_talos_keys.py"
DEFAULT_OUTPUT = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "omni_scale"
    / "core"
    / "talos"
    / "data"
    / "talos_keys.json"
)
SCALARS = {"string": "s", "integer": "i", "boolean": "b", "number": "i"}
# The schema's `kind` enum disagrees with the kind the decoder registers (KubespanEndpointsKind =
# "KubeSpanEndpointsConfig" in pkg/machinery/config/types/network/kubespan_endpoints.go, v1.8.4 to
# v1.14.0-beta.1): the decoder's name is the one a patch must use.
KIND_FIXES = {"KubeSpanEndpoints": "KubeSpanEndpointsConfig"}
# Document kinds the config loader of omnictl v1.10.4 knows (its Talos machinery is
# v1.14.0-beta.1: every `registry.Register` under pkg/machinery/config/types). Kinds newer than
# the newest schema are accepted without a key check.
LOADER_KINDS = {
    "source": "siderolabs/omni v1.10.4 go.mod: github.com/siderolabs/talos/pkg/machinery "
    "v1.14.0-beta.1",
    "kinds": sorted(
        [
            "BGPInstanceConfig",
            "BlackholeRouteConfig",
            "BondConfig",
            "BridgeConfig",
            "CRIBaseRuntimeSpecConfig",
            "CRICustomizationConfig",
            "DHCPv4Config",
            "DHCPv6Config",
            "DiscoveryIdentityConfig",
            "DiscoveryServiceConfig",
            "DummyLinkConfig",
            "EnvironmentConfig",
            "EtcFileConfig",
            "EthernetConfig",
            "EventSinkConfig",
            "ExistingVolumeConfig",
            "ExtensionServiceConfig",
            "ExternalVolumeConfig",
            "FilesystemScrubConfig",
            "FilesystemTrimConfig",
            "HCloudVIPConfig",
            "HTTPProbeConfig",
            "HostnameConfig",
            "ImageCacheConfig",
            "ImageVerificationConfig",
            "KernelModuleConfig",
            "KmsgLogConfig",
            "KubeAPIServerCAConfig",
            "KubeAPIServerConfig",
            "KubeAdmissionControlConfig",
            "KubeAggregatorCAConfig",
            "KubeAuditPolicyConfig",
            "KubeAuthenticationConfig",
            "KubeAuthorizerConfig",
            "KubeClusterConfig",
            "KubeControllerManagerConfig",
            "KubeCoreDNSConfig",
            "KubeCredentialProviderConfig",
            "KubeEtcdEncryptionConfig",
            "KubeExternalManifestConfig",
            "KubeFlannelCNIConfig",
            "KubeInlineManifestConfig",
            "KubeNetworkConfig",
            "KubeNodeConfig",
            "KubePrismConfig",
            "KubeProxyConfig",
            "KubeSchedulerConfig",
            "KubeServiceAccountConfig",
            "KubeSpanConfig",
            "KubeSpanEndpointsConfig",
            "KubeStaticPodConfig",
            "KubeTalosAPIAccessConfig",
            "KubeletConfig",
            "LVMLogicalVolumeConfig",
            "LVMVolumeGroupConfig",
            "Layer2VIPConfig",
            "LinkAliasConfig",
            "LinkConfig",
            "NetworkDefaultActionConfig",
            "NetworkRuleConfig",
            "OOMConfig",
            "PCIDriverRebindConfig",
            "RAIDArrayConfig",
            "RawVolumeConfig",
            "RegistryAuthConfig",
            "RegistryMirrorConfig",
            "RegistryTLSConfig",
            "ResolverConfig",
            "RoutingRuleConfig",
            "SecurityProfileConfig",
            "SideroLinkConfig",
            "StaticHostConfig",
            "SwapVolumeConfig",
            "SysctlConfig",
            "SysfsConfig",
            "TCPProbeConfig",
            "TimeSyncConfig",
            "TrustedRootsConfig",
            "UdevRulesConfig",
            "UnattendedInstallConfig",
            "UserVolumeConfig",
            "VLANConfig",
            "VRFConfig",
            "VethConfig",
            "VolumeConfig",
            "WatchdogTimerConfig",
            "WireguardConfig",
            "ZswapConfig",
        ]
    ),
}
# Decoder keys no schema lists (v1alpha1.Config struct fields of the Talos machinery).
EXTRA_CONFIG_KEYS = {"persist": "b"}


def node(schema: Any) -> Any:
    """The structure of one JSON-schema node."""
    if not isinstance(schema, dict):
        return "*"
    if "$ref" in schema:
        return {"r": str(schema["$ref"]).rsplit("/", 1)[-1]}
    if "enum" in schema:
        values = list(schema["enum"])
        kind = SCALARS.get(str(schema.get("type")), "s")
        return {"e": values, "t": kind}
    if "oneOf" in schema or "anyOf" in schema:
        return {"u": [node(s) for s in schema.get("oneOf", schema.get("anyOf", []))]}
    kind = schema.get("type")
    if kind == "array":
        return {"a": node(schema.get("items", {}))}
    if kind == "object" or "properties" in schema or "patternProperties" in schema:
        out: dict[str, Any] = {"o": {k: node(v) for k, v in schema.get("properties", {}).items()}}
        extra = schema.get("additionalProperties", True)
        patterns = schema.get("patternProperties")
        if patterns:
            values = [node(v) for v in patterns.values()]
            out["x"] = values[0] if len(values) == 1 else {"u": values}
        elif isinstance(extra, dict):
            out["x"] = node(extra)
        elif extra is not False:
            out["x"] = "*"
        if not out["o"] and "x" not in out and kind != "object":
            return "*"
        return out
    if isinstance(kind, str) and kind in SCALARS:
        return SCALARS[kind]
    return "*"


def kind_of(definition: dict[str, Any]) -> str | None:
    props = definition.get("properties", {})
    kind = props.get("kind", {})
    values = kind.get("enum") or ([kind["const"]] if "const" in kind else None)
    return str(values[0]) if values else None


def table(schema: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    defs = schema["$defs"]
    kinds: dict[str, str] = {}
    for ref in schema.get("oneOf", []):
        name = str(ref["$ref"]).rsplit("/", 1)[-1]
        kind = kind_of(defs[name]) or "v1alpha1"
        kinds[KIND_FIXES.get(kind, kind)] = name
    out = {name: node(d) for name, d in defs.items()}
    for kind, name in kinds.items():
        kind_node = out[name].get("o", {}).get("kind") if isinstance(out[name], dict) else None
        if isinstance(kind_node, dict) and "e" in kind_node:
            kind_node["e"] = [kind]
    return kinds, out


def carry(older: dict[str, Any], newer: dict[str, Any]) -> dict[str, Any]:
    """`newer` plus the properties and definitions only `older` has (deprecated, still decoded)."""
    merged = dict(older)
    for name, definition in newer.items():
        previous = older.get(name)
        if (
            isinstance(previous, dict)
            and isinstance(definition, dict)
            and "o" in previous
            and "o" in definition
        ):
            definition = {**definition, "o": {**previous["o"], **definition["o"]}}
        merged[name] = definition
    return merged


def minor_key(path: Path) -> tuple[int, int]:
    match = re.fullmatch(r"v(\d+)\.(\d+)\.json", path.name)
    if not match:
        raise SystemExit(f"unexpected file name {path.name} (want v1.N.json)")
    return int(match.group(1)), int(match.group(2))


def generate(schema_dir: Path) -> dict[str, Any]:
    files = sorted(schema_dir.glob("v*.json"), key=minor_key)
    if not files:
        raise SystemExit(f"no v1.N.json schema in {schema_dir}")
    minors: dict[str, Any] = {}
    kinds: dict[str, str] = {}
    defs: dict[str, Any] = {}
    for path in files:
        major, minor = minor_key(path)
        version = f"{major}.{minor}"
        new_kinds, new_defs = table(json.loads(path.read_text(encoding="utf-8")))
        kinds = {**kinds, **new_kinds}
        defs = carry(defs, new_defs)
        config = defs.get(kinds.get("v1alpha1", ""))
        if isinstance(config, dict) and "o" in config:
            config["o"] = {**EXTRA_CONFIG_KEYS, **config["o"]}
        tag, commit = SOURCES.get(version, ("", ""))
        minors[version] = {
            "tag": tag,
            "commit": commit,
            "own_kinds": sorted(new_kinds),
            "kinds": dict(sorted(kinds.items())),
            "defs": dict(sorted(defs.items())),
        }
    return {
        "source": SOURCE,
        "license": LICENSE,
        "generator": GENERATOR,
        "loader_kinds": LOADER_KINDS,
        "minors": minors,
    }


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    output = Path(argv[2]) if len(argv) == 3 else DEFAULT_OUTPUT
    data = generate(Path(argv[1]))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(data, separators=(",", ":"), sort_keys=False) + "\n")
    print(f"wrote {output} ({output.stat().st_size} bytes, minors {', '.join(data['minors'])})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
