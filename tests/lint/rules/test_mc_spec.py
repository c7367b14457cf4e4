"""mc-spec-keys, mc-allocation, mc-providerid-empty, mc-spec-values."""

from __future__ import annotations

from pathlib import Path

from lint.mc_helpers import GOOD, by_rule, lint, machine_class, write
from omni_scale.lint.problem import Problem, Severity


def test_camel_case_keys_are_dropped(tmp_path: Path) -> None:
    text = machine_class(GOOD).replace("autoprovision:", "autoProvision:")
    report = lint(None, write(tmp_path / "mc.yaml", text))
    [problem] = by_rule(report, "mc-spec-keys")
    assert problem.severity is Severity.ERROR and problem.line == 6
    assert "silently dropped" in problem.message and "'autoprovision'" in problem.hint
    # and the class then has neither autoprovision nor matchlabels
    assert by_rule(report, "mc-allocation")


def test_provider_id_camel_case(tmp_path: Path) -> None:
    text = machine_class(GOOD).replace("providerid:", "providerId:")
    report = lint(None, write(tmp_path / "mc.yaml", text))
    [keys] = by_rule(report, "mc-spec-keys")
    assert "providerId" in keys.message and (keys.line, keys.column) == (7, 5)
    [empty] = by_rule(report, "mc-providerid-empty")
    assert empty.message == "providerID can not be empty"


def test_unknown_spec_key_is_a_warning(tmp_path: Path) -> None:
    text = machine_class(GOOD).replace("spec:\n", "spec:\n  icon: gpu\n")
    [problem] = by_rule(lint(None, write(tmp_path / "mc.yaml", text)), "mc-spec-keys")
    assert problem.severity is Severity.WARNING


def test_both_autoprovision_and_matchlabels(tmp_path: Path) -> None:
    text = machine_class(GOOD).replace(
        "spec:\n", 'spec:\n  matchlabels: ["omni.sidero.dev/arch = amd64"]\n'
    )
    [problem] = by_rule(lint(None, write(tmp_path / "mc.yaml", text)), "mc-allocation")
    assert problem.message == "can't set both auto provision and match labels at the same time"
    assert problem.line == 6


def test_empty_matchlabels_is_unset(tmp_path: Path) -> None:
    text = machine_class(GOOD).replace("spec:\n", "spec:\n  matchlabels: []\n")
    assert lint(None, write(tmp_path / "mc.yaml", text)).problems == []


def test_neither(tmp_path: Path) -> None:
    text = (
        "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n"
        "  id: w\nspec:\n  matchlabels: []\n"
    )
    [problem] = by_rule(lint(None, write(tmp_path / "mc.yaml", text)), "mc-allocation")
    assert "either have auto provision or match labels" in problem.message


def test_empty_providerid(tmp_path: Path) -> None:
    text = machine_class(GOOD).replace("providerid: proxmox", 'providerid: ""')
    [problem] = by_rule(lint(None, write(tmp_path / "mc.yaml", text)), "mc-providerid-empty")
    assert problem.line == 7 and "proxmox" in (problem.hint or "")


def test_wrong_value_types(tmp_path: Path) -> None:
    text = machine_class(GOOD).replace(
        "    providerid: proxmox\n",
        "    providerid: proxmox\n    grpctunnel: ENABLED\n    kernelargs: console=ttyS0\n",
    )
    problems = by_rule(lint(None, write(tmp_path / "mc.yaml", text)), "mc-spec-values")
    messages = " | ".join(p.message for p in problems)
    assert "grpctunnel must be 0, 1 or 2" in messages
    assert "kernelargs must be a list of strings" in messages
    assert all(p.message.startswith("failed to unmarshal spec") for p in problems)


def test_providerdata_as_mapping(tmp_path: Path) -> None:
    text = (
        "metadata:\n  namespace: default\n  type: MachineClasses.omni.sidero.dev\n  id: w\n"
        "spec:\n  autoprovision:\n    providerid: proxmox\n    providerdata:\n      cores: 2\n"
    )
    [problem] = by_rule(lint(None, write(tmp_path / "mc.yaml", text)), "mc-spec-values")
    assert "providerdata must be a YAML string, not a mapping" in problem.message
    assert "providerdata: |" in (problem.hint or "")


def test_kernel_arg_limits(tmp_path: Path) -> None:
    args = "[" + ", ".join(f'"a{i}"' for i in range(65)) + "]"
    text = machine_class(GOOD).replace(
        "    providerid: proxmox\n", f"    providerid: proxmox\n    kernelargs: {args}\n"
    )
    [problem] = by_rule(lint(None, write(tmp_path / "mc.yaml", text)), "mc-spec-values")
    assert "too many entries: 65 (max 64)" in problem.message


# --- matchlabels (omni.md §0.14) -----------------------------------------------------------------

MANUAL = """\
metadata:
  namespace: default
  type: MachineClasses.omni.sidero.dev
  id: manual
spec:
  matchlabels:
{labels}"""


def _manual(tmp_path: Path, labels: str) -> list[Problem]:
    path = tmp_path / "manual.yaml"
    path.write_text(MANUAL.format(labels=labels))
    return [p for p in lint(None, path).problems if p.rule == "mc-matchlabels"]


def test_matchlabels_parse_error_in_omnis_words(tmp_path: Path) -> None:
    [problem] = _manual(
        tmp_path, "    - omni.sidero.dev/arch = amd64\n    - omni.sidero.dev/arch in amd64\n"
    )
    assert problem.message == (
        "failed to parse matchLabels: rpc error: code = InvalidArgument desc = unable to parse "
        "term: found 'amd64' expected: '('"
    )
    assert (problem.line, problem.column) == (8, 7)


def test_matchlabels_reserved_label(tmp_path: Path) -> None:
    [problem] = _manual(tmp_path, '    - "!omni.sidero.dev/no-manual-allocation"\n')
    assert problem.message == (
        "selectors using label omni.sidero.dev/no-manual-allocation are not allowed"
    )


def test_matchlabels_valid(tmp_path: Path) -> None:
    assert (
        _manual(tmp_path, "    - omni.sidero.dev/arch in (amd64), omni.sidero.dev/cpus > 2\n") == []
    )
