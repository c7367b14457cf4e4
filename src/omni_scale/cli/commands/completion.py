"""`omni-scale completion bash|zsh|fish`: print the shell completion script."""

from __future__ import annotations

import click

from omni_scale.cli.context import AppContext, pass_app

COMPLETE_VAR = "_OMNI_SCALE_COMPLETE"
INSTALL = {
    "bash": 'eval "$(omni-scale completion bash)"  # in ~/.bashrc',
    "zsh": 'eval "$(omni-scale completion zsh)"  # in ~/.zshrc, after compinit',
    "fish": "omni-scale completion fish > ~/.config/fish/completions/omni-scale.fish",
}


@click.command("completion")
@click.argument("shell", type=click.Choice(sorted(INSTALL)))
@pass_app
def command(app: AppContext, shell: str) -> None:
    """Print the completion script for SHELL.

    \b
    bash:  eval "$(omni-scale completion bash)"     (add to ~/.bashrc)
    zsh:   eval "$(omni-scale completion zsh)"      (add to ~/.zshrc)
    fish:  omni-scale completion fish > ~/.config/fish/completions/omni-scale.fish

    With --json: {"shell", "script", "install"}.
    """
    from click.shell_completion import get_completion_class

    from omni_scale.cli.context import print_json
    from omni_scale.cli.main import _build_cli

    cls = get_completion_class(shell)
    assert cls is not None
    script = cls(_build_cli(), {}, "omni-scale", COMPLETE_VAR).source()
    if app.json:
        print_json({"shell": shell, "script": script, "install": INSTALL[shell]})
    else:
        click.echo(script)
