"""A stand-in for the official `omnictl` (stdlib only), driven by a JSON scenario file.

Tests never run this directly: the `fake_omnictl` fixture (tests/fakes/fixtures_omnictl.py)
writes a scenario and puts a wrapper named `omnictl` first on PATH. The wrapper runs
`FAKE_OMNICTL_SCENARIO=<file> <python> fake_omnictl.py "$@"`.

Output formats follow the real omnictl (siderolabs/omni v1.10.4, `cmd/omnictl`,
`client/pkg/omnictl`, `client/pkg/template/operations`; omni.md §0, §3, §4): its error lines,
its `get -o json/yaml` resource shapes, sync lines and status tree. Where the source does not pin
a format down, the choice is marked UNCONFIRMED below.

Scenario format (JSON object; every key optional; keep this stable, other helpers use it):

    {
      "version": "v1.10.4",          # printed by --version
      "api_version": 2,              # client API version, printed by --version
      "backend": {                   # the Omni server (API commands only)
        "version": "1.10.4",         # major.minor differs -> [WARN] omnictl version ... line
        "api_version": 2,            # differs from api_version -> hard error, in the wording of
                                     # the release the fake claims: `client API version mismatch:
                                     # ...` up to v1.10.x, "too old"/"newer" from v1.11
        "endpoint": "https://omni.example.com",
        "unreachable": null,         # "refused" | "no-such-host" | "deadline": dial error
        "auth": "ok",                # "invalid-signature": Unauthenticated error
        "require_env": []            # env vars that must be set, else invalid signature
      },
      "resources": [                 # COSI resources as `get -o json` prints them
        {"metadata": {"type": "ClusterStatuses.omni.sidero.dev", "namespace": "default",
                      "id": "talos", "labels": {...}}, "spec": {"phase": 3, ...}}
      ],
      "responses": [                 # overrides, first match wins: every token of `args`
        {"args": ["cluster", "template", "validate"],   # must appear in argv, in order
         "stdout": "", "stderr": "Error: ...\\n", "exit": 1,
         "delay": 0.0,               # seconds to sleep first
         "hang": false}              # sleep until killed (tests a timeout)
      ],
      "infraprovider_key": "b64...", # key printed by `infraprovider create`
      "notifications": ["[INFO] ..."] # extra lines printed to stderr by API commands
    }

Built-in behaviour (no matching response):
  --version                      `omnictl version v1.10.4 (API Version: 2)`
  get TYPE [ID] -n -l -o         json: concatenated 4-space, sorted-key objects, one per
                                 resource, nothing for none; metadata `owner: null`, labels/
                                 annotations only when non-empty, empty label values null;
                                 jsonpath={.a.b} (dot paths only); table `NAMESPACE TYPE ID
                                 VERSION`, tabwriter padding 3, the singular type in TYPE;
                                 `-o yaml` is not implemented (exit 2).
                                 Missing ID: `Error: rpc error: code = NotFound desc = resource
                                 <Type>(<ns>/<id>@undefined) doesn't exist`.
  apply -f FILE|DIR [-d] [-v]    silent on success, upserts the resources into the scenario
                                 (not with --dry-run); -d/-v print `Creating resource '<id>'` /
                                 `Updating resource '<id>'` (the YAML/diff body is not printed).
                                 A Kubernetes-style document: `Error: expected 4 elements node,
                                 got 8`.
  delete TYPE ID...              stderr `destroyed <Type> <id>`; NotFound ignored (exit 0);
                                 Machines: `rpc error: code = PermissionDenied desc = only read
                                 access is permitted` (state_access.go).
  cluster template validate -f   exit 0 silently (configure errors through "responses");
                                 a missing file: `Error: open <f>: no such file or directory`.
  cluster template sync -f [-d]  as operations/sync.go: creates, then updates, then teardowns,
                                 `* creating[ (dry run)] <Type>(<id>)` in canonical order
                                 (Cluster, ConfigPatches `<200+i>-cluster-<c>-<name or file>` and
                                 `<400+i>-<set id>-<name or file>` or idOverride, MachineSets);
                                 resources of the cluster no longer in the template: `* tearing
                                 down[ (dry run)] <Type>(<id>)` then `* destroyed <Type>(<id>)`.
                                 Upserts/removes the resources (not with --dry-run).
  cluster template diff -f       nothing, exit 0.
  cluster delete NAME [-d]       as operations/delete.go (syncDelete): `* tearing down[ (dry
                                 run)] <Type>(<id>)` for the MachineSets, then the Clusters
                                 resource, then `* destroyed <Type>(<id>)` for each (not on a dry
                                 run), on stdout; removes them and every resource labelled
                                 omni.sidero.dev/cluster=NAME, plus its ClusterStatuses. A
                                 missing cluster: `Error: cluster "<name>" not found`
                                 (UNCONFIRMED).
  cluster status NAME [-w D]     the treeprint tree of operations/status.go (statustree):
                                 `Cluster "<id>" PHASE Ready (h/t) (healthy/total)`, upgrade
                                 statuses, machine sets (`Control Plane`, `Workers`, `Additional
                                 Workers`), under them `Machine "<uuid>"(<node>) STAGE[ Ready]
                                 [ Unreachable]...`; unhealthy: tree + `Error: cluster is not
                                 healthy`, exit 1 (does not wait); missing cluster: hangs, as the
                                 real one appears to.
  infraprovider create ID        the stdout block of facts §3.5; adds InfraProviders/<ID>;
                                 existing ID: `Error: rpc error: code = AlreadyExists desc =
                                 resource InfraProviders.omni.sidero.dev(infra-provider/<id>
                                 @undefined) already exists` (omni.md §0.9; any wrapper of
                                 omnictl's UNCONFIRMED).
  infraprovider list             `ID NAME VERSION DESCRIPTION CONNECTED ERROR` from
                                 InfraProviderCombinedStatuses (ephemeral), tabwriter padding 4
                                 (infraprovider.go), trailing cells padded as Go's tabwriter does.
  infraprovider delete ID        `deleted infra provider: <id>` (stdout, UNCONFIRMED stream).
  anything else                  `Error: unknown command "<x>" for "omnictl"`, exit 1.

Every call is appended to `<scenario>.calls.jsonl`: {"argv", "cwd", "env": {name: is-set}}
(only whether OMNICONFIG, OMNI_ENDPOINT, OMNI_SERVICE_ACCOUNT_KEY, SIDERO_SERVICE_ACCOUNT_KEY
are set, never their values).
"""

