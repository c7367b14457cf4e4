"""Every fix hint, applied mechanically, passes our own checks (a hint never leads to a 2nd error).

The hints are taken from the CLI's own output (lint findings, setup refusals, plan warnings),
turned into an edit by the small appliers below, applied to the file (or the command line), and
the result is checked again with the same command. An applier that does not recognise a hint
that carries a concrete value fails the test, so a new hint form has to be taught here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_provider_project import TOKEN_ID, make_key

SNAPSHOT = {
    "format": "omni-scale/proxmox-snapshot",
    "version": 1,
    "taken_at": "2026-11-25T18:30:00Z",
    "pve_version": "8.4.1",
    "provider_id": "proxmox",
    "nodes": [
        {
            "node": "pve1",
            "status": "online",
            "maxmem": 137438953472,
            "mem": 4294967296,
            "maxcpu": 24,
            "storages": [
                # `local` first: GET /nodes/pve1/storage order, and it cannot hold VM disks.
                {
                    "storage": "local",
                    "type": "dir",
                    "content": "iso,vztmpl,backup",
                    "enabled": 1,
                    "active": 1,
                    "avail": 77202037145,
                    "total": 100824357273,
                    "shared": 0,
                },
                {
                    "storage": "local-lvm",
                    "type": "lvmthin",
                    "content": "rootdir,images",
                    "enabled": 1,
                    "active": 1,
                    "avail": 764933675417,
                    "total": 1825361100800,
                    "shared": 0,
                },
            ],
            "bridges": [{"iface": "vmbr0", "vlan_aware": True, "active": True}],
        }
    ],
}

CLASS = """\
metadata:
  namespace: default
  type: MachineClasses.omni.sidero.dev
  id: {cid}
spec:
  autoprovision:
    providerid: {providerid}
    providerdata: |
      cores: 2
      sockets: 1
      memory: 4096
      disk_size: 20
      network_bridge: vmbr0
      storage_selector: {selector}
"""


def _lint(cli: Any, root: Path) -> list[dict[str, Any]]:
    result = cli("--project-dir", root, "lint", "--format", "json")
    assert result.code in (0, 1), result.err
    problems: list[dict[str, Any]] = result.json()["problems"]
    return problems


def _errors(problems: list[dict[str, Any]]) -> list[str]:
    return [f"{p['rule']}: {p['message']}" for p in problems if p["severity"] == "error"]


# -- appliers: a hint's text -> an edit of the file at the problem's line --------------------

_WRITE = re.compile(r"write [`'](?P<key>[\w.]+): (?P<value>[^`']+)[`']")
_MEAN = re.compile(r"did you mean '(?P<value>[^']+)'\?")


def _apply_line_hint(path: Path, line: int, hint: str) -> bool:
    """`write 'key: value'` or `did you mean 'x'?` at the problem's line; False if neither."""
    lines = path.read_text().splitlines(keepends=True)
    text = lines[line - 1]
    if match := _WRITE.search(hint):
        key, value = match["key"].split(".")[-1], match["value"]
        new = re.sub(rf"^(\s*){re.escape(key)}:.*$", rf"\g<1>{key}: {value}", text.rstrip("\n"))
        if new == text.rstrip("\n"):  # the key is missing or misspelt on that line
            new = re.sub(r"^(\s*)[^:\s]+:.*$", rf"\g<1>{key}: {value}", text.rstrip("\n"))
    elif match := _MEAN.search(hint):
        new = re.sub(r"^(\s*)[^:\s]+:", rf"\g<1>{match['value']}:", text.rstrip("\n"))
    else:
        return False
    lines[line - 1] = new + "\n"
    path.write_text("".join(lines))
    return True


