"""Every command, whatever happens, prints exactly ONE JSON document under --json.

The command tree is walked from `_build_cli()`, so commands other modules add are covered
without touching this file. Each leaf runs in-process (`main(argv)`, stdout and stderr captured,
stdin empty) in a copy of examples/homelab whose Proxmox URL points at a closed loopback port,
with no omnictl and no docker on PATH and the omnictl download mirror on a closed loopback port:
nothing leaves the machine. A process adds nothing to what is checked here (a run in-process and
as `python -m omni_scale` printed the same stdout and exit code for every variant); a few
variants still run as real processes to keep the entry point itself under the same contract.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from conftest import EXAMPLE

ALLOWED_EXIT_CODES = {0, 1, 2, 3}
TIMEOUT_S = 20
CLOSED_PORT_URL = "https://127.0.0.1:9/api2/json"


@dataclass(frozen=True)
class Leaf:
    path: tuple[str, ...]
    command: click.Command | None  # None: the group could not be loaded
    error: str = ""

    @property
    def id(self) -> str:
        return " ".join(self.path)


def discover() -> list[Leaf]:
    from omni_scale.cli.main import _build_cli

    leaves: list[Leaf] = []

    def walk(command: click.Command, path: tuple[str, ...], parent: click.Context | None) -> None:
        if not isinstance(command, click.Group):
            leaves.append(Leaf(path, command))
            return
        ctx = click.Context(command, info_name=path[-1] if path else "omni-scale", parent=parent)
        for name in command.list_commands(ctx):
            try:
                sub = command.get_command(ctx, name)
            except Exception as exc:  # a module that does not import is a failure to report
                leaves.append(Leaf((*path, name), None, f"{type(exc).__name__}: {exc}"))
                continue
            if sub is not None:
                walk(sub, (*path, name), ctx)

    walk(_build_cli(), (), None)
    return leaves


LEAVES = discover()


def sample(param: click.Parameter, leaf: Leaf) -> str:
    """A plausible value for a parameter of the homelab example."""
    name = (param.name or "").lower()
    if isinstance(param.type, click.Choice):
        return str(param.type.choices[0])
    in_cluster = "cluster" in leaf.path or "template" in leaf.path
    if isinstance(param.type, (click.Path, click.File)) or name in ("path", "paths", "file"):
        return "clusters/homelab.yaml" if in_cluster else "machine-classes/homelab-worker.yaml"
    if "expr" in name or "selector" in name:
        return 'name == "local-lvm"'
    if name == "key":
        return "provider_id"
    if name in ("assignments", "assignment"):
        return "default_cores=4"
    if "node" in name:
        return "pve1"
    if name in ("name", "names", "id", "ids", "class", "classes"):
        return "homelab" if in_cluster else "homelab-worker"
    if isinstance(param.type, click.types.IntParamType | click.types.FloatParamType):
        return "1"
    return "x"


def argv_variants(leaf: Leaf) -> list[list[str]]:
    """The command bare (usage errors count too), and with a value for each argument."""
    assert leaf.command is not None
    bare = [*leaf.path, "--json"]
    filled = ["--json", *leaf.path]
    has_values = False
    for param in leaf.command.params:
        if isinstance(param, click.Argument):
            filled.append(sample(param, leaf))
            has_values = True
        elif isinstance(param, click.Option) and param.required and not param.is_flag:
            filled += [param.opts[0], sample(param, leaf)]
            has_values = True
    return [bare, filled] if has_values else [bare]


@pytest.fixture(scope="module")
def homelab(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contract") / "homelab"
    shutil.copytree(EXAMPLE, root)
    (root / ".git").mkdir()
    config = root / "docker" / "config.yaml"
    text = config.read_text()
    config.write_text(text.replace("https://pve1.example.invalid:8006/api2/json", CLOSED_PORT_URL))
    assert CLOSED_PORT_URL in config.read_text()
    return root


def run(argv: list[str], project: Path) -> subprocess.CompletedProcess[str] | str:
    env = {
        **os.environ,
        "PATH": str(Path(sys.executable).parent),  # no omnictl, no docker
        "OMNI_SCALE_OMNICTL_BASE_URL": "http://127.0.0.1:9",
        "OMNI_ENDPOINT": "https://127.0.0.1:9",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    try:
        return subprocess.run(
            [sys.executable, "-m", "omni_scale", "--project-dir", str(project), *argv],
            cwd=project,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return f"`omni-scale {' '.join(argv)}` did not finish within {TIMEOUT_S}s"


def run_in_process(argv: list[str], project: Path) -> subprocess.CompletedProcess[str]:
    """`omni-scale --project-dir PROJECT ARGV` through main(), with the environment of run()."""
    from omni_scale.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", str(Path(sys.executable).parent))  # no omnictl, no docker
        patch.setenv("OMNI_SCALE_OMNICTL_BASE_URL", "http://127.0.0.1:9")
        patch.setenv("OMNI_ENDPOINT", "https://127.0.0.1:9")
        patch.chdir(project)
        patch.setattr(sys, "stdin", io.StringIO(""))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(["--project-dir", str(project), *argv])
            except SystemExit as exc:  # main() returns its code; an escape would show here
                code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def results(homelab: Path) -> dict[tuple[str, ...], subprocess.CompletedProcess[str] | str]:
    """Every variant of every command, run in-process one after the other."""
    variants = [tuple(argv) for leaf in LEAVES if leaf.command for argv in argv_variants(leaf)]
    return {argv: run_in_process(list(argv), homelab) for argv in variants}


# Real processes for a sample: a success, a finding, a usage error, an unreachable endpoint.
PROCESS_SAMPLE = [
    ["--json", "lint"],
    ["--json", "check"],
    ["selector", "check", "--json"],
    ["--json", "proxmox", "snapshot"],
]


@pytest.mark.parametrize("argv", PROCESS_SAMPLE, ids=" ".join)
def test_a_real_process_prints_the_same_one_document(argv: list[str], homelab: Path) -> None:
    proc = run(argv, homelab)
    assert not isinstance(proc, str), proc
    shown = f"omni-scale {' '.join(argv)} -> exit {proc.returncode}\nstderr: {proc.stderr}"
    assert proc.returncode in ALLOWED_EXIT_CODES and "Traceback" not in proc.stderr, shown
    doc = json.loads(proc.stdout)
    in_process = run_in_process(argv, homelab)
    assert proc.returncode == in_process.returncode, shown
    assert doc.keys() == json.loads(in_process.stdout).keys(), shown


def test_the_tree_is_discovered() -> None:
    ids = {leaf.id for leaf in LEAVES}
    assert {"state show", "state get", "state set", "completion", "lint"} <= ids


@pytest.mark.parametrize("leaf", LEAVES, ids=[leaf.id for leaf in LEAVES])
def test_json_is_one_document(
    leaf: Leaf, results: dict[tuple[str, ...], subprocess.CompletedProcess[str] | str]
) -> None:
    assert leaf.command is not None, f"`omni-scale {leaf.id}` does not load: {leaf.error}"
    for argv in argv_variants(leaf):
        proc = results[tuple(argv)]
        if isinstance(proc, str):
            pytest.fail(proc)
        shown = f"omni-scale {' '.join(argv)} -> exit {proc.returncode}\nstderr: {proc.stderr}"
        assert proc.returncode in ALLOWED_EXIT_CODES, shown
        assert "Traceback" not in proc.stderr, shown
        try:
            # json.loads refuses trailing data, so a second document fails here
            doc = json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            pytest.fail(f"{shown}\nstdout is not exactly one JSON document ({exc}):\n{proc.stdout}")
        assert isinstance(doc, dict | list), shown
        if proc.returncode == 2 and isinstance(doc, dict) and doc.get("ok") is False:
            assert doc["error"]["message"], shown
