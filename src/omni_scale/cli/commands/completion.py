"""`omni-scale completion bash|zsh|fish [--install]`: shell completion."""

from __future__ import annotations

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
    from omni_scale.services.shell_completion import class_ids

    project = complete_project(ctx)
    return class_ids(project, incomplete) if project is not None else []


def complete_provider(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Provider ids of the project's docker/compose.yaml."""
    from omni_scale.services.shell_completion import provider_ids

    project = complete_project(ctx)
    return provider_ids(project, incomplete) if project is not None else []


def complete_cluster(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Cluster names of the project's templates (no Omni call while completing)."""
    from omni_scale.services.shell_completion import cluster_names

    project = complete_project(ctx)
    return cluster_names(project, incomplete) if project is not None else []


def completion_script(shell: str) -> str:
    from click.shell_completion import get_completion_class

    from omni_scale.cli.main import _build_cli

    cls = get_completion_class(shell)
    assert cls is not None
    return str(cls(_build_cli(), {}, "omni-scale", COMPLETE_VAR).source())


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
    from omni_scale.services.shell_completion import install

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