def _apply_legacy_hint(path: Path, hint: str) -> None:
    """mc-legacy-format's conversion sketch, done literally: ids, providerid, renames, sockets."""
    from ruamel.yaml import YAML

    legacy = YAML(typ="safe").load(path.read_text())
    meta = re.search(r"metadata: \{namespace: (\S+), type: (\S+), id: (\S+)\}", hint)
    provider = re.search(r"providerid: ([^,]+),", hint)
    assert meta and provider, hint
    renames = dict(re.findall(r"(\w+) -> (\w+)", hint))
    config = {renames.get(k, k): v for k, v in legacy["spec"]["config"].items()}
    for key, value in re.findall(r"add '(\w+): ([^']+)'", hint):
        config[key] = int(value) if value.isdigit() else value
    body = "".join(
        f"      {k}: {v if isinstance(v, str) else json.dumps(v)}\n" for k, v in config.items()
    )
    path.write_text(
        f"metadata:\n  namespace: {meta[1].rstrip(',')}\n  type: {meta[2].rstrip(',')}\n"
        f"  id: {meta[3]}\nspec:\n  autoprovision:\n    providerid: {provider[1]}\n"
        f"    providerdata: |\n{body}"
    )


# -- lint findings ---------------------------------------------------------------------------


@pytest.mark.parametrize("legacy_provider", ["Proxmox", "proxmox", None])
def test_legacy_format_hint_passes_lint_when_applied(
    project: Path, cli: Any, legacy_provider: str | None
) -> None:
    """The report: the hint wrote `providerid: Proxmox`, which mc-providerid-mismatch rejects."""
    (project / "machine-classes").mkdir()
    path = project / "machine-classes" / "worker.yaml"
    provider = f"  provider: {legacy_provider}\n" if legacy_provider else ""
    path.write_text(
        "apiVersion: infrastructure.omni.siderolabs.io/v1alpha1\nkind: MachineClass\n"
        f"metadata:\n  name: worker\nspec:\n  type: auto-provision\n{provider}"
        "  config:\n    cpu: 4\n    memory: 8192\n    diskSize: 40\n"
    )
    [problem] = _lint(cli, project)
    assert problem["rule"] == "mc-legacy-format"
    _apply_legacy_hint(path, problem["hint"])
    after = _lint(cli, project)
    assert after == [], [(p["rule"], p["message"], p["hint"]) for p in after]


LINE_HINT_CASES = {
    # providerid differing in case from the project's provider id
    "providerid-case": CLASS.format(cid="w", providerid="Proxmox", selector="name == local-lvm"),
    # a namespace Omni does not use
    "namespace": CLASS.format(
        cid="w", providerid="proxmox", selector='name == "local-lvm"'
    ).replace("namespace: default", "namespace: infra-provider"),
    # a misspelt providerdata key
    "typo": CLASS.format(cid="w", providerid="proxmox", selector='name == "local-lvm"').replace(
        "network_bridge", "network_brige"
    ),
}


@pytest.mark.parametrize("case", sorted(LINE_HINT_CASES))
def test_line_hints_pass_lint_when_applied(project: Path, cli: Any, case: str) -> None:
    (project / "machine-classes").mkdir()
    path = project / "machine-classes" / "w.yaml"
    path.write_text(LINE_HINT_CASES[case].replace("name == local-lvm", 'name == "local-lvm"'))
    before = _lint(cli, project)
    assert before, "the case must produce a finding"
    for problem in before:
        assert problem["hint"], problem
        applied = _apply_line_hint(path, problem["line"], problem["hint"])
        assert applied, f"no applier for this hint: {problem['hint']!r}"
    after = _lint(cli, project)
    assert _errors(after) == [] and [p["rule"] for p in after] == [], after


# -- setup refusals --------------------------------------------------------------------------


def _setup(cli: Any, root: Path, tmp_path: Path, key: str, *extra: str) -> Any:
    secret = tmp_path / "secret"
    secret.write_text("5e1f0a7c-9d7b-4d7e-8c41-7f0b9a2f1c33\n")
    key_file = tmp_path / "key"
    key_file.write_text(key + "\n")
    return cli(
        "--project-dir",
        root,
        "--json",
        "provider",
        "setup",
        "--offline",
        "--omni-endpoint",
        "https://omni.example.com",
        "--proxmox-url",
        "https://pve1.example.com:8006/api2/json",
        "--token-id",
        TOKEN_ID,
        "--token-secret-file",
        secret,
        "--key-file",
        key_file,
        *extra,
    )