from __future__ import annotations

import base64
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

SCENARIO_ENV = "FAKE_OMNICTL_SCENARIO"
AUTH_ENV = ("OMNICONFIG", "OMNI_ENDPOINT", "OMNI_SERVICE_ACCOUNT_KEY", "SIDERO_SERVICE_ACCOUNT_KEY")

# canonical type -> default namespace (siderolabs/omni v1.10.4)
TYPES = {
    "Clusters.omni.sidero.dev": "default",
    "ClusterStatuses.omni.sidero.dev": "default",
    "ClusterMachines.omni.sidero.dev": "default",
    "ClusterMachineStatuses.omni.sidero.dev": "default",
    "MachineSets.omni.sidero.dev": "default",
    "MachineSetStatuses.omni.sidero.dev": "default",
    "Machines.omni.sidero.dev": "default",
    "MachineStatuses.omni.sidero.dev": "default",
    "MachineClasses.omni.sidero.dev": "default",
    "MachineRequestSets.omni.sidero.dev": "default",
    "MachineRequests.omni.sidero.dev": "infra-provider",
    "MachineRequestStatuses.omni.sidero.dev": "infra-provider",
    "InfraProviders.omni.sidero.dev": "infra-provider",
    "InfraProviderStatuses.omni.sidero.dev": "infra-provider",
    "InfraProviderHealthStatuses.omni.sidero.dev": "infra-provider-ephemeral",
    "InfraProviderCombinedStatuses.omni.sidero.dev": "ephemeral",
    "TalosVersions.omni.sidero.dev": "default",
    "ConfigPatches.omni.sidero.dev": "default",
    "ClusterMachineRequestStatuses.omni.sidero.dev": "default",
    "KubernetesUpgradeStatuses.omni.sidero.dev": "default",
    "TalosUpgradeStatuses.omni.sidero.dev": "default",
    "SysVersions.system.sidero.dev": "ephemeral",
}
VALUE_FLAGS = {
    "-o": "output",
    "--output": "output",
    "-n": "namespace",
    "--namespace": "namespace",
    "-l": "selector",
    "--selector": "selector",
    "-f": "file",
    "--file": "file",
    "-w": "wait",
    "--wait": "wait",
    "--omniconfig": "omniconfig",
    "--context": "context",
    "--id-match-regexp": "id_match",
    "--allowed-dir": "allowed_dir",
    "--tail": "tail",
    "--log-format": "log_format",
    "--ttl": "ttl",
    "--siderov1-keys-dir": "keys_dir",
    "-c": "cluster",
    "--cluster": "cluster",
}
BOOL_FLAGS = {
    "-d": "dry_run",
    "--dry-run": "dry_run",
    "-v": "verbose",
    "--verbose": "verbose",
    "-q": "quiet",
    "--quiet": "quiet",
    "--all": "all",
    "--insecure-skip-tls-verify": "insecure",
    "--destroy-disconnected-machines": "destroy_disconnected",
    "--force": "force",
}
OFFLINE = (("--version",), ("cluster", "template", "validate"), ("cluster", "template", "render"))

CLUSTER_PHASES = {0: "UNKNOWN", 1: "SCALING_UP", 2: "SCALING_DOWN", 3: "RUNNING", 4: "DESTROYING"}
SET_PHASES = {
    0: "Unknown",
    1: "ScalingUp",
    2: "ScalingDown",
    3: "Running",
    4: "Destroying",
    5: "Failed",
    6: "Reconfiguring",
    7: "Upgrading",
}
STAGES = {
    0: "UNKNOWN",
    1: "BOOTING",
    2: "INSTALLING",
    3: "CONFIGURING",
    4: "RUNNING",
    5: "DESTROYING",
    6: "UPGRADING",
    7: "REBOOTING",
    8: "SHUTTING_DOWN",
    9: "BEFORE_DESTROY",
    10: "POWERING_ON",
    11: "POWERED_OFF",
}


