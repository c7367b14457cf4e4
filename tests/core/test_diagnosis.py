"""The known-error table: every fact-sheet error string is diagnosed, with cause and fix."""

from __future__ import annotations

import re

import pytest

from conftest import DATA
from omni_scale.core.diagnosis import KNOWN_ERRORS, diagnose, diagnose_all, render_markdown

# Rows of the known-error table (tests/data/provider-known-errors.md) too generic to match on
# their own text.
NOT_MATCHABLE = {"500 Internal Server Error"}


def _facts_error_strings() -> list[str]:
    text = (DATA / "provider-known-errors.md").read_text(encoding="utf-8")
    section = text.split("## 10. Known error strings", 1)[1]
    strings = []
    for line in section.splitlines():
        match = re.match(r"^\| `([^`]+)`", line)
        if match:
            strings.append(match.group(1))
    return strings


def test_ids_are_unique_and_kebab_case() -> None:
    ids = [k.id for k in KNOWN_ERRORS]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


@pytest.mark.parametrize("known", KNOWN_ERRORS, ids=lambda k: k.id)
def test_each_example_is_diagnosed_as_itself(known: object) -> None:
    found = diagnose(known.example)  # type: ignore[attr-defined]
    assert known.id in [d.id for d in found]  # type: ignore[attr-defined]
    first = next(d for d in found if d.id == known.id)  # type: ignore[attr-defined]
    assert first.cause and first.fix


def test_every_error_string_of_the_fact_sheet_is_known() -> None:
    strings = _facts_error_strings()
    assert len(strings) >= 30
    unmatched = [s for s in strings if s not in NOT_MATCHABLE and not diagnose(s)]
    assert unmatched == []


def test_placeholders_are_filled_from_the_match() -> None:
    [found] = diagnose('Error: resource ID must match the infra provider ID "Proxmox"')
    assert found.id == "provider-id-mismatch"
    assert "'Proxmox'" in found.cause
    assert found.matched == 'resource ID must match the infra provider ID "Proxmox"'
    # `--id=Proxmox` would be refused by setup (not DNS-1123): the fix must not offer it
    assert "--id=Proxmox" not in found.fix and "omnictl infraprovider create" in found.fix
    [valid] = diagnose('Error: resource ID must match the infra provider ID "lab-2"')
    assert "--id=lab-2" in valid.fix and "providerid: lab-2" in valid.fix


def test_unrelated_text_has_no_diagnosis() -> None:
    assert diagnose("machine provision finished") == []
    assert diagnose("") == []


def test_escaped_quotes_in_a_selector() -> None:
    [found] = diagnose(r'failed to pick the disk: no matches for the condition "name == \"x\""')
    assert found.groups["sel"] == r"name == \"x\""


def test_diagnose_all_reports_each_error_once() -> None:
    lines = ["not authorized to access endpoint"] * 3 + ["no nodes available"]
    assert [d.id for d in diagnose_all(lines)] == ["proxmox-not-authorized", "node-none"]


def test_markdown_has_a_row_per_error() -> None:
    table = render_markdown()
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) == len(KNOWN_ERRORS)
    assert "omnictl infraprovider create" in table
    assert all(line.count("|") - line.count("\\|") == 5 for line in rows)


def test_to_json_has_the_contract_keys() -> None:
    [found] = diagnose("no nodes available")
    assert set(found.to_json()) == {"id", "matched", "where", "cause", "fix", "source"}


def test_docs_carry_the_current_table() -> None:
    from conftest import REPO

    docs = (REPO / "docs" / "provider.md").read_text(encoding="utf-8")
    start = docs.index("<!-- BEGIN diagnosis table")
    body = docs[docs.index("\n", start) + 1 : docs.index("<!-- END diagnosis table -->")]
    assert body == render_markdown(), "regenerate the table in docs/provider.md"


def test_no_nodes_is_not_blamed_on_a_privilege() -> None:
    """GET /nodes lists every node to any authenticated caller (pve-manager Nodes.pm index,
    `user => 'all'`); Sys.Audit only adds the stats. An empty list means a wrong URL."""
    [found] = diagnose("no nodes available")
    assert "Sys.Audit" not in found.fix + found.cause
    assert "/api2/json" in found.fix


def test_additional_disk_is_one_based_and_explained_before_the_primary() -> None:
    text = (
        "failed to pick storage for additional disk 2: failed to pick the disk: no matches for "
        'the condition "name == \\"nvme\\""'
    )
    found = diagnose(text)
    assert [d.id for d in found] == ["storage-additional-disk"]  # the primary entry is shadowed
    assert "additional_disks[1]" in found[0].cause and "scsi2" in found[0].cause
    assert "additional_disks[1].storage_selector" in found[0].fix
    # a primary-disk no-match is still the primary's
    primary = diagnose('failed to pick the disk: no matches for the condition "name == \\"x\\""')
    assert [d.id for d in primary] == ["storage-no-match"]
    ids = [k.id for k in KNOWN_ERRORS]
    assert ids.index("storage-additional-disk") < ids.index("storage-no-match")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('failed to get vms for now "pve1", 500', "node-list-vms-failed"),  # <= v0.1.0
        ('failed to get vms for node "pve1", 500', "node-list-vms-failed"),  # v0.2.0
        ("no online nodes available for provisioning", "node-none-online"),
        ('unknown placement strategy "fastest"', "placement-strategy-unknown"),
        ('proxmox pool "talos" does not exist; create it in Proxmox', "pool-missing"),
        ("failed to list proxmox pools: 403 Forbidden", "pool-list-failed"),
        ("ha config removed from an HA-registered machine; re-add ha:", "ha-config-removed"),
        ('failed to create HA rule "omni-x-naff": 501 Not Implemented', "ha-rule-create-failed"),
        ('failed to add vm:104 to HA rule "keep": 500', "ha-rule-add-failed"),
        ("failed to register HA resource vm:104: 500", "ha-resource-failed"),
        ('failed to get node "pve3", unexpected end of JSON input', "node-get-failed"),
    ],
)
def test_release_specific_strings(text: str, expected: str) -> None:
    assert expected in [d.id for d in diagnose(text)]


def test_pool_fix_names_the_pool() -> None:
    [found] = diagnose('proxmox pool "talos" does not exist; create it in Proxmox')
    assert "pveum pool add talos" in found.fix and "Pool.Audit" in found.fix
