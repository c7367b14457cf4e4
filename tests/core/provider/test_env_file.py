""".env is read as Docker Compose reads it: python-dotenv, checked against `docker-compose config`.

The report: a hand-written parser disagreed with Docker Compose and python-dotenv on 5 of 12
kinds of lines (inline `#` comments, multi-line quoted values, `\\"`, `\\t\\n`, `${A}`), and
`${VAR:-default}` in compose.yaml was resolved without the .env values.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from dotenv import dotenv_values

from omni_scale.core.provider.env_file import check_env, merge_env, parse_env
from omni_scale.errors import InputError

# The 12 kinds of lines, each with the value Docker Compose (and python-dotenv) gives it.
LINES: list[tuple[str, str, str]] = [
    ("plain", "PLAIN=abc", "abc"),
    ("export", "export EXPORTED=1", "1"),
    ("single-quoted", "SQ='a # b'", "a # b"),
    ("double-quoted", 'DQ="double"', "double"),
    ("inline-comment", "INLINE=value # a comment", "value"),
    ("quoted-inline-comment", 'QINLINE="quoted" # a comment', "quoted"),
    ("multi-line", 'MULTI="line1\nline2"', "line1\nline2"),
    ("escaped-quote", 'ESCQ="say \\"hi\\""', 'say "hi"'),
    ("escapes", 'ESCAPES="tab\\tnl\\n"', "tab\tnl\n"),
    ("reference", "REF=${PLAIN}-x", "abc-x"),
    ("default", "DEFAULTED=${OMNI_SCALE_TEST_UNSET:-fallback}", "fallback"),
    ("empty", "EMPTY=", ""),
]
TEXT = "# a comment line\n\n" + "\n".join(line for _, line, _ in LINES) + "\n"
NAMES = [line.split("=", 1)[0].removeprefix("export ") for _, line, _ in LINES]


@pytest.mark.parametrize(("kind", "line", "expected"), LINES, ids=[k for k, _, _ in LINES])
def test_each_kind_of_line(kind: str, line: str, expected: str) -> None:
    name = line.split("=", 1)[0].removeprefix("export ")
    assert parse_env(TEXT)[name] == expected


def test_agrees_with_python_dotenv_itself() -> None:
    assert parse_env(TEXT) == dict(dotenv_values(stream=io.StringIO(TEXT), interpolate=True))


def test_references_use_the_given_environment_after_the_file() -> None:
    text = "A=${FROM_SHELL}\nB=${NOT_SET:-x}\nC=${B}${A}\n"
    assert parse_env(text) == {"A": "", "B": "x", "C": "x"}
    assert parse_env(text, {"FROM_SHELL": "s", "B": "shell"}) == {"A": "s", "B": "x", "C": "xs"}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("A=1\nsecret-token-value\n", 2),
        ("A=1\nB='open\n", 2),
        ('A="open\nstill open\n', 1),
        ("A=1\n= no name\n", 2),
    ],
)
def test_check_and_reader_agree_on_bad_lines(text: str, line: int) -> None:
    """What the setup check refuses is what the reader cannot read (and the reverse)."""
    with pytest.raises(InputError) as info:
        check_env(text, path=".env")
    assert info.value.line == line
    assert "secret-token-value" not in info.value.one_line()


def test_check_accepts_every_kind_the_reader_reads() -> None:
    check_env(TEXT, path=".env")
    check_env("FROM_SHELL\n", path=".env")  # a bare NAME passes the shell's value in Compose


needs_compose = pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose is not installed"
)


def _compose_config(root: Path, compose: str, env: str) -> Any:
    """`docker-compose config` (YAML in Compose 1.x and 2.x) of `compose` with this .env."""
    from ruamel.yaml import YAML

    (root / "compose.yaml").write_text(compose)
    (root / ".env").write_text(env)
    done = subprocess.run(
        ["docker-compose", "--project-directory", str(root), "-f", str(root / "compose.yaml"),
         "config"],
        capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return YAML(typ="safe").load(done.stdout)


@pytest.mark.needs_docker_compose
@needs_compose
def test_same_values_as_docker_compose_config(tmp_path: Path) -> None:
    environment = "".join(f"      {name}: ${{{name}}}\n" for name in NAMES)
    compose = f"services:\n  probe:\n    image: busybox:1\n    environment:\n{environment}"
    config = _compose_config(tmp_path, compose, TEXT)
    got = config["services"]["probe"]["environment"]
    ours = parse_env(TEXT)
    assert {name: got[name] for name in NAMES} == {name: ours[name] for name in NAMES}


@pytest.mark.needs_docker_compose
@needs_compose
def test_provider_id_default_resolves_like_docker_compose(tmp_path: Path) -> None:
    """`--id=${PROVIDER_ID:-matrix-cluster}` with PROVIDER_ID in .env: compose uses .env."""
    from omni_scale.core.provider.compose import read_providers

    compose = (
        "services:\n  provider:\n    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0\n"
        '    command: ["--config-file=/config.yaml", "--id=${PROVIDER_ID:-matrix-cluster}"]\n'
    )
    for env, expected in (("PROVIDER_ID=lab-2\n", "lab-2"), ("OTHER=1\n", "matrix-cluster")):
        config = _compose_config(tmp_path, compose, env)
        command = config["services"]["provider"]["command"]
        assert f"--id={expected}" in command
        [entry] = read_providers(compose, env=parse_env(env))
        assert entry.provider_id == expected


def test_lint_and_status_read_the_id_from_env(project: Path, cli: Any) -> None:
    """`--id=${PROVIDER_ID:-matrix-cluster}` + PROVIDER_ID=lab-2 in .env: the id is lab-2."""
    (project / "docker").mkdir()
    (project / "docker" / "compose.yaml").write_text(
        "services:\n  provider:\n    image: ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0\n"
        '    command: ["--config-file=/config.yaml", "--id=${PROVIDER_ID:-matrix-cluster}"]\n'
        "    volumes: [./config.yaml:/config.yaml:ro]\n"
    )
    (project / ".env").write_text("PROVIDER_ID=lab-2 # the lab\n")
    (project / "machine-classes").mkdir()
    (project / "machine-classes" / "w.yaml").write_text(
        "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n  id: w\n"
        "spec:\n  autoprovision:\n    providerid: lab-2\n    providerdata: |\n"
        "      cores: 2\n      sockets: 1\n      memory: 4096\n      disk_size: 20\n"
        '      storage_selector: name == "local-lvm"\n'
    )
    result = cli("--project-dir", project, "lint", "--format", "json", project / "machine-classes")
    rules = [p["rule"] for p in result.json()["problems"]]
    assert "mc-providerid-mismatch" not in rules, result.out
    targets = cli("--project-dir", project, "--json", "provider", "status", "--check", "ids")
    assert "lab-2" in targets.out, targets.out


def test_env_check_names_the_line_and_never_its_text() -> None:
    check_env("# c\n\nexport A=1\nB='x y'\nC=\"multi\nline\"\nD=2\n", path=".env")
    with pytest.raises(InputError) as info:
        check_env("A=1\nsecret-token-value\n", path=".env")
    assert info.value.line == 2 and "secret-token-value" not in info.value.one_line()
    with pytest.raises(InputError, match="never closed") as info:
        check_env("A=1\nB='open\n", path=".env")
    assert info.value.line == 2


def test_env_merge_keeps_other_lines_and_replaces_in_place() -> None:
    text = "# mine\nTS_AUTHKEY=abc\nOMNI_ENDPOINT=https://old\n"
    merged = merge_env(text, {"OMNI_ENDPOINT": "https://new", "OMNI_INFRA_PROVIDER_KEY": "k="})
    assert merged == (
        "# mine\nTS_AUTHKEY=abc\nOMNI_ENDPOINT=https://new\nOMNI_INFRA_PROVIDER_KEY=k=\n"
    )
    assert parse_env(merged)["OMNI_INFRA_PROVIDER_KEY"] == "k="
    assert parse_env("export A='x y'\n# B=1\n") == {"A": "x y"}


def test_an_empty_env_is_read_without_python_dotenv() -> None:
    """python-dotenv loads logging and tempfile: a project without a .env never pays for it."""
    probe = (
        "import sys\n"
        "from omni_scale.core.provider.env_file import parse_env\n"
        "assert parse_env('') == {} and parse_env('  \\n') == {}\n"
        "print('dotenv' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "False"
    assert parse_env("A=1\n") == {"A": "1"}