KUBERNETES_UPGRADE = {0: "Unknown", 1: "Upgrading", 2: "Done", 3: "Failed", 4: "Reverting"}
TALOS_UPGRADE = {
    0: "Unknown",
    1: "Upgrading",
    2: "Done",
    3: "Failed",
    4: "Reverting",
    5: "UpdatingMachineSchematics",
}


class Fail(Exception):
    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def out(text: str) -> None:
    sys.stdout.write(text)


def err(text: str) -> None:
    sys.stderr.write(text)


# -- scenario ----------------------------------------------------------------------------


def scenario_path() -> Path:
    value = os.environ.get(SCENARIO_ENV)
    if not value:
        err(f"fake omnictl: {SCENARIO_ENV} is not set\n")
        sys.exit(99)
    return Path(value)


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.exists() else {}


def save(path: Path, scenario: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(scenario, indent=2))
    tmp.replace(path)


def log_call(path: Path, argv: list[str]) -> None:
    entry = {
        "argv": argv,
        "cwd": os.getcwd(),
        "env": {n: bool(os.environ.get(n)) for n in AUTH_ENV},
    }
    with open(str(path) + ".calls.jsonl", "a") as handle:
        handle.write(json.dumps(entry) + "\n")


def contains_in_order(argv: list[str], tokens: list[str]) -> bool:
    position = 0
    for token in tokens:
        try:
            position = argv.index(token, position) + 1
        except ValueError:
            return False
    return True


# -- argument parsing ----------------------------------------------------------------------


def parse(argv: list[str]) -> tuple[list[str], dict[str, Any]]:
    words: list[str] = []
    flags: dict[str, Any] = {}
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--":  # cobra: everything after `--` is a positional argument
            words.extend(argv[index + 1 :])
            break
        name, _, inline = arg.partition("=")
        if name in VALUE_FLAGS:
            if inline or "=" in arg:
                flags[VALUE_FLAGS[name]] = inline
            else:
                index += 1
                if index >= len(argv):
                    raise Fail(f"flag needs an argument: {arg}")
                flags[VALUE_FLAGS[name]] = argv[index]
        elif arg in BOOL_FLAGS:
            flags[BOOL_FLAGS[arg]] = True
        elif arg.startswith("-") and arg != "-":
            raise Fail(f"unknown flag: {arg}")
        else:
            words.append(arg)
        index += 1
    return words, flags


# -- types and resources ---------------------------------------------------------------------


def _singular(plural: str) -> str:
    if plural.endswith(("sses", "uses")):
        return plural[:-2]
    if plural.endswith("ies"):
        return plural[:-3] + "y"
    return plural[:-1] if plural.endswith("s") else plural


def known_types(scenario: dict[str, Any]) -> dict[str, str]:
    types = dict(TYPES)
    for res in scenario.get("resources", []):
        meta = res.get("metadata", {})
        types.setdefault(meta.get("type", ""), meta.get("namespace", "default"))
    return types


def resolve_type(name: str, scenario: dict[str, Any]) -> str:
    wanted = name.lower()
    for canonical in known_types(scenario):
        plural = canonical.split(".")[0].lower()
        if wanted in (canonical.lower(), plural, _singular(plural)):
            return canonical
    raise Fail(f'resource "{name}" is not registered')


def default_namespace(rtype: str, scenario: dict[str, Any]) -> str:
    return known_types(scenario).get(rtype, "default")


def match_selector(labels: dict[str, Any], selector: str | None) -> bool:
    if not selector:
        return True
    for term in selector.split(","):
        term = term.strip()
        if "!=" in term:
            key, value = term.split("!=", 1)
            if key.strip() in labels and str(labels[key.strip()] or "") == value.strip():
                return False
        elif "=" in term:
            key, value = term.split("=", 1)
            if str(labels.get(key.strip()) or "") != value.strip() or key.strip() not in labels:
                return False
        elif term.startswith("!"):
            if term[1:] in labels:
                return False
        elif term not in labels:
            return False
    return True


def select(
    scenario: dict[str, Any],
    rtype: str,
    namespace: str,
    rid: str | None = None,
    selector: str | None = None,
) -> list[dict[str, Any]]:
    found = []
    for res in scenario.get("resources", []):
        meta = res.get("metadata", {})
        if meta.get("type") != rtype or meta.get("namespace") != namespace:
            continue
        if rid is not None and meta.get("id") != rid:
            continue
        if not match_selector(meta.get("labels") or {}, selector):
            continue
        found.append(res)
    return sorted(found, key=lambda r: r["metadata"].get("id", ""))


def not_found(rtype: str, namespace: str, rid: str) -> Fail:
    return Fail(
        f"rpc error: code = NotFound desc = resource {rtype}({namespace}/{rid}@undefined) "
        "doesn't exist"
    )


