"""The omni-proxmox skill never teaches what does not work.

Every selector in the references is compiled (and evaluated against the page's sample storages)
with omni_scale.core.selector.evaluate, every example is linted with the project's lint engine,
and the troubleshooting page is the CLI's own known-error table.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from .conftest import REPO

SKILL_DIR = REPO / "skills" / "omni-proxmox"
SKILL = SKILL_DIR / "SKILL.md"
REFERENCES = sorted((SKILL_DIR / "references").glob("*.md"))
EXAMPLES = sorted((SKILL_DIR / "examples").glob("*.yaml"))
CEL_BLOCK = re.compile(r"```(cel|cel-invalid)\n(.*?)```", re.S)


def frontmatter_and_body(path: Path) -> tuple[dict[str, Any], str]:
    from ruamel.yaml import YAML

    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return YAML(typ="safe", pure=True).load(front), body


def test_frontmatter_names_the_skill_and_its_triggers() -> None:
    front, _ = frontmatter_and_body(SKILL)
    assert front["name"] == SKILL_DIR.name
    description = front["description"]
    assert description.startswith("This skill should be used when the user asks to")
    for phrase in (
        "create a machine class",
        "configure the Proxmox provider",
        "debug provider registration",
        "set up CEL storage selectors",
    ):
        assert f'"{phrase}"' in description
    assert "Omni" in description
    assert "Proxmox" in description
    assert len(description) < 1536  # the skill listing cuts there


def test_body_length_and_voice() -> None:
    _, body = frontmatter_and_body(SKILL)
    words = len(body.split())
    assert 1500 <= words <= 2000, words
    assert not re.search(r"\bYou (should|must|can)\b", body)  # imperative, not second person


def test_every_reference_and_example_is_listed_and_exists() -> None:
    _, body = frontmatter_and_body(SKILL)
    mentioned = set(re.findall(r"`((?:references|examples)/[\w.-]+)`", body))
    present = {f"references/{p.name}" for p in REFERENCES} | {
        f"examples/{p.name}" for p in EXAMPLES
    }
    assert mentioned == present
    assert {p.name for p in REFERENCES} == {
        "cel-storage-selectors.md",
        "placement-by-release.md",
        "proxmox-permissions.md",
        "troubleshooting.md",
        "omnictl-auth.md",
    }


def test_skill_machine_class_is_the_cosi_shape(tmp_path: Path, cli_proc: Any) -> None:
    """The MachineClass in SKILL.md is what omnictl accepts, and lints clean."""
    from omni_scale.lint.document import Kind, classify
    from omni_scale.yamlio import load_all

    _, body = frontmatter_and_body(SKILL)
    blocks = re.findall(r"```yaml\n(.*?)```", body, re.S)
    assert blocks
    for index, block in enumerate(blocks):
        path = tmp_path / f"block{index}.yaml"
        path.write_text(block, encoding="utf-8")
        (data,) = load_all(block, path=path)
        assert classify(data) == Kind.MACHINE_CLASS
        assert "apiVersion" not in block
        assert "kind:" not in block
        result = cli_proc("--project-dir", tmp_path, "lint", "--json", path)
        assert result.json()["problems"] == []


def cel_lines() -> list[tuple[str, str, str]]:
    found = []
    for path in REFERENCES:
        for lang, body in CEL_BLOCK.findall(path.read_text(encoding="utf-8")):
            for line in body.strip().splitlines():
                found.append((path.name, lang, line))
    return found


def sample_storages() -> list[Any]:
    from omni_scale.core.selector.evaluate import Storage

    text = (SKILL_DIR / "references" / "cel-storage-selectors.md").read_text(encoding="utf-8")
    match = re.search(r"```json\n(.*?)```", text, re.S)
    assert match
    return [Storage(s["storage"], s["type"], s["avail"]) for s in json.loads(match.group(1))]


def test_references_teach_many_selectors() -> None:
    lines = cel_lines()
    assert sum(1 for _, lang, _ in lines if lang == "cel") >= 25
    assert sum(1 for _, lang, _ in lines if lang == "cel-invalid") >= 10
    assert any(re.search(r"\d+u\b", line) for _, lang, line in lines if lang == "cel")


@pytest.mark.parametrize(
    ("page", "lang", "line"), cel_lines(), ids=[line for _, _, line in cel_lines()]
)
def test_every_selector_in_the_references(page: str, lang: str, line: str) -> None:
    from omni_scale.core.selector.evaluate import pick_storage, selector_problem

    problem = selector_problem(line)
    if lang == "cel-invalid":
        # Marked as wrong on purpose: it must fail, with the error the page shows.
        expected = line.split("// error: ", 1)[1]
        assert problem is not None, f"{page}: {line} compiles, but the page says it fails"
        assert expected in problem.message
        return
    assert problem is None, f"{page}: {line}: {problem and problem.summary}"
    match = re.search(r"// picks: (\S+)$", line)
    assert match, f"{page}: say what `{line}` picks"
    pick = pick_storage(line, sample_storages(), "pve1")
    if match.group(1) == "none":
        assert pick.storage is None
        assert pick.error and pick.error.startswith("failed to pick the disk: no matches")
    elif match.group(1) == "error":
        assert pick.storage is None
        assert pick.error and not pick.error.startswith("failed to pick the disk")
    else:
        assert pick.storage == match.group(1), pick


def load_generator() -> Any:
    path = Path(__file__).with_name("troubleshooting_reference.py")
    spec = importlib.util.spec_from_file_location("troubleshooting_reference", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_troubleshooting_is_generated_from_the_diagnosis_table() -> None:
    from omni_scale.core.diagnosis import KNOWN_ERRORS, diagnose

    generator = load_generator()
    current = generator.TARGET.read_text(encoding="utf-8")
    assert current == generator.render(), (
        "references/troubleshooting.md is stale: run "
        "uv run python tests/plugin/troubleshooting_reference.py"
    )
    for known in KNOWN_ERRORS:
        assert known.example.replace("|", "\\|") in current
        assert known.id in [d.id for d in diagnose(known.example)]


def test_examples_lint_clean_in_a_project(tmp_path: Path, cli_proc: Any) -> None:
    """`omni-scale lint --json` over the examples laid out as a project: no problem at all."""
    project = tmp_path / "infra"
    (project / "machine-classes").mkdir(parents=True)
    (project / "clusters").mkdir()
    templates = [p for p in EXAMPLES if "kind: Cluster" in p.read_text(encoding="utf-8")]
    classes = [p for p in EXAMPLES if p not in templates]
    assert len(classes) == 5
    assert len(templates) == 1
    for path in classes:
        shutil.copy(path, project / "machine-classes" / path.name)
    for path in templates:
        shutil.copy(path, project / "clusters" / path.name)
    result = cli_proc("--project-dir", project, "lint", "--json")
    report = result.json()
    assert report["problems"] == [], report["problems"]
    assert report["summary"]["files"] == 6
    assert result.code == 0


def test_examples_are_machine_classes_with_their_feature() -> None:
    from omni_scale.yamlio import load_all

    features = {
        "local-lvm-worker.yaml": 'name == "local-lvm"',
        "ceph-control-plane.yaml": 'storageType == "rbd"',
        "gpu-worker.yaml": "pci_devices:",
        "multi-disk-worker.yaml": "additional_disks:",
        "multi-nic-worker.yaml": "additional_nics:",
    }
    for name, feature in features.items():
        path = SKILL_DIR / "examples" / name
        (data,) = load_all(path.read_text(encoding="utf-8"), path=path)
        assert data["metadata"]["id"] == name.removesuffix(".yaml")
        assert feature in data["spec"]["autoprovision"]["providerdata"]


CLI_FORM = (
    'CLAUDE_PLUGIN_DATA="${CLAUDE_PLUGIN_DATA}" "${CLAUDE_PLUGIN_ROOT}/scripts/omni-scale" '
    '--project-dir "${CLAUDE_PROJECT_DIR}"'
)


def test_triggers_match_pasted_provider_and_omni_errors() -> None:
    front, _ = frontmatter_and_body(SKILL)
    description = front["description"]
    for phrase in (
        "failed to pick the disk",
        "no matches for the condition",
        "SCALING_UP",
        "Talos VMs on Proxmox",
    ):
        assert phrase in description
    # Each pasted error trigger is a real string of the CLI's known-error table.
    from omni_scale.core.diagnosis import KNOWN_ERRORS

    samples = " ".join(e.example for e in KNOWN_ERRORS)
    for quoted in ("failed to pick the disk", "no matches for the condition"):
        assert quoted in samples


def test_the_skill_can_run_the_cli_read_only() -> None:
    from .cli_surface import READ_ONLY

    front, body = frontmatter_and_body(SKILL)
    tools = front["allowed-tools"]
    assert isinstance(tools, list)
    rules = [t for t in tools if t.startswith("Bash(")]
    assert {t for t in tools if t not in rules} <= {"Read", "Glob", "Grep"}
    allowed = set()
    for rule in rules:
        assert rule.startswith(f"Bash({CLI_FORM} ") and rule.endswith(":*)"), rule
        allowed.add(rule[len(f"Bash({CLI_FORM} ") : -3])
    assert allowed <= READ_ONLY, allowed - READ_ONLY
    assert {"provider status", "provider logs", "cluster status", "machineclass plan"} <= allowed
    # The body teaches exactly the form the rules match (the launcher, not a bare `omni-scale`).
    assert f"{CLI_FORM} ARGS --json" in body


def test_the_two_wrong_facts_stay_fixed() -> None:
    """The Omni UI is no key source (its key fails with an EdDSA error), and `no nodes
    available` is not a privilege problem (GET /nodes needs none)."""
    _, body = frontmatter_and_body(SKILL)
    assert "Omni UI's infra provider page" not in body
    assert "gopenpgp: EdDSA verification failure" in body
    for page in (SKILL, *REFERENCES):
        for line in page.read_text(encoding="utf-8").splitlines():
            if "no nodes available" in line:
                assert "Sys.Audit" not in line, f"{page.name}: {line}"
