"""services.cluster_template: lint first, omnictl validate offline, sync/diff refused on lint
errors, omnictl's sync lines read as actions (fake omnictl on PATH)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLES
from fakes.fixtures_omnictl import FakeOmnictl
from lint.ct_helpers import HEAD
from omni_scale.errors import InputError
from omni_scale.project import Project
from omni_scale.services.cluster_template import (
    Prompts,
    diff,
    sync,
    sync_actions,
    template_path,
    validate,
)

TEMPLATE = HEAD  # a valid one-control-plane template


def _write(project: Path, text: str = TEMPLATE) -> Path:
    clusters = project / "clusters"
    clusters.mkdir(exist_ok=True)
    path = clusters / "talos.yaml"
    path.write_text(text)
    return path


def _prompts(warnings: list[str] | None = None) -> Prompts:
    return Prompts(note=lambda _: None, warn=(warnings if warnings is not None else []).append)


def test_template_path_falls_back_to_the_project_root(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert template_path(Project(project), Path("clusters/talos.yaml")) == path.resolve()
    with pytest.raises(InputError) as info:
        template_path(Project(project), Path("clusters/nope.yaml"))
    assert info.value.hint == "give a template file, e.g. clusters/<name>.yaml"


def test_validate_asks_omnictl(project: Path, fake_omnictl: FakeOmnictl) -> None:
    result = validate(Project(project), _write(project), _prompts())
    assert result.ok and result.report.errors == 0
    assert result.omnictl["available"] is True and result.omnictl["ok"] is True
    assert [c["argv"][:3] for c in fake_omnictl.calls()][-1] == ["cluster", "template", "validate"]


def test_validate_carries_omnictls_verdict(project: Path, fake_omnictl: FakeOmnictl) -> None:
    fake_omnictl.respond(
        ["cluster", "template", "validate"],
        stderr='Error: 1 error occurred:\n\t* error validating cluster "talos": bad\n\n\n',
        exit=1,
    )
    result = validate(Project(project), _write(project), _prompts())
    assert not result.ok and result.omnictl["ok"] is False
    assert "bad" in result.omnictl["output"]


def test_validate_without_omnictl_and_without_prompts_is_lint_only(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = validate(Project(project), _write(project), _prompts())
    assert result.omnictl == {"available": False, "ok": None, "output": None}


def test_not_a_template_is_refused(project: Path, fake_omnictl: FakeOmnictl) -> None:
    with pytest.raises(InputError) as info:
        validate(Project(project), _write(project, "kind: Other\n"), _prompts())
    assert "not a cluster template" in info.value.message


def test_sync_and_diff_refused_on_lint_errors(project: Path, fake_omnictl: FakeOmnictl) -> None:
    text = (SAMPLES / "templates" / "ct-07-basher83-skill-unnamed-workers.yaml").read_text()
    path = _write(project, text)
    for outcome in (
        sync(Project(project), path, _prompts(), dry_run=False),
        diff(Project(project), path, _prompts()),
    ):
        assert outcome.refused and outcome.report.errors > 0 and outcome.actions == []
    assert all(c["argv"] == ["--version"] for c in fake_omnictl.calls())


def test_sync_reads_the_actions(project: Path, fake_omnictl: FakeOmnictl) -> None:
    path = _write(project)
    outcome = sync(Project(project), path, _prompts(), dry_run=True)
    assert not outcome.refused
    assert outcome.actions[0] == {
        "action": "creating",
        "type": "Clusters.omni.sidero.dev",
        "id": "talos",
    }
    assert fake_omnictl.resources("Clusters.omni.sidero.dev") == []  # a dry run
    (call,) = [c for c in fake_omnictl.calls() if c["argv"][:3] == ["cluster", "template", "sync"]]
    assert call["cwd"] == str(path.parent) and "--dry-run" in call["argv"]


def test_sync_actions_drop_colour_and_read_teardown() -> None:
    stdout = (
        "\x1b[32m* creating (dry run) Clusters.omni.sidero.dev(a)\x1b[0m\n"
        "* tearing down MachineSets.omni.sidero.dev(a-workers)\n"
        "* destroyed MachineSets.omni.sidero.dev(a-workers)\n"
        "some other line\n"
    )
    assert [(a["action"], a["id"]) for a in sync_actions(stdout)] == [
        ("creating", "a"),
        ("tearing down", "a-workers"),
        ("destroyed", "a-workers"),
    ]