def full(res: dict[str, Any]) -> dict[str, Any]:
    """The resource with the metadata keys omnictl prints (omni.md §0.8): owner null when
    empty, labels/annotations/finalizers only when non-empty, empty label values null."""
    meta = {
        "version": 1,
        "owner": None,
        "phase": "running",
        "created": "2026-01-01T00:00:00Z",
        "updated": "2026-01-01T00:00:00Z",
        **res.get("metadata", {}),
    }
    if meta.get("owner") == "":
        meta["owner"] = None
    for key in ("labels", "annotations", "finalizers"):
        if not meta.get(key):
            meta.pop(key, None)
    for key in ("labels", "annotations"):
        if key in meta:
            meta[key] = {k: (None if v in ("", None) else v) for k, v in meta[key].items()}
    return {"metadata": meta, "spec": res.get("spec", {})}


def upsert(scenario: dict[str, Any], res: dict[str, Any]) -> bool:
    """Insert or replace; True when it existed."""
    meta = res["metadata"]
    resources = scenario.setdefault("resources", [])
    for index, old in enumerate(resources):
        om = old.get("metadata", {})
        if (om.get("type"), om.get("namespace"), om.get("id")) == (
            meta.get("type"),
            meta.get("namespace"),
            meta.get("id"),
        ):
            resources[index] = res
            return True
    resources.append(res)
    return False


# -- server simulation ---------------------------------------------------------------------


def check_server(scenario: dict[str, Any]) -> None:
    backend = scenario.get("backend", {})
    endpoint = backend.get("endpoint", "https://omni.example.com")
    host = re.sub(r"^\w+://", "", endpoint).split("/")[0]
    unreachable = backend.get("unreachable")
    if unreachable == "refused":
        raise Fail(
            'rpc error: code = Unavailable desc = connection error: desc = "transport: '
            'Error while dialing: dial tcp 127.0.0.1:443: connect: connection refused"'
        )
    if unreachable == "no-such-host":
        raise Fail(
            'rpc error: code = Unavailable desc = connection error: desc = "transport: '
            f'Error while dialing: dial tcp: lookup {host}: no such host"'
        )
    if unreachable == "deadline":
        raise Fail("context deadline exceeded")
    missing_env = [n for n in backend.get("require_env", []) if not os.environ.get(n)]
    if backend.get("auth", "ok") == "invalid-signature" or missing_env:
        raise Fail("rpc error: code = Unauthenticated desc = invalid signature")
    client_api = int(scenario.get("api_version", 2))
    server_api = int(backend.get("api_version", client_api))
    claimed = [int(x) for x in re.findall(r"\d+", str(scenario.get("version", "v1.10.4")))[:2]]
    if server_api != client_api and claimed < [1, 11]:
        # every released omnictl up to v1.10.4 (access/client.go checkVersion)
        raise Fail(
            f"client API version mismatch: backend API version {server_api}, client API "
            f"version {client_api}"
        )
    if server_api > client_api:
        raise Fail(
            "omnictl is too old for this Omni instance, please update omnictl: backend API "
            f"version {server_api}, client API version {client_api}"
        )
    if server_api < client_api:
        raise Fail(
            "omnictl is newer than this Omni instance, please update Omni or use a "
            f"matching omnictl: backend API version {server_api}, client API version "
            f"{client_api}"
        )
    client = str(scenario.get("version", "v1.10.4")).lstrip("v")
    server = str(backend.get("version", client)).lstrip("v")
    if client.split(".")[:2] != server.split(".")[:2]:
        err(f'[WARN] omnictl version "{client}" differs from the backend version "{server}".\n')
    for line in scenario.get("notifications", []):
        err(line.rstrip("\n") + "\n")


# -- commands ---------------------------------------------------------------------------------


def cmd_get(words: list[str], flags: dict[str, Any], scenario: dict[str, Any]) -> int:
    if len(words) < 2:
        raise Fail("accepts between 1 and 2 arg(s), received 0")
    rtype = resolve_type(words[1], scenario)
    namespace = flags.get("namespace") or default_namespace(rtype, scenario)
    rid = words[2] if len(words) > 2 else None
    found = select(scenario, rtype, namespace, rid, flags.get("selector"))
    if rid is not None and not found:
        raise not_found(rtype, namespace, rid)
    output = flags.get("output", "table")
    if output == "json":
        for res in found:
            out(json.dumps(full(res), indent=4, sort_keys=True) + "\n")
    elif output.startswith("jsonpath="):
        path = output[len("jsonpath=") :].strip("{}").strip(".")
        for res in found:
            value: Any = full(res)
            for part in path.split(".") if path else []:
                value = value.get(part) if isinstance(value, dict) else None
            out(
                (
                    ""
                    if value is None
                    else (json.dumps(value) if isinstance(value, (dict, list)) else str(value))
                )
                + "\n"
            )
    elif output == "table":
        rows = [["NAMESPACE", "TYPE", "ID", "VERSION"]]
        for res in found:
            meta = full(res)["metadata"]
            display = _singular(meta["type"].split(".")[0])
            rows.append([meta["namespace"], display, meta["id"], str(meta["version"])])
        out(table(rows))
    else:
        raise Fail(f"fake omnictl: output {output!r} not implemented", 2)
    return 0


