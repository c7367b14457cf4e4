"""Every omni-scale command line the plugin teaches names a real command and real options.

Scans the slash commands, SKILL.md and the skill's references for inline code that starts with
a CLI command (`provider setup --key-file PATH`, `omni-scale selector check ...`) and resolves it
through the real click command tree, so a renamed command or option breaks this test instead of
the plugin.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import REPO

SOURCES = [
    *sorted((REPO / "commands").glob("*.md")),
    REPO / "skills" / "omni-proxmox" / "SKILL.md",
    *sorted((REPO / "skills" / "omni-proxmox" / "references").glob("*.md")),
]
GLOBAL_OPTIONS = {"--json", "--no-color", "-v", "--verbose", "--project-dir", "--help", "-h"}
# `omnictl <sub>` is also the real omnictl binary; only these are omni-scale's own.
OUR_OMNICTL = {"which", "install"}


def top_level() -> set[str]:
    from omni_scale.cli.main import COMMANDS

    return {name for name, _, _ in COMMANDS}


def invocations() -> list[tuple[str, str]]:
    from omni_scale.core.diagnosis import KNOWN_ERRORS

    # error texts quoted from the known-error table are what the provider prints, not calls
    # (`proxmox pool "talos" does not exist; ...` starts like `omni-scale proxmox`)
    error_texts = {" ".join(k.example.split()) for k in KNOWN_ERRORS}
    names = "|".join(sorted(top_level()))
    span = re.compile(rf"`(?:omni-scale )?((?:{names})(?: [^`]*)?)`")
    found: dict[tuple[str, str], None] = {}
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"(?m)^!`([^`]+)`", text):  # the `!` blocks of slash commands
            _, sep, line = block.partition('"${CLAUDE_PROJECT_DIR}" ')
            assert sep, block
            found[(path.relative_to(REPO).as_posix(), line.removesuffix(" 2>&1 || true"))] = None
        text = re.sub(r"```.*?```", "", text, flags=re.S)  # fenced blocks: examples, not calls
        for match in span.finditer(text):
            line = " ".join(match.group(1).split())
            if line in error_texts:
                continue
            words = line.split()
            if words[0] == "omnictl" and (len(words) < 2 or words[1] not in OUR_OMNICTL):
                continue
            if words[0] == "check" and len(words) > 1 and not words[1].startswith("-"):
                continue  # prose such as `check` the word
            found[(path.relative_to(REPO).as_posix(), line)] = None
    return list(found)


def resolve(words: list[str]) -> tuple[Any, list[str]]:
    import click

    from omni_scale.cli.main import _build_cli

    command: Any = _build_cli()
    ctx = click.Context(command, info_name="omni-scale")
    path: list[str] = []
    for word in words:
        if not isinstance(command, click.Group) or word.startswith("-"):
            break
        sub = command.get_command(ctx, word)
        if sub is None:
            if path and not isinstance(command, click.Group):
                break
            return None, [*path, word]
        command = sub
        path.append(word)
        ctx = click.Context(command, parent=ctx, info_name=word)
    return command, path


def test_finds_the_invocations() -> None:
    assert len(invocations()) >= 30


@pytest.mark.parametrize(("source", "line"), invocations(), ids=lambda v: str(v))
def test_command_and_options_exist(source: str, line: str) -> None:
    import click

    words = line.split()
    command, path = resolve(words)
    assert command is not None, f"{source}: `{line}`: no command `omni-scale {' '.join(path)}`"
    if isinstance(command, click.Group):
        rest = words[len(path) :]
        assert not rest or rest[0].startswith("-"), f"{source}: `{line}`: unknown subcommand"
    known = set(GLOBAL_OPTIONS)
    for param in command.params:
        known.update(param.opts)
        known.update(param.secondary_opts)
    for option in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", line):
        assert option in known, f"{source}: `{line}`: `omni-scale {' '.join(path)}` has no {option}"


HINT_COMMANDS = {
    "provider-setup": "provider setup",
    "provider-status": "provider status",
    "machineclass-create": "machineclass create",
    "machineclass-plan": "machineclass plan",
    "cluster-create": "cluster create",
    "cluster-status": "cluster status",
    "check": "check",
}


@pytest.mark.parametrize(("stem", "cli"), sorted(HINT_COMMANDS.items()))
def test_argument_hint_options_exist(stem: str, cli: str) -> None:
    """The options a slash command's argument-hint offers are options of its CLI command."""
    text = (REPO / "commands" / f"{stem}.md").read_text(encoding="utf-8")
    hint = re.search(r'^argument-hint: "(.*)"$', text, re.M)
    assert hint
    command, path = resolve(cli.split())
    assert command is not None, f"no command `omni-scale {' '.join(path)}`"
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    for option in re.findall(r"--[a-z][\w-]*", hint.group(1)):
        assert option in known, f"{stem}: argument-hint offers {option}, `{cli}` has none"
