"""The lint engine through `omni-scale lint`: selection, inline ignores, formats, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lint.mc_helpers import GOOD, machine_class, write

NO_SOCKETS = GOOD.replace("sockets: 1\n", "")
BAD_MEMORY = GOOD.replace("memory: 4096", "memory: 1024")


def test_clean_file_exits_0(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class(GOOD))
    result = cli("lint", path)
    assert result.code == 0
    assert "no problems in 1 file(s)" in result.out


def test_warnings_only_exit_0(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class(NO_SOCKETS))
    result = cli("lint", path)
    assert result.code == 0
    assert f"{path}:9:7: warning [mc-sockets-missing]" in result.out
    assert "    hint: add 'sockets: 1'" in result.out


def test_errors_exit_1_text_format(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class(BAD_MEMORY))
    result = cli("lint", path)
    assert result.code == 1
    expected = (
        f'{path}:11:7: error [mc-providerdata-schema] config value ".memory": must be at least 2048'
    )
    assert expected in result.out.splitlines()
    assert "1 error(s), 0 warning(s) in 1 file(s)" in result.out


def test_json_format_shape(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class(BAD_MEMORY.replace("sockets: 1\n", "")))
    result = cli("lint", path, "--format", "json")
    assert result.code == 1
    data = json.loads(result.out)
    assert data["summary"] == {"files": 1, "errors": 1, "warnings": 1}
    assert set(data["problems"][0]) == {
        "rule",
        "severity",
        "path",
        "line",
        "column",
        "message",
        "hint",
    }
    assert {p["severity"] for p in data["problems"]} == {"error", "warning"}
    # --json means the same document
    assert json.loads(cli("lint", path, "--json").out) == data


def test_github_format(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class(BAD_MEMORY))
    result = cli("lint", path, "--format", "github")
    assert result.code == 1
    [line] = result.out.splitlines()
    assert line.startswith(
        f"::error file={path},line=11,col=7,title=omni-scale mc-providerdata-schema::"
    )
    assert "must be at least 2048" in line and "(hint: " in line


def test_select_and_ignore(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class(BAD_MEMORY.replace("sockets: 1\n", "")))
    only = json.loads(cli("lint", path, "--json", "--select", "mc-sockets-missing").out)
    assert {p["rule"] for p in only["problems"]} == {"mc-sockets-missing"}
    result = cli("lint", path, "--json", "--ignore", "mc-providerdata-schema")
    assert result.code == 0
    assert {p["rule"] for p in result.json()["problems"]} == {"mc-sockets-missing"}


def test_unknown_rule_is_bad_usage(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "mc.yaml", machine_class(GOOD))
    result = cli("lint", path, "--select", "mc-nope")
    assert result.code == 2
    assert "unknown rule 'mc-nope'" in result.err
    assert "Traceback" not in result.err


def test_inline_ignore_on_the_line_and_above(cli: Any, tmp_path: Path) -> None:
    text = machine_class(BAD_MEMORY).replace(
        "memory: 1024", "memory: 1024  # omni-scale: ignore=mc-providerdata-schema"
    )
    path = write(tmp_path / "a.yaml", text)
    assert cli("lint", path).code == 0
    above = machine_class(NO_SOCKETS).replace(
        "      cores: 2", "      # omni-scale: ignore=mc-sockets-missing\n      cores: 2"
    )
    result = cli("lint", write(tmp_path / "b.yaml", above), "--json")
    assert result.json()["problems"] == []
    other = machine_class(BAD_MEMORY).replace(
        "memory: 1024", "memory: 1024  # omni-scale: ignore=x"
    )
    assert cli("lint", write(tmp_path / "c.yaml", other)).code == 1


def test_missing_path_exit_2(cli: Any, tmp_path: Path) -> None:
    result = cli("lint", tmp_path / "nope.yaml")
    assert result.code == 2
    assert "does not exist" in result.err


def test_default_paths_are_the_project_folders(cli: Any, project: Path) -> None:
    write(project / "machine-classes" / "w.yaml", machine_class(BAD_MEMORY))
    write(project / "notes" / "x.yaml", "not: linted\n")
    result = cli("--project-dir", project, "lint", "--json")
    assert result.code == 1
    assert result.json()["summary"]["files"] == 1


def test_list_rules_includes_every_mc_rule(cli: Any) -> None:
    result = cli("lint", "--list-rules", "--json")
    ids = {r["id"] for r in result.json()["rules"]}
    for rule in (
        "mc-legacy-format",
        "mc-structure",
        "mc-metadata-namespace",
        "mc-metadata-type",
        "mc-metadata-id",
        "mc-spec-keys",
        "mc-allocation",
        "mc-providerid-empty",
        "mc-spec-values",
        "mc-providerdata-format",
        "mc-providerdata-schema",
        "mc-providerdata-unknown-key",
        "mc-grpctunnel-in-providerdata",
        "mc-storage-selector",
        "mc-provider-version",
        "mc-sockets-missing",
        "mc-duplicate-id",
        "mc-providerid-mismatch",
    ):
        assert rule in ids


def test_every_mc_rule_documents_a_failing_and_a_passing_example() -> None:
    from omni_scale.lint.rule import all_rules

    mc_rules = [r for r in all_rules() if r.id.startswith("mc-")]
    assert len(mc_rules) >= 18
    for rule in mc_rules:
        assert rule.doc.startswith(rule.id + ":"), rule.id
        assert "Failing" in rule.doc and "Passing" in rule.doc, rule.id


PD_CLASS = """\
metadata:
  namespace: default
  type: MachineClasses.omni.sidero.dev
  id: w
spec:
  autoprovision:
    providerid: proxmox
    providerdata: {indicator}
{body}"""
PD_BODY = (
    "      cores: 2\n      sockets: 1\n      memory: 4096\n      disk_size: 20\n"
    '      storage_selector: name == "local-lvm"\n'
)


def _lint_text(tmp_path: Path, text: str) -> list[tuple[str, int]]:
    from omni_scale.lint.context import build_context
    from omni_scale.lint.engine import lint_files

    path = tmp_path / "w.yaml"
    path.write_text(text)
    return [(p.rule, p.line) for p in lint_files([path], build_context(None)).problems]


def test_ignore_inside_a_providerdata_block_that_starts_with_a_blank_line(
    tmp_path: Path,
) -> None:
    """The report: `# omni-scale: ignore=RULE` could not reach findings inside providerdata
    (a leading blank line shifted every inner line by one)."""
    body = "\n      network_brige: vmbr0\n" + PD_BODY
    found = _lint_text(tmp_path, PD_CLASS.format(indicator="|-", body=body))
    assert found == [("mc-providerdata-unknown-key", 10)]  # the line the key is on
    ignored = body.replace(
        "      network_brige",
        "      # omni-scale: ignore=mc-providerdata-unknown-key\n      network_brige",
    )
    assert _lint_text(tmp_path, PD_CLASS.format(indicator="|-", body=ignored)) == []


def test_ignore_inside_a_folded_providerdata_block(tmp_path: Path) -> None:
    """Findings of a folded (>) block are reported at its key: a comment inside reaches them."""
    body = "      # omni-scale: ignore=mc-providerdata-schema\n      cores: 2\n"
    assert _lint_text(tmp_path, PD_CLASS.format(indicator=">", body=body)) == []
    other = "      # omni-scale: ignore=mc-structure\n      cores: 2\n"
    rules = {rule for rule, _ in _lint_text(tmp_path, PD_CLASS.format(indicator=">", body=other))}
    assert rules == {"mc-providerdata-schema"}