def table(rows: list[list[str]], padding: int = 3) -> str:
    """Go's text/tabwriter (minwidth 0, padchar ' '): every cell but the last of a line is
    padded to its column's width + padding; the last cell is printed as is."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(widths[i] + padding) if i < len(row) - 1 else cell
            for i, cell in enumerate(row)
        ]
        lines.append("".join(cells))
    return "\n".join(lines) + "\n"


def yaml_docs(text: str) -> list[list[str]]:
    docs: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip() == "---" or line.startswith("--- "):
            docs.append([])
        else:
            docs[-1].append(line)
    return [d for d in docs if any(x.strip() and not x.lstrip().startswith("#") for x in d)]


def top_value(doc: list[str], key: str) -> str | None:
    for line in doc:
        match = re.match(rf"^{re.escape(key)}:\s*(.*?)\s*(#.*)?$", line)
        if match:
            return match.group(1).strip("'\"")
    return None


def nested_value(doc: list[str], parent: str, key: str) -> str | None:
    inside = False
    for line in doc:
        if re.match(rf"^{re.escape(parent)}:\s*$", line):
            inside = True
            continue
        if inside and line and not line[0].isspace():
            inside = False
        if inside:
            match = re.match(rf"^\s+{re.escape(key)}:\s*(.*?)\s*(#.*)?$", line)
            if match:
                return match.group(1).strip("'\"")
    return None


def yaml_files(target: Path) -> list[Path]:
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.suffix in (".yaml", ".yml"))
    return [target]


def cmd_apply(words: list[str], flags: dict[str, Any], scenario: dict[str, Any], path: Path) -> int:
    if "file" not in flags:
        raise Fail('required flag(s) "file" not set')
    target = Path(flags["file"])
    if not target.exists():
        raise Fail(f"open {flags['file']}: no such file or directory")
    verbose = flags.get("verbose") or flags.get("dry_run")
    for file in yaml_files(target):
        for doc in yaml_docs(file.read_text()):
            if top_value(doc, "apiVersion") is not None:
                raise Fail("expected 4 elements node, got 8")
            rtype = nested_value(doc, "metadata", "type")
            rid = nested_value(doc, "metadata", "id")
            namespace = nested_value(doc, "metadata", "namespace") or "default"
            if not rtype or not rid:
                raise Fail("metadata or spec node is missing")
            if rtype not in known_types(scenario):
                raise Fail(
                    f'failed to apply resources from file "{file}": failed to create '
                    f"resource: no resource is registered for the resource type {rtype}"
                )
            exists = bool(select(scenario, rtype, namespace, rid))
            if verbose:
                out(f"{'Updating' if exists else 'Creating'} resource '{rid}'\n")
            if not flags.get("dry_run"):
                upsert(
                    scenario,
                    {
                        "metadata": {"type": rtype, "namespace": namespace, "id": rid},
                        "spec": {"source_file": str(file)},
                    },
                )
    if not flags.get("dry_run"):
        save(path, scenario)
    return 0


def cmd_delete(
    words: list[str], flags: dict[str, Any], scenario: dict[str, Any], path: Path
) -> int:
    if len(words) < 2:
        raise Fail("requires at least 1 arg(s), only received 0")
    rtype = resolve_type(words[1], scenario)
    ids = words[2:]
    if not ids and not flags.get("all") and not flags.get("selector"):
        raise Fail("either resource ID or one of --all or --selector flags must be specified")
    if rtype == "Machines.omni.sidero.dev":
        raise Fail("rpc error: code = PermissionDenied desc = only read access is permitted")
    namespace = flags.get("namespace") or default_namespace(rtype, scenario)
    targets = ids or [
        r["metadata"]["id"] for r in select(scenario, rtype, namespace, None, flags.get("selector"))
    ]
    for rid in targets:
        found = select(scenario, rtype, namespace, rid)
        if not found:
            continue
        scenario["resources"] = [r for r in scenario["resources"] if r not in found]
        err(f"destroyed {rtype} {rid}\n")
    save(path, scenario)
    return 0


def template_docs(flags: dict[str, Any]) -> list[list[str]]:
    if "file" not in flags:
        raise Fail('required flag(s) "file" not set')
    file = Path(flags["file"])
    if not file.exists():
        raise Fail(f"open {flags['file']}: no such file or directory")
    return yaml_docs(file.read_text())


def patch_items(doc: list[str]) -> list[dict[str, str]]:
    """name/file/idOverride of each item under a top-level `patches:` (block style)."""
    items: list[dict[str, str]] = []
    inside = False
    for line in doc:
        if re.match(r"^patches:\s*$", line):
            inside = True
            continue
        if inside and line and not line[0].isspace() and not line.startswith("-"):
            break
        if not inside:
            continue
        match = re.match(r"^(\s*)- (\w+):\s*(.*?)\s*(#.*)?$", line)
        if match:
            items.append({match.group(2): match.group(3).strip("'\"")})
            continue
        match = re.match(r"^\s+(name|file|idOverride):\s*(.*?)\s*(#.*)?$", line)
        if match and items:
            items[-1].setdefault(match.group(1), match.group(2).strip("'\""))
    return items


def patch_ids(doc: list[str], base: int, prefix: str) -> list[str]:
    ids = []
    for index, item in enumerate(patch_items(doc)):
        name = item.get("name") or item.get("file") or ""
        ids.append(item.get("idOverride") or f"{base + index:03d}-{prefix}-{name}")
    return ids


def cmd_template(
    words: list[str], flags: dict[str, Any], scenario: dict[str, Any], path: Path
) -> int:
    sub = words[2] if len(words) > 2 else ""
    docs = template_docs(flags)
    if sub in ("validate", "diff"):
        return 0
    if sub != "sync":
        raise Fail(f'unknown command "{sub}" for "omnictl cluster template"')
    cluster = next((top_value(d, "name") for d in docs if top_value(d, "kind") == "Cluster"), None)
    if not cluster:
        raise Fail("template should contain 1 cluster, got 0")
    dry = " (dry run)" if flags.get("dry_run") else ""
    clusters = [("Clusters.omni.sidero.dev", cluster)]
    patches: list[tuple[str, str]] = []
    sets: list[tuple[str, str]] = []
    for doc in docs:
        kind = top_value(doc, "kind")
        if kind == "Cluster":
            ids = patch_ids(doc, 200, f"cluster-{cluster}")
        elif kind in ("ControlPlane", "Workers"):
            set_id = (
                f"{cluster}-control-planes"
                if kind == "ControlPlane"
                else f"{cluster}-{top_value(doc, 'name') or 'workers'}"
            )
            sets.append(("MachineSets.omni.sidero.dev", set_id))
            ids = patch_ids(doc, 400, set_id)
        else:
            ids = []
        patches += [("ConfigPatches.omni.sidero.dev", pid) for pid in ids]
    wanted = clusters + patches + sets  # canonical order (client/pkg/template/order.go)
    existing = [
        (r["metadata"]["type"], r["metadata"]["id"])
        for r in scenario.get("resources", [])
        if (r["metadata"].get("labels") or {}).get("omni.sidero.dev/cluster") == cluster
        and r["metadata"]["type"]
        in ("ConfigPatches.omni.sidero.dev", "MachineSets.omni.sidero.dev")
    ]
    creates = [w for w in wanted if not select(scenario, w[0], "default", w[1])]
    updates = [w for w in wanted if w not in creates]
    teardown = [e for e in existing if e not in wanted]
    for rtype, rid in creates:
        out(f"* creating{dry} {rtype}({rid})\n")
    for rtype, rid in updates:
        out(f"* updating{dry} {rtype}({rid})\n")
    for rtype, rid in teardown:
        out(f"* tearing down{dry} {rtype}({rid})\n")
    if flags.get("dry_run"):
        return 0
    for rtype, rid in wanted:
        upsert(
            scenario,
            {
                "metadata": {
                    "type": rtype,
                    "namespace": "default",
                    "id": rid,
                    "labels": {"omni.sidero.dev/cluster": cluster},
                },
                "spec": {},
            },
        )
    for rtype, rid in teardown:
        scenario["resources"] = [
            r
            for r in scenario["resources"]
            if (r["metadata"]["type"], r["metadata"]["id"]) != (rtype, rid)
        ]
        out(f"* destroyed {rtype}({rid})\n")
    save(path, scenario)
    return 0


UPGRADE_PHASES = {
    "KubernetesUpgradeStatuses.omni.sidero.dev": ("Kubernetes Upgrade", KUBERNETES_UPGRADE),
    "TalosUpgradeStatuses.omni.sidero.dev": ("Talos Upgrade", TALOS_UPGRADE),
}


def tree(root: str, children: list[tuple[str, list[Any]]]) -> list[str]:
    """xlab/treeprint: the root's text, then `├── `/`└── ` branches, `│   ` under them."""
    lines = [root]

    def add(items: list[tuple[str, list[Any]]], prefix: str) -> None:
        for index, (text, sub) in enumerate(items):
            last = index == len(items) - 1
            lines.append(prefix + ("└── " if last else "├── ") + text)
            add(sub, prefix + ("    " if last else "│   "))

    add(children, "")
    return lines


