"""Provider config rules: url, auth modes, TLS, unknown keys (failing and passing examples)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from omni_scale.lint.context import LintContext
from omni_scale.lint.engine import lint_files
from omni_scale.lint.problem import Problem

GOOD = """\
proxmox:
  url: https://pve1:8006/api2/json
  tokenID: omni@pve!provider
  tokenSecret: 5e1f0a7c-9d7b-4d7e-8c41-7f0b9a2f1c33
  insecureSkipVerify: false
"""


def lint(tmp_path: Path, text: str) -> list[Problem]:
    path = tmp_path / "config.yaml"
    path.write_text(textwrap.dedent(text))
    return lint_files([path], LintContext()).problems


def found(problems: list[Problem]) -> set[tuple[str, str, int]]:
    return {(p.rule, str(p.severity), p.line) for p in problems}


def test_good_config_is_clean(tmp_path: Path) -> None:
    assert lint(tmp_path, GOOD) == []


@pytest.mark.parametrize(
    ("url", "severity"),
    [
        ("https://pve1:8006", "error"),
        ("https://pve1:8006/api2", "error"),
        ("http://pve1:8006/api2/json", "error"),  # refused off loopback, as setup does
        ("http://127.0.0.1:8006/api2/json", "warning"),
        ("pve1", "error"),
    ],
)
def test_url(tmp_path: Path, url: str, severity: str) -> None:
    problems = lint(tmp_path, GOOD.replace("https://pve1:8006/api2/json", url))
    assert ("provider-config-url", severity, 2) in found(problems)


def test_trailing_slash_is_tolerated(tmp_path: Path) -> None:
    assert lint(tmp_path, GOOD.replace("/api2/json", "/api2/json/")) == []


def test_no_credentials(tmp_path: Path) -> None:
    problems = lint(tmp_path, "proxmox:\n  url: https://pve1:8006/api2/json\n")
    [problem] = problems
    assert (problem.rule, problem.severity, problem.line) == ("provider-config-auth", "error", 1)
    assert "No ticket" in problem.message


def test_root_at_pam_with_realm_is_doubled(tmp_path: Path) -> None:
    text = (
        "proxmox:\n  url: https://pve1:8006/api2/json\n  username: root@pam\n"
        "  password: pw\n  realm: pam\n"
    )
    problems = lint(tmp_path, text)
    assert ("provider-config-auth", "error", 3) in found(problems)
    assert any("root@pam@pam" in p.message for p in problems)
    assert any("2 h ticket" in p.message and p.severity == "warning" for p in problems)


def test_password_mode_alone_is_a_warning(tmp_path: Path) -> None:
    text = (
        "proxmox:\n  url: https://pve1:8006/api2/json\n  username: root\n"
        "  password: pw\n  realm: pam\n"
    )
    assert found(lint(tmp_path, text)) == {("provider-config-auth", "warning", 4)}


def test_both_modes(tmp_path: Path) -> None:
    text = GOOD + "  username: root\n  password: pw\n  realm: pam\n"
    problems = lint(tmp_path, text)
    assert any("password wins" in p.message for p in problems)


@pytest.mark.parametrize("token_id", ["omni@pve", "provider", "omni!x"])
def test_token_id_format(tmp_path: Path, token_id: str) -> None:
    problems = lint(tmp_path, GOOD.replace("omni@pve!provider", token_id))
    assert ("provider-config-auth", "error", 3) in found(problems)


def test_token_without_secret(tmp_path: Path) -> None:
    text = "proxmox:\n  url: https://pve1:8006/api2/json\n  tokenID: omni@pve!provider\n"
    assert ("provider-config-auth", "error", 3) in found(lint(tmp_path, text))


def test_insecure_skip_verify(tmp_path: Path) -> None:
    problems = lint(tmp_path, GOOD.replace("insecureSkipVerify: false", "insecureSkipVerify: true"))
    assert found(problems) == {("provider-config-tls", "warning", 5)}
    wrong = lint(tmp_path, GOOD.replace("insecureSkipVerify: false", 'insecureSkipVerify: "yes"'))
    assert found(wrong) == {("provider-config-tls", "error", 5)}


def test_unknown_keys(tmp_path: Path) -> None:
    text = GOOD + "  apiToken: omni@pve!p=x\n  tokenid: y\nnodes: []\n"
    problems = lint(tmp_path, text)
    rules = {(p.rule, p.line): p for p in problems}
    assert "split it" in (rules[("provider-config-keys", 6)].hint or "")
    assert "tokenID" in (rules[("provider-config-keys", 7)].hint or "")
    assert ("provider-config-keys", 8) in rules
