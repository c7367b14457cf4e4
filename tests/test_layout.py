"""The layers of docs/architecture (design: cli -> services -> core | lint | adapters) hold.

An AST scan of src/omni_scale: every import (at module top, inside functions, under
TYPE_CHECKING) is checked against what its layer may import, and `core` is checked for the
calls that would make it impure (files, processes, sockets, environment, clock).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "omni_scale"

# layer -> omni_scale packages/modules it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "core": ("lint", "fs", "state", "adapters", "services", "cli", "mcp"),
    "lint": ("adapters", "services", "fs", "cli", "mcp"),
    "adapters": ("services", "cli", "mcp", "lint"),
    "services": ("cli", "mcp"),
    "fs": ("core", "lint", "adapters", "services", "cli", "mcp", "state"),
    "state": ("core", "lint", "adapters", "services", "cli", "mcp"),
    "yamlio": ("core", "lint", "fs", "state", "adapters", "services", "cli", "mcp"),
    "textio": ("core", "lint", "fs", "state", "adapters", "services", "cli", "mcp", "yamlio"),
    "project": ("core", "lint", "fs", "state", "adapters", "services", "cli", "mcp"),
    "errors": ("core", "lint", "fs", "state", "adapters", "services", "cli", "mcp", "project"),
    "record": (
        "core",
        "lint",
        "fs",
        "state",
        "adapters",
        "services",
        "cli",
        "mcp",
        "project",
        "errors",
    ),
}

# core must not reach the outside world, not even through the standard library
CORE_FORBIDDEN_MODULES = (
    "os",
    "sys",
    "subprocess",
    "socket",
    "shutil",
    "tempfile",
    "time",
    "asyncio",
    "httpx",
    "filelock",
    "click",
    "rich",
    "concurrent",
    "threading",
    "signal",
)
CORE_FORBIDDEN_CALLS = frozenset(
    {
        # pathlib I/O (pure path arithmetic stays allowed)
        "read_text",
        "read_bytes",
        "write_text",
        "write_bytes",
        "exists",
        "is_file",
        "is_dir",
        "is_symlink",
        "stat",
        "lstat",
        "iterdir",
        "glob",
        "rglob",
        "mkdir",
        "unlink",
        "rmdir",
        "chmod",
        "touch",
        "resolve",
        "cwd",
        "home",
        # the file layer of yamlio, the environment, the clock
        "read_text_file",
        "getenv",
        "now",
        "utcnow",
        "today",
        "open",
    }
)


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    target: str  # absolute dotted module name


def _module_of(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, tree: ast.AST) -> list[Import]:
    module = _module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(Import(path, node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append(Import(path, node.lineno, base))
            # `from omni_scale import state` imports the module omni_scale.state
            if base in ("omni_scale", "omni_scale.core"):
                found.extend(Import(path, node.lineno, f"{base}.{a.name}") for a in node.names)
    return found


def _layer(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    return rel.parts[0]


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _parsed() -> list[tuple[Path, ast.AST]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"), filename=str(p))) for p in _sources()]


PARSED = _parsed()


def test_the_scan_sees_the_package() -> None:
    layers = {_layer(p) for p, _ in PARSED}
    assert {"core", "lint", "adapters", "services", "cli", "fs"} <= layers
    assert sum(1 for p, _ in PARSED if _layer(p) == "core") > 20


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports(layer: str) -> None:
    bad = []
    for path, tree in PARSED:
        if _layer(path) != layer:
            continue
        for imp in _imports(path, tree):
            for forbidden in FORBIDDEN[layer]:
                name = f"omni_scale.{forbidden}"
                if imp.target == name or imp.target.startswith(name + "."):
                    bad.append(f"{path.relative_to(SRC)}:{imp.line} imports {imp.target}")
    assert not bad, f"{layer} must not import {', '.join(FORBIDDEN[layer])}:\n" + "\n".join(bad)


@pytest.mark.parametrize("layer", ["core", "lint", "services"])
def test_only_the_cli_and_adapters_talk_to_the_terminal(layer: str) -> None:
    """Prompts and rendering (click, rich) belong to the CLI; a service gets callbacks."""
    bad = [
        f"{path.relative_to(SRC)}:{imp.line} imports {imp.target}"
        for path, tree in PARSED
        if _layer(path) == layer
        for imp in _imports(path, tree)
        if imp.target.split(".")[0] in ("click", "rich")
    ]
    assert not bad, "\n".join(bad)


def test_core_uses_no_outside_world_modules() -> None:
    bad = []
    for path, tree in PARSED:
        if _layer(path) != "core":
            continue
        for imp in _imports(path, tree):
            top = imp.target.split(".")[0]
            if top in CORE_FORBIDDEN_MODULES:
                bad.append(f"{path.relative_to(SRC)}:{imp.line} imports {imp.target}")
    assert not bad, "core is pure (no files, processes, sockets, env, clock):\n" + "\n".join(bad)


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    if isinstance(node.func, ast.Name):
        return node.func.id
    return None


def test_core_makes_no_io_calls() -> None:
    bad = []
    for path, tree in PARSED:
        if _layer(path) != "core":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) in CORE_FORBIDDEN_CALLS:
                bad.append(f"{path.relative_to(SRC)}:{node.lineno} calls {_call_name(node)}()")
            if isinstance(node, ast.Attribute) and node.attr == "environ":
                bad.append(f"{path.relative_to(SRC)}:{node.lineno} reads environ")
    assert not bad, "core is pure (no files, processes, sockets, env, clock):\n" + "\n".join(bad)


def test_the_checks_catch_a_violation(tmp_path: Path) -> None:
    """The scan itself works: a core module reading a file and importing fs is caught."""
    fake = SRC / "core" / "not_a_real_module.py"
    tree = ast.parse(
        "from omni_scale.fs.atomic import write_atomic\n"
        "import os\n"
        "def f(p):\n    return p.read_text() + os.environ['X']\n"
    )
    targets = [i.target for i in _imports(fake, tree)]
    assert "omni_scale.fs.atomic" in targets and "os" in targets
    calls = {_call_name(n) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert "read_text" in calls & CORE_FORBIDDEN_CALLS


# The imports that must stay inside a function, each with its reason.
LAZY_ALLOWED = {
    # a dev dependency: only the test that keeps the generated validator current calls it
    ("core/machineclass/providerdata_schema.py", "fastjsonschema"),
    # start-up: jsonschema only words the problems of a value the compiled check refused
    ("core/machineclass/providerdata_schema.py", "jsonschema"),
    # start-up: `selector check EXPR` without --snapshot never needs the snapshot model
    ("services/selector_check.py", "omni_scale.services.snapshot_file"),
    # start-up: only a run that registered a secret computes its URL-encoded forms
    ("redact.py", "urllib.parse"),
    # start-up: only writing the state file takes its lock (filelock imports asyncio)
    ("state.py", "omni_scale.fs.lock"),
    ("state.py", "omni_scale.fs.atomic"),
    ("state.py", "omni_scale.fs.guard"),
    # start-up: python-dotenv's package imports logging and tempfile; only a .env read needs it
    ("core/provider/env_file.py", "dotenv.parser"),
    ("core/provider/env_file.py", "dotenv.variables"),
    # start-up: only a selector naming an unknown variable needs "did you mean"
    ("core/selector/hints.py", "difflib"),
}


def test_imports_sit_at_module_top_outside_the_cli() -> None:
    """Only the CLI imports lazily (commands load when they run, so `--help` stays fast);
    everywhere else an import inside a function would hide a tie between modules."""
    hidden = []
    for path, tree in PARSED:
        if _layer(path) == "cli":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        module = (
                            inner.module if isinstance(inner, ast.ImportFrom) else None
                        ) or inner.names[0].name
                        if (str(path.relative_to(SRC)), module) in LAZY_ALLOWED:
                            continue
                        hidden.append(f"{path.relative_to(SRC)}:{inner.lineno}")
    assert not hidden, "imports inside functions:\n" + "\n".join(hidden)


# test folders that are not a package of src: the stand-ins, the cross-cutting suites, and
# the MCP server's end-to-end tests (src/omni_scale/mcp)
NOT_MIRRORED = {"fakes", "plugin", "robustness", "security", "data", "mcp_server"}


def test_test_folders_mirror_the_package() -> None:
    tests = Path(__file__).resolve().parent
    folders = [
        d.relative_to(tests)
        for d in tests.rglob("*")
        if d.is_dir()
        and d.name != "__pycache__"
        and d.relative_to(tests).parts[0] not in NOT_MIRRORED
    ]
    assert folders
    strays = [str(d) for d in folders if not (SRC / d).is_dir()]
    assert not strays, f"test folders without a package in src/omni_scale: {strays}"


def _architecture_picture() -> str:
    doc = (SRC.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    return doc.split("```")[1]  # the first fenced block: the layer picture


def _named(folder: Path) -> list[str]:
    """What the picture must name of `folder`: module stems (services, omnictl's modules) or
    `name/` and `name.py` (core, adapters)."""
    return sorted(
        p.stem if folder.name in ("services", "omnictl") else p.name + "/" if p.is_dir() else p.name
        for p in folder.iterdir()
        if p.name != "__init__.py"
        and p.name != "__pycache__"
        and (p.suffix == ".py" or (p.is_dir() and (p / "__init__.py").exists()))
    )


@pytest.mark.parametrize("folder", ["services", "core", "adapters", "adapters/omnictl"])
def test_the_architecture_page_names_every_module(folder: str) -> None:
    """docs/architecture.md and the code tell the same story: a module added to services/,
    core/ or adapters/ is named in its picture."""
    picture = _architecture_picture()
    names = _named(SRC / folder)
    assert names
    missing = [n for n in names if not re.search(rf"(?<![\w/]){re.escape(n)}(?![\w])", picture)]
    assert not missing, f"docs/architecture.md does not name {folder}: {missing}"