def machine_line(member: dict[str, Any]) -> str:
    """statustree's ClusterMachineStatus line (`Machine "<id>"(<node>) STAGE ...`)."""
    meta = member["metadata"]
    labels = meta.get("labels") or {}
    spec = member.get("spec", {})
    stage = STAGES.get(int(spec.get("stage") or 0), "UNKNOWN")
    node = labels.get("omni.sidero.dev/node-name")
    text = f'Machine "{meta["id"]}"' + (f"({node})" if node else "") + f" {stage}"
    if stage == "RUNNING":
        text += " Ready" if spec.get("ready") else " Not Ready"
    if "omni.sidero.dev/connected" not in labels:
        text += " Unreachable"
    if "omni.sidero.dev/locked" in (meta.get("annotations") or {}):
        text += " Locked"
    if not spec.get("configuptodate", True):
        text += " Config Outdated"
    if "omni.sidero.dev/locked-update" in labels:
        text += " Pending Config Update"
    elif int(spec.get("configapplystatus") or 0) == 3:
        text += " Config Apply Failed"
    return text


OWNED_BY_NAME = ("MachineSets.omni.sidero.dev", "ClusterStatuses.omni.sidero.dev")


def cmd_cluster_delete(
    words: list[str], flags: dict[str, Any], scenario: dict[str, Any], path: Path
) -> int:
    if len(words) != 3:
        raise Fail(f"accepts 1 arg(s), received {len(words) - 2}")
    name = words[2]
    cluster = select(scenario, "Clusters.omni.sidero.dev", "default", name)
    if not cluster:
        raise Fail(f'cluster "{name}" not found')
    owned = [
        r
        for r in scenario["resources"]
        if (r.get("metadata", {}).get("labels") or {}).get("omni.sidero.dev/cluster") == name
        or (
            r["metadata"]["type"] in OWNED_BY_NAME
            and (r["metadata"]["id"] == name or r["metadata"]["id"].startswith(name + "-"))
        )
    ]
    dry = " (dry run)" if flags.get("dry_run") else ""
    shown = [
        r["metadata"]
        for r in [*owned, *cluster]
        if r["metadata"]["type"] in ("MachineSets.omni.sidero.dev", "Clusters.omni.sidero.dev")
    ]
    for meta in shown:  # operations/sync.go syncDeleteResources: the marker before the resource
        out(f"* tearing down{dry} {meta['type']}({meta['id']})\n")
    if not flags.get("dry_run"):
        gone = [*owned, *cluster]
        scenario["resources"] = [r for r in scenario["resources"] if r not in gone]
        save(path, scenario)
        for meta in shown:
            out(f"* destroyed {meta['type']}({meta['id']})\n")
    return 0


