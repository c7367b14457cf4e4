"""No shell, no dynamic code: an AST scan of every module in src/omni_scale.

- no `shell=True` (or any non-constant `shell=`), no `os.system`/`os.popen`/`os.exec*`/
  `os.spawn*`, no `subprocess.getoutput`/`getstatusoutput`, no `asyncio.create_subprocess_shell`;
- no builtin `eval`, `exec`, `compile` or `__import__` (the CEL program's `.eval` method is not
  the builtin), no `pickle`/`marshal`/`shelve`, no unsafe YAML loaders;
- every process we start gets a list argv: a list display, a name bound to a list display (or a
  parameter annotated `list[str]`), or a call to a function annotated `-> list[str]`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "omni_scale"
# the package, the plugin's hook and the benches (they start processes too)
MODULES = sorted(
    [*SRC.rglob("*.py"), *(REPO / "hooks").glob("*.py"), *(REPO / "bench").glob("*.py")]
)

SPAWNERS = {"run", "Popen", "call", "check_call", "check_output"}
OUR_RUNNER = "omni_scale.adapters.process"
FORBIDDEN_CALLS = {
    ("os", "system"),
    ("os", "popen"),
    ("subprocess", "getoutput"),
    ("subprocess", "getstatusoutput"),
    ("asyncio", "create_subprocess_shell"),
    ("pty", "spawn"),
}
FORBIDDEN_BUILTINS = {"eval", "exec", "compile", "__import__"}
BAD_TYP = ("unsafe", "full")
FORBIDDEN_MODULES = {"pickle", "marshal", "shelve", "dill", "cloudpickle"}


@dataclass
class Finding:
    path: Path
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}: {self.what}"


def dotted(node: ast.AST) -> tuple[str, ...]:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return tuple(reversed(parts))


def is_list_annotation(node: ast.expr | None) -> bool:
    if node is None:
        return False
    text = ast.unparse(node)
    return text.startswith(("list[", "List[", "Sequence[str]")) or text == "list"


class Scanner(ast.NodeVisitor):
    def __init__(self, path: Path, tree: ast.Module) -> None:
        self.path = path
        self.findings: list[Finding] = []
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.returns_list = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and is_list_annotation(node.returns)
        }
        self.subprocess_names = {"subprocess"}
        self.spawner_aliases: set[str] = set()

    def flag(self, node: ast.AST, what: str) -> None:
        self.findings.append(Finding(self.path, getattr(node, "lineno", 0), what))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] in FORBIDDEN_MODULES:
                self.flag(node, f"imports {alias.name}")
            if alias.name == "subprocess" and alias.asname:
                self.subprocess_names.add(alias.asname)
            if alias.name == OUR_RUNNER:
                self.subprocess_names.add(alias.asname or alias.name)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if module.split(".")[0] in FORBIDDEN_MODULES:
            self.flag(node, f"imports from {module}")
        for alias in node.names:
            if (module, alias.name) in FORBIDDEN_CALLS:
                self.flag(node, f"imports {module}.{alias.name}")
            if module == "subprocess" and alias.name in SPAWNERS:
                self.spawner_aliases.add(alias.asname or alias.name)
            # our runner (omni_scale.adapters.process.run) starts processes like subprocess.run
            if f"{module}.{alias.name}" == OUR_RUNNER:
                self.subprocess_names.add(alias.asname or alias.name)
            if module == OUR_RUNNER and alias.name in SPAWNERS:
                self.spawner_aliases.add(alias.asname or alias.name)
            if module == "os" and alias.name.startswith(("exec", "spawn", "system", "popen")):
                self.flag(node, f"imports os.{alias.name}")
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.functions.append(node)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Call(self, node: ast.Call) -> None:
        name = dotted(node.func)
        if isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_BUILTINS:
            self.flag(node, f"calls builtin {node.func.id}()")
        if len(name) == 2 and name in FORBIDDEN_CALLS:
            self.flag(node, f"calls {'.'.join(name)}")
        if len(name) == 2 and name[0] == "os" and name[1].startswith(("exec", "spawn")):
            self.flag(node, f"calls {'.'.join(name)}")
        if name[-1:] == ("load",) and name[:1] == ("yaml",):
            self.flag(node, "yaml.load (use a safe/round-trip loader)")
        for keyword in node.keywords:
            value = keyword.value
            if keyword.arg == "typ" and isinstance(value, ast.Constant) and value.value in BAD_TYP:
                self.flag(node, f"ruamel YAML(typ={value.value!r})")
            if keyword.arg == "shell" and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            ):
                self.flag(node, f"shell={ast.unparse(keyword.value)}")
        spawner = (len(name) == 2 and name[0] in self.subprocess_names and name[1] in SPAWNERS) or (
            len(name) == 1 and name[0] in self.spawner_aliases
        )
        if spawner:
            self.check_argv(node)
        self.generic_visit(node)

    def check_argv(self, node: ast.Call) -> None:
        args = node.args[0] if node.args else None
        if args is None:
            args = next((k.value for k in node.keywords if k.arg == "args"), None)
        if args is None:
            self.flag(node, "a process started without an argv")
            return
        if isinstance(args, (ast.List, ast.ListComp)):
            return
        if isinstance(args, ast.Call):
            if dotted(args.func)[-1:] and dotted(args.func)[-1] in self.returns_list:
                return
            self.flag(node, f"argv from {ast.unparse(args)} (not annotated -> list[str])")
            return
        if isinstance(args, ast.Name) and self.functions and self.bound_to_list(args.id):
            return
        self.flag(node, f"argv {ast.unparse(args)} is not a list")

    def bound_to_list(self, name: str) -> bool:
        function = self.functions[-1]
        every = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
        if any(a.arg == name and is_list_annotation(a.annotation) for a in every):
            return True
        bindings = [
            node.value
            for node in ast.walk(function)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        ] + [
            node.value
            for node in ast.walk(function)
            if isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
            and node.value is not None
        ]
        return bool(bindings) and all(isinstance(v, (ast.List, ast.ListComp)) for v in bindings)


def scan(path: Path) -> list[Finding]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    scanner = Scanner(path, tree)
    scanner.visit(tree)
    return scanner.findings


def scan_text(text: str) -> list[str]:
    path = SRC / "example.py"
    tree = ast.parse(text)
    scanner = Scanner(path, tree)
    scanner.visit(tree)
    return [f.what for f in scanner.findings]


def test_there_are_modules_and_processes_to_scan() -> None:
    assert len(MODULES) > 50 and REPO / "hooks" / "session_start.py" in MODULES
    spawning = [p for p in MODULES if "process.run(" in p.read_text()]  # ours or subprocess's
    assert len(spawning) >= 3  # the scan below has real calls to judge


def test_plugin_commands_never_put_user_arguments_into_a_shell() -> None:
    """The slash commands' `!` lines run in a shell before Claude sees anything: they must
    not expand $ARGUMENTS (user text) there; Claude passes arguments through the launcher."""
    commands = sorted((REPO / "commands").glob("*.md"))
    assert commands
    for path in commands:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("!`"):
                assert "$ARGUMENTS" not in line and "$1" not in line, f"{path.name}: {line}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(REPO)))
def test_module_is_clean(path: Path) -> None:
    findings = scan(path)
    assert not findings, "\n".join(str(f) for f in findings)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import subprocess\nsubprocess.run('ls ' + x, shell=True)", "shell=True"),
        ("import subprocess\nsubprocess.run(cmd, shell=flag)", "shell=flag"),
        ("import os\nos.system('docker ps')", "calls os.system"),
        ("import os\nos.execvp('docker', ['docker'])", "calls os.execvp"),
        ("eval(text)", "calls builtin eval()"),
        ("exec(code)", "calls builtin exec()"),
        ("import pickle", "imports pickle"),
        ("import subprocess as sp\nsp.Popen('docker ps')", "argv 'docker ps' is not a list"),
        ("from subprocess import run\nrun(f'docker {x}')", "is not a list"),
        (
            "import subprocess\ndef f(cmd: str):\n    subprocess.run(cmd)",
            "argv cmd is not a list",
        ),
        (
            "import subprocess\ndef f():\n    cmd = 'a b'\n    subprocess.run(cmd)",
            "argv cmd is not a list",
        ),
        ("import subprocess\nsubprocess.run(make())", "not annotated -> list[str]"),
        ("from omni_scale.adapters import process\nprocess.run(cmd)", "argv cmd is not a list"),
        ("from omni_scale.adapters.process import run\nrun('docker ps')", "is not a list"),
        ("from ruamel.yaml import YAML\nYAML(typ='unsafe')", "typ='unsafe'"),
    ],
)
def test_the_scanner_catches(code: str, expected: str) -> None:
    assert any(expected in found for found in scan_text(code)), scan_text(code)


@pytest.mark.parametrize(
    "code",
    [
        "import subprocess\nsubprocess.run(['docker', 'ps'], shell=False)",
        "import subprocess\ndef f(argv: list[str]):\n    subprocess.run(argv)",
        "import subprocess\ndef f():\n    argv = ['a', x]\n    subprocess.run(argv)",
        "import subprocess\ndef g() -> list[str]: ...\nsubprocess.run(g())",
        "program.eval(activation)",
    ],
)
def test_the_scanner_accepts(code: str) -> None:
    assert scan_text(code) == []
