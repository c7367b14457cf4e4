"""`machineclass apply`: lint first, then `omnictl apply -f` through the fake omnictl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakes.fixtures_omnictl import FakeOmnictl
from lint.ct_helpers import add_classes

SCHEMA_ERROR = (
    "Error: failed to apply resources from file \"{f}\": failed to create resource 'worker' "
    "'MachineClasses.omni.sidero.dev': rpc error: code = InvalidArgument desc = failed to "
    'validate: 1 error occurred:\n\t* config value ".storage_selector": is required\n\n'
)


def applied(fake: FakeOmnictl) -> list[list[str]]:
    return [c["argv"] for c in fake.calls() if c["argv"][0] == "apply"]


def test_apply_named_classes(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    add_classes(project, auto=("cp", "worker"))
    result = cli("machineclass", "apply", "worker", "--project-dir", project, "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert [c["id"] for c in data["classes"]] == ["worker"] and data["classes"][0]["applied"]
    assert applied(fake_omnictl) == [
        ["apply", "-f", str(project / "machine-classes" / "worker.yaml")]
    ]
    assert [r["metadata"]["id"] for r in fake_omnictl.resources()] == ["worker"]


def test_apply_all_dry_run(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    add_classes(project, auto=("cp", "worker"))
    result = cli("machineclass", "apply", "--all", "--dry-run", "--project-dir", project)
    assert result.code == 0, result.err
    assert "Creating resource 'cp'" in result.out and "Creating resource 'worker'" in result.out
    assert "Omni validates providerdata on apply" in result.out
    assert all("--dry-run" in argv for argv in applied(fake_omnictl))
    assert fake_omnictl.resources() == []


def test_lint_errors_stop_before_omnictl(
    cli: Any, project: Path, fake_omnictl: FakeOmnictl
) -> None:
    add_classes(project, auto=("worker",))
    legacy = project / "machine-classes" / "old.yaml"
    legacy.write_text(
        "apiVersion: infrastructure.omni.siderolabs.io/v1alpha1\nkind: MachineClass\n"
        "metadata:\n  name: old\nspec:\n  type: auto-provision\n"
    )
    result = cli("machineclass", "apply", "--all", "--project-dir", project)
    assert result.code == 1
    assert "not applying" in result.out and "mc-legacy-format" in result.out
    assert fake_omnictl.calls() == []


def test_rejection_is_explained(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    add_classes(project, auto=("worker",))
    path = project / "machine-classes" / "worker.yaml"
    fake_omnictl.respond(["apply"], stderr=SCHEMA_ERROR.format(f=path), exit=1)
    result = cli("machineclass", "apply", "worker", "--project-dir", project, "--json")
    assert result.code == 2
    (entry,) = result.json()["classes"]
    assert 'config value ".storage_selector": is required' in entry["error"]
    assert entry["cause"] and entry["fix"]


def test_unreachable_omni_exits_3(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    add_classes(project, auto=("worker",))
    fake_omnictl.set_backend(unreachable="no-such-host")
    result = cli("machineclass", "apply", "worker", "--project-dir", project)
    assert result.code == 3 and "cannot reach Omni" in result.err


def test_unknown_name_and_no_names(cli: Any, project: Path, fake_omnictl: FakeOmnictl) -> None:
    add_classes(project, auto=("worker",))
    result = cli("machineclass", "apply", "wrker", "--project-dir", project)
    assert result.code == 2 and "known classes: worker" in result.err
    assert cli("machineclass", "apply", "--project-dir", project).code == 2
    assert fake_omnictl.calls() == []