def cmd_cluster_status(words: list[str], flags: dict[str, Any], scenario: dict[str, Any]) -> int:
    if len(words) < 3:
        raise Fail("accepts 1 arg(s), received 0")
    name = words[2]
    found = select(scenario, "ClusterStatuses.omni.sidero.dev", "default", name)
    if not found:
        while True:  # the real omnictl appears to hang here (facts §3.3)
            time.sleep(3600)
    spec = found[0].get("spec", {})
    machines = spec.get("machines") or {}
    ready = bool(spec.get("ready"))
    phase = CLUSTER_PHASES.get(int(spec.get("phase") or 0), "UNKNOWN")
    root = (
        f'Cluster "{name}" {phase} {"Ready" if ready else "Not Ready"} '
        f"({machines.get('healthy', 0)}/{machines.get('total', 0)}) (healthy/total)"
    )
    healthy = ready and phase == "RUNNING"
    children: list[tuple[str, list[Any]]] = []
    selector = f"omni.sidero.dev/cluster={name}"
    for rtype, (label, phases) in UPGRADE_PHASES.items():
        for upgrade in select(scenario, rtype, "default", None, selector):
            uspec = upgrade.get("spec", {})
            uphase = phases.get(int(uspec.get("phase") or 0), "Unknown")
            healthy = healthy and uphase == "Done"
            children.append((f"{label} {uphase} {uspec.get('step', '')}", []))
    sets = select(scenario, "MachineSetStatuses.omni.sidero.dev", "default", None, selector)

    def set_order(mset: dict[str, Any]) -> tuple[int, str]:
        labels = mset["metadata"].get("labels") or {}
        sid = mset["metadata"]["id"]
        if "omni.sidero.dev/role-controlplane" in labels or sid.endswith("-control-planes"):
            return (0, sid)
        return (1 if sid == f"{name}-workers" else 2, sid)

    for mset in sorted(sets, key=set_order):
        sid = mset["metadata"]["id"]
        sspec = mset.get("spec", {})
        sready = bool(sspec.get("ready"))
        sphase = SET_PHASES.get(int(sspec.get("phase") or 0), "Unknown")
        healthy = healthy and sready and sphase == "Running"
        smach = sspec.get("machines") or {}
        label = ("Control Plane", "Workers", "Additional Workers")[set_order(mset)[0]]
        members = select(
            scenario,
            "ClusterMachineStatuses.omni.sidero.dev",
            "default",
            None,
            f"omni.sidero.dev/machine-set={sid}",
        )
        children.append(
            (
                f'{label} "{sid}" {sphase} {"Ready" if sready else "Not Ready"} '
                f"({smach.get('healthy', 0)}/{smach.get('total', 0)})",
                [(machine_line(m), []) for m in members],
            )
        )
    out("\n".join(tree(root, children)) + "\n")
    if not healthy:
        raise Fail(
            "cluster is not healthy"
            if str(flags.get("wait", "5m")) in ("0", "0s")
            else "context deadline exceeded"
        )
    return 0