def _apply_setup_hint(hint: str) -> tuple[list[str], str | None]:
    """Extra setup arguments and a key id to mint, as the hint says (first alternative)."""
    if match := re.search(r"run setup with --id (\S+?),? ", hint):
        return ["--id", match[1]], None
    if match := re.search(r"omnictl infraprovider create (\S+)", hint):
        return [], match[1]
    raise AssertionError(f"no applier for this setup hint: {hint!r}")


@pytest.mark.parametrize("key_id", ["Proxmox", "lab-2"])
def test_wrong_key_hint_passes_setup_when_applied(
    project: Path, tmp_path: Path, cli: Any, key_id: str
) -> None:
    """The report: the hint said `--id Proxmox`, which setup refuses (not DNS-1123)."""
    refused = _setup(cli, project, tmp_path, make_key(f"infra-provider:{key_id}"))
    assert refused.code == 2
    hint = refused.json()["error"]["hint"]
    args, mint = _apply_setup_hint(hint)
    key = make_key(f"infra-provider:{mint}") if mint else make_key(f"infra-provider:{key_id}")
    applied = _setup(cli, project, tmp_path, key, *args)
    assert applied.code == 0, applied.out + applied.err


def test_capital_key_hint_does_not_suggest_the_capital_id(
    project: Path, tmp_path: Path, cli: Any
) -> None:
    refused = _setup(cli, project, tmp_path, make_key("infra-provider:Proxmox"))
    assert "--id Proxmox" not in refused.json()["error"]["hint"]


# -- plan warnings ---------------------------------------------------------------------------


def test_narrow_selector_hint_names_a_storage_that_can_hold_disks(project: Path, cli: Any) -> None:
    """The report: "narrow the selector, e.g. name == "local"" although local has no `images`."""
    (project / "proxmox-snapshot.json").write_text(json.dumps(SNAPSHOT))
    (project / "machine-classes").mkdir()
    path = project / "machine-classes" / "w.yaml"
    path.write_text(
        CLASS.format(cid="w", providerid="proxmox", selector='name.startsWith("local")')
    )
    before = cli("--project-dir", project, "--json", "machineclass", "plan")
    assert before.code == 1
    [plan] = before.json()["classes"]
    hints = [p["hint"] for p in plan["problems"] if "narrow the selector" in (p["hint"] or "")]
    assert hints, plan["problems"]
    match = re.search(r'name == "([^"]+)"', hints[0])
    assert match, hints[0]
    path.write_text(CLASS.format(cid="w", providerid="proxmox", selector=match[0]))
    after = cli("--project-dir", project, "--json", "machineclass", "plan")
    assert after.code == 0, after.out
    [plan] = after.json()["classes"]
    assert plan["ok"] and plan["disks"][0]["storage"] == "local-lvm"


# -- privilege audit -------------------------------------------------------------------------


def _apply_pveum(fakepve: Any, commands: list[str]) -> None:
    """Run the printed pveum commands against the fake's ACL table (role add, then acl modify)."""
    roles: dict[str, set[str]] = {}
    for line in commands:
        if match := re.match(r'pveum role add (\S+) --privs "([^"]+)"', line):
            roles[match[1]] = set(match[2].split())
        elif match := re.match(r"pveum acl modify (\S+) --tokens '([^']+)' --roles (\S+)$", line):
            fakepve.grant(match[2], match[1], *roles[match[3]])
        else:
            raise AssertionError(f"no applier for this command: {line!r}")


