"""Property: every failure is one line with exit 2 or 3, never an internal error; argv always
separates options from names.

Attacks: `--image` that is no provider image, holds `${...}` or a space; a newline in
$OMNI_INFRA_PROVIDER_KEY; a CEL selector over the engine's evaluation budget (lint used to
pass while plan crashed); closed stdout/stderr; no HOME and no passwd entry; a service named
like a flag.
"""

from __future__ import annotations

import pwd
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fakes.fixtures_provider_project import TOKEN_ID, make_key
from omni_scale.adapters.docker import names

SETUP = (
    "provider", "setup", "--offline", "--omni-endpoint", "https://omni.example.com",
    "--proxmox-url", "https://pve1.example.com:8006/api2/json", "--token-id", TOKEN_ID,
)  # fmt: skip


def one_line_error(result: Any, code: int = 2) -> str:
    assert result.code == code, (result.code, result.out, result.err)
    lines = [line for line in result.err.splitlines() if line.startswith("omni-scale: error:")]
    assert len(lines) == 1, result.err
    assert "internal error" not in lines[0] and "Traceback" not in result.err
    return lines[0]


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret"
    path.write_text("5e1f0a7c-9d7b-4d7e-8c41-7f0b9a2f1c33\n")
    return path


@pytest.mark.parametrize(
    ("image", "says"),
    [
        ("ghcr.io/x/y:v1", "not the Proxmox provider's image"),
        ("ghcr.io/siderolabs/omni-infra-provider-proxmox:${TAG}", "not an image reference"),
        ("ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0 --privileged", "not an image"),
        ("ghcr.io/siderolabs/omni-infra-provider-proxmox:v0.3.0\nx: 1", "not an image"),
        ("busybox@sha256:" + "a" * 64, "not the Proxmox provider's image"),
        ("ghcr.io/siderolabs/omni-infra-provider-proxmox", "floats"),
    ],
)
def test_bad_image(project: Path, cli: Any, secret_file: Path, image: str, says: str) -> None:
    result = cli("--project-dir", project, *SETUP, "--token-secret-file", secret_file,
                 "--image", image)  # fmt: skip
    assert says in one_line_error(result)
    assert not (project / "docker").exists()


@pytest.mark.parametrize(
    "image", ["v0.3.1", "registry.local:5000/mirror/omni-infra-provider-proxmox:v0.3.0"]
)
def test_good_image_is_no_false_error(
    project: Path, cli: Any, secret_file: Path, image: str
) -> None:
    result = cli("--project-dir", project, *SETUP, "--token-secret-file", secret_file,
                 "--image", image, "--dry-run")  # fmt: skip
    assert result.code in (0, 1), result.err


@pytest.mark.parametrize("sep", ["\n", "\r", "\x85", "\u2028", "\x1b"])
def test_newline_in_the_key_variable_injects_nothing(
    project: Path,
    cli: Any,
    secret_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    sep: str,
) -> None:
    if sep == "\x00":
        pytest.skip("the environment cannot carry NUL")
    monkeypatch.setenv(
        "OMNI_INFRA_PROVIDER_KEY", make_key("infra-provider:proxmox") + sep + "EVIL=1"
    )
    result = cli("--project-dir", project, *SETUP, "--token-secret-file", secret_file)
    assert "line break or a control character" in one_line_error(result)
    env = project / ".env"
    assert not env.exists() or "EVIL" not in env.read_text()


def test_cel_budget_is_a_lint_problem_and_a_plan_line(homelab: Path, cli: Any) -> None:
    items = "[" + ",".join(["0"] * 30) + "]"
    selector = f"{items}.all(a, {items}.all(b, {items}.all(c, {items}.all(d, true))))"
    path = homelab / "machine-classes" / "homelab-worker.yaml"
    text = path.read_text()
    start = text.index("storage_selector:")
    path.write_text(text[:start] + f"storage_selector: '{selector}'\n")
    lint = cli("--project-dir", homelab, "lint")
    assert lint.code == 1, lint.out + lint.err
    assert "budget" in lint.out
    plan = cli("--project-dir", homelab, "machineclass", "plan", "homelab-worker")
    assert plan.code in (1, 2), plan.out + plan.err
    assert "internal error" not in plan.err and "Traceback" not in plan.err
    assert "budget" in plan.out + plan.err


@pytest.mark.parametrize(
    "args", [["--version"], ["state", "show"], ["--json", "state", "show"], ["lint"]]
)
@pytest.mark.parametrize("closed", ["stdout", "both"])
def test_closed_stdout_no_traceback(homelab: Path, tmp_path: Path, args: list[str], closed: str):
    """`omni-scale ... >&-`: no traceback, files stay files (fd 1 is not reused by a write)."""
    err = tmp_path / "err"
    script = (
        "import os, sys; os.close(1)\n"
        + ("os.close(2)\n" if closed == "both" else "")
        + "sys.argv = ['omni-scale', *sys.argv[1:]]\n"
        "from omni_scale.cli.main import main; raise SystemExit(main())\n"
    )
    with err.open("wb") as handle:
        proc = subprocess.run(
            [sys.executable, "-c", script, "--project-dir", str(homelab), *args],
            stdout=subprocess.DEVNULL, stderr=handle, timeout=60, check=False,
        )  # fmt: skip
    assert "Traceback" not in err.read_text()
    assert proc.returncode in (0, 1)


def test_closed_stdout_during_a_write(homelab: Path) -> None:
    """With fd 1 closed, the state file written by `state set` must not become descriptor 1."""
    script = (
        "import os, sys; os.close(1)\n"
        "from omni_scale.cli.main import main\n"
        f"raise SystemExit(main(['--project-dir', {str(homelab)!r}, 'state', 'set', "
        "'default_cores=6']))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=False,
                          stderr=subprocess.PIPE, timeout=60, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    text = (homelab / ".claude" / "omni-scale.local.md").read_text()
    assert text.startswith("---\n") and "default_cores: 6" in text


def test_no_home_and_no_passwd_entry(
    homelab: Path, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A container run with --user 12345: HOME unset, uid unknown to the passwd database
    (replaced at that OS boundary: the lookup fails as it does there)."""
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)

    def no_entry(uid: int) -> Any:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    monkeypatch.setenv("PATH", "")
    result = cli("--project-dir", homelab, "omnictl", "which")
    assert "home folder" in one_line_error(result, code=3)
    completion = cli("completion", "bash", "--install")
    assert completion.code in (2, 3)
    assert "internal error" not in completion.err


def test_service_names_come_after_double_dash(
    provider_project: Any, cli: Any, fake_docker: Any
) -> None:
    assert names(["--volumes", "x"]) == ("--", "--volumes", "x")
    assert names([]) == ()
    root = provider_project()
    fake_docker.update(services=["provider-proxmox"])
    result = cli("--project-dir", root, "provider", "up", "--provider", "proxmox", "--no-wait")
    assert result.code == 0, result.err
    [argv] = fake_docker.compose_calls("up")
    assert argv[-2:] == ["--", "provider-proxmox"]