def cmd_infraprovider(
    words: list[str], flags: dict[str, Any], scenario: dict[str, Any], path: Path
) -> int:
    sub = words[1] if len(words) > 1 else ""
    endpoint = scenario.get("backend", {}).get("endpoint", "https://omni.example.com")
    if sub in ("create", "c"):
        if len(words) < 3:
            raise Fail("accepts 1 arg(s), received 0")
        pid = words[2]
        if select(scenario, "InfraProviders.omni.sidero.dev", "infra-provider", pid):
            raise Fail(
                "rpc error: code = AlreadyExists desc = resource "
                f"InfraProviders.omni.sidero.dev(infra-provider/{pid}@undefined) already exists"
            )
        key = (
            scenario.get("infraprovider_key")
            or base64.b64encode(
                json.dumps(
                    {
                        "name": f"infra-provider:{pid}",
                        "pgp_key": "-----BEGIN PGP PRIVATE KEY BLOCK-----"
                        "\nfake\n-----END PGP PRIVATE KEY BLOCK-----",
                    }
                ).encode()
            ).decode()
        )
        upsert(
            scenario,
            {
                "metadata": {
                    "type": "InfraProviders.omni.sidero.dev",
                    "namespace": "infra-provider",
                    "id": pid,
                },
                "spec": {},
            },
        )
        save(path, scenario)
        out(
            f'Your infra provider "{pid}" is ready to use\n'
            f'Created infra provider service account "infra-provider:{pid}" with public key ID '
            f'"0123456789abcdef0123456789abcdef01234567"\n\n'
            "Set the following environment variables to use the service account:\n"
            f"OMNI_ENDPOINT={endpoint}\nOMNI_SERVICE_ACCOUNT_KEY={key}\n\n"
            "Note: Store the service account key securely, it will not be displayed again\n"
            "Please use the endpoint and the service account key to set up the infra provider\n"
        )
        return 0
    if sub in ("list", "ls", "l"):
        rows = [["ID", "NAME", "VERSION", "DESCRIPTION", "CONNECTED", "ERROR"]]
        for res in select(scenario, "InfraProviderCombinedStatuses.omni.sidero.dev", "ephemeral"):
            spec = res.get("spec", {})
            health = spec.get("health") or {}
            rows.append(
                [
                    res["metadata"]["id"],
                    spec.get("name", ""),
                    spec.get("version", ""),
                    spec.get("description", ""),
                    str(bool(health.get("connected"))).lower(),
                    health.get("error", ""),
                ]
            )
        out(table(rows, padding=4))
        return 0
    if sub in ("delete", "d", "rm"):
        pid = words[2] if len(words) > 2 else ""
        scenario["resources"] = [
            r
            for r in scenario.get("resources", [])
            if not (
                r["metadata"].get("type") == "InfraProviders.omni.sidero.dev"
                and r["metadata"].get("id") == pid
            )
        ]
        save(path, scenario)
        out(f"deleted infra provider: {pid}\n")
        return 0
    raise Fail(f'unknown command "{sub}" for "omnictl infraprovider"')


def dispatch(argv: list[str], scenario: dict[str, Any], path: Path) -> int:
    if argv == ["--version"] or "--version" in argv:
        out(
            f"omnictl version {scenario.get('version', 'v1.10.4')} "
            f"(API Version: {scenario.get('api_version', 2)})\n"
        )
        return 0
    words, flags = parse(argv)
    if not words:
        raise Fail("fake omnictl: no command")
    offline = any(tuple(words[: len(o)]) == o for o in OFFLINE)
    if not offline:
        check_server(scenario)
    if words[0] == "get":
        return cmd_get(words, flags, scenario)
    if words[0] == "apply":
        return cmd_apply(words, flags, scenario, path)
    if words[0] == "delete":
        return cmd_delete(words, flags, scenario, path)
    if words[:2] == ["cluster", "template"]:
        return cmd_template(words, flags, scenario, path)
    if words[:2] == ["cluster", "status"]:
        return cmd_cluster_status(words, flags, scenario)
    if words[:2] == ["cluster", "delete"]:
        return cmd_cluster_delete(words, flags, scenario, path)
    if words[0] in ("infraprovider", "ip"):
        return cmd_infraprovider(words, flags, scenario, path)
    raise Fail(f'unknown command "{words[0]}" for "omnictl"')


def main(argv: list[str]) -> int:
    path = scenario_path()
    scenario = load(path)
    log_call(path, argv)
    for response in scenario.get("responses", []):
        if contains_in_order(argv, list(response.get("args", []))):
            if response.get("hang"):
                while True:
                    time.sleep(3600)
            time.sleep(float(response.get("delay", 0)))
            out(response.get("stdout", ""))
            err(response.get("stderr", ""))
            return int(response.get("exit", 0))
    try:
        return dispatch(argv, scenario, path)
    except Fail as failure:
        err(f"Error: {failure.message}\n")
        return failure.code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