def test_grant_hint_passes_proxmox_check_when_applied(
    pve_project: Any, cli: Any, fakepve: Any
) -> None:
    from fakes.fixtures_pve import TOKEN_ID, WITHOUT_PCI

    root = pve_project()
    fakepve.grant(TOKEN_ID, "/", *WITHOUT_PCI[8:])
    before = cli("--project-dir", root, "--json", "proxmox", "check")
    assert before.code == 1 and before.json()["missing"] == 8
    _apply_pveum(fakepve, before.json()["grant"])
    after = cli("--project-dir", root, "--json", "proxmox", "check")
    assert after.code == 0, after.out
    assert after.json()["missing"] == 0 and after.json()["grant"] == []


# -- setup refusals of bad option values ------------------------------------------------------

REFUSALS = [
    ("--id", "Proxmox"),
    ("--proxmox-url", "http://pve1.example.com:8006/api2/json"),
    ("--proxmox-url", "https://pve1:8006/ui"),
    ("--proxmox-url", "https://pve1:8006/api2/json/api2/json"),
    ("--omni-endpoint", "omni"),
    ("--token-id", "omni"),
    ("--image", "ghcr.io/siderolabs/omni-infra-provider-proxmox"),
]


def _concrete(hint: str, option: str) -> list[str]:
    """The option values a hint names (first form that matches), as setup arguments."""
    if match := re.search(r"pass ((?:--[\w-]+ [^\s()]+ ?)+)", hint):
        return match[1].split()
    if match := re.search(rf"e\.g\. {re.escape(option)} (\S+)", hint):
        return [option, match[1].rstrip(",;")]
    if match := re.search(r"use '([^']+)'", hint):
        return [option, match[1]]
    if match := re.search(r"(?:use|e\.g\.) (\S+)", hint):
        return [option, match[1].rstrip(",;")]
    raise AssertionError(f"no applier for this hint: {hint!r}")


def _replace(args: list[str], extra: list[str]) -> list[str]:
    out = list(args)
    for name, value in zip(extra[::2], extra[1::2], strict=True):
        if name in out:
            out[out.index(name) + 1] = value
        else:
            out += [name, value]
    return out


@pytest.mark.parametrize(("option", "value"), REFUSALS, ids=[f"{o}={v}" for o, v in REFUSALS])
def test_setup_refusal_hints_pass_setup_when_applied(
    project: Path, tmp_path: Path, cli: Any, option: str, value: str
) -> None:
    secret = tmp_path / "secret"
    secret.write_text("5e1f0a7c-9d7b-4d7e-8c41-7f0b9a2f1c33\n")
    key = tmp_path / "key"
    key.write_text(make_key("infra-provider:proxmox") + "\n")
    good = [
        "--project-dir", str(project), "--json", "provider", "setup", "--offline",
        "--omni-endpoint", "https://omni.example.com",
        "--proxmox-url", "https://pve1.example.com:8006/api2/json",
        "--token-id", TOKEN_ID, "--token-secret-file", str(secret), "--key-file", str(key),
    ]  # fmt: skip
    refused = cli(*_replace(good, [option, value]))
    assert refused.code == 2, refused.out
    hint = refused.json()["error"]["hint"]
    applied = cli(*_replace(_replace(good, [option, value]), _concrete(hint, option)))
    assert applied.code == 0, (hint, applied.out, applied.err)


def test_template_kind_hint_passes_lint_when_applied(tmp_path: Path, cli: Any) -> None:
    import shutil

    from conftest import EXAMPLE

    root = tmp_path / "homelab"
    shutil.copytree(EXAMPLE, root)
    path = root / "clusters" / "homelab.yaml"
    path.write_text(path.read_text().replace("kind: ControlPlane", "kind: controlplane"))
    before = [p for p in _lint(cli, root) if p["severity"] == "error"]
    assert before, "the case must produce a finding"
    # ct-kind's `write 'kind: ControlPlane'` is mechanical; ct-structure's "add a ControlPlane
    # document" follows from the same line and goes with it
    applied = [p for p in before if _apply_line_hint(Path(p["path"]), p["line"], p["hint"])]
    assert [p["rule"] for p in applied] == ["ct-kind"], before
    assert _errors(_lint(cli, root)) == []
