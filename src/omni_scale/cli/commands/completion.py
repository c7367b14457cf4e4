"""`omni-scale completion bash|zsh|fish [--install]`: shell completion."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from omni_scale.cli.context import AppContext, pass_app

if TYPE_CHECKING:
    from omni_scale.project import Project

COMPLETE_VAR = "_OMNI_SCALE_COMPLETE"
INSTALL = {
    "bash": 'eval "$(omni-scale completion bash)"  # in ~/.bashrc (or: completion bash --install)',
    "zsh": 'eval "$(omni-scale completion zsh)"  # in ~/.zshrc after compinit (or: --install)',
    "fish": "omni-scale completion fish --install",
}
RC_FILES = {"bash": ".bashrc", "zsh": ".zshrc"}
MARKER = "# omni-scale shell completion"


def complete_project(ctx: click.Context) -> Project | None:
    """The project a command line being completed names (--project-dir, else the usual
    resolution); None when it does not resolve (completion never fails loudly)."""
    from omni_scale.errors import OmniScaleError
    from omni_scale.project import Project, resolve_project_dir

    given = ctx.find_root().params.get("project_dir")
    try:
        return Project(resolve_project_dir(given))
    except (OmniScaleError, OSError):
        return None


def complete_class(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Machine class ids of the project's machine-classes/ files."""
    from omni_scale.lint.document import Kind, read_source

    project = complete_project(ctx)
    if project is None or not project.machine_classes_dir.is_dir():
        return []
    ids: set[str] = set()
    for path in project.machine_classes_dir.rglob("*.y*ml"):
        for doc in read_source(path).documents:
            metadata = doc.data.get("metadata") if doc.kind is Kind.MACHINE_CLASS else None
            if isinstance(metadata, Mapping) and metadata.get("id"):
                ids.add(str(metadata["id"]))
    return sorted(i for i in ids if i.startswith(incomplete))


def complete_provider(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Provider ids of the project's docker/compose.yaml."""
    from omni_scale.errors import OmniScaleError
    from omni_scale.services.project_files import provider_targets

    project = complete_project(ctx)
    if project is None:
        return []
    try:
        ids = [t.provider_id for t in provider_targets(project)]
    except OmniScaleError:
        return []
    return [i for i in ids if i.startswith(incomplete)]


def completion_script(shell: str) -> str:
    from click.shell_completion import get_completion_class

    from omni_scale.cli.main import _build_cli

    cls = get_completion_class(shell)
    assert cls is not None
    return str(cls(_build_cli(), {}, "omni-scale", COMPLETE_VAR).source())


def script_path(shell: str) -> Path:
    """Where --install puts the script (fish autoloads its completions directory)."""
    from omni_scale.project import home as home_dir

    home = home_dir()
    if shell == "fish":
        config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
        return config / "fish" / "completions" / "omni-scale.fish"
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return data / "omni-scale" / f"completion.{shell}"


def install(shell: str, script: str) -> dict[str, object]:
    """Write the script file, and for bash/zsh source it once from the shell's rc file."""
    from omni_scale.fs.atomic import atomic_write

    target = script_path(shell)
    old = target.read_text(encoding="utf-8") if target.exists() else None
    if old != script:
        atomic_write(target, script)
    result: dict[str, object] = {"script_file": str(target), "script_changed": old != script}
    rc_name = RC_FILES.get(shell)
    if rc_name is None:
        result.update(rc_file=None, rc_changed=False)
        return result
    from omni_scale.project import home

    rc = home() / rc_name
    text = rc.read_text(encoding="utf-8") if rc.exists() else ""
    line = f'[ -f "{target}" ] && . "{target}"  {MARKER}'
    changed = MARKER not in text
    if changed:
        prefix = text if not text or text.endswith("\n") else text + "\n"
        atomic_write(rc, prefix + line + "\n")
    result.update(rc_file=str(rc), rc_changed=changed)
    return result


@click.command("completion")
@click.argument("shell", type=click.Choice(sorted(INSTALL)))
@click.option(
    "--install",
    "do_install",
    is_flag=True,
    help="Save the script and load it from your shell's startup file (once).",
)
@pass_app
def command(app: AppContext, shell: str, do_install: bool) -> None:
    """Print (or --install) the completion script for SHELL.

    \b
    bash:  eval "$(omni-scale completion bash)"     (add to ~/.bashrc)
    zsh:   eval "$(omni-scale completion zsh)"      (add to ~/.zshrc)
    fish:  omni-scale completion fish > ~/.config/fish/completions/omni-scale.fish
    any:   omni-scale completion SHELL --install    (then open a new shell)

    --install writes the script under ~/.local/share/omni-scale/ (fish: its completions
    directory) and adds one line to ~/.bashrc or ~/.zshrc that loads it; re-running changes
    nothing. With --json: {"shell", "script", "install"}, or with --install {"shell",
    "script_file", "script_changed", "rc_file", "rc_changed"}.
    """
    from omni_scale.cli.output import print_json

    script = completion_script(shell)
    if do_install:
        outcome = {"shell": shell, **install(shell, script)}
        if app.json:
            print_json(outcome)
            return
        click.echo(f"completion script: {outcome['script_file']}")
        if outcome["rc_file"]:
            state = "loads it now" if outcome["rc_changed"] else "already loads it"
            click.echo(f"{outcome['rc_file']} {state}")
        click.echo("open a new shell to use it")
        return
    if app.json:
        print_json({"shell": shell, "script": script, "install": INSTALL[shell]})
    else:
        click.echo(script)
