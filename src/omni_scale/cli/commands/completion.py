"""`omni-scale completion bash|zsh|fish`: print the shell completion script."""

from __future__ import annotations

import click


@click.command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def command(shell: str) -> None:
    """Print the completion script for SHELL.

    \b
    bash:  eval "$(omni-scale completion bash)"     (add to ~/.bashrc)
    zsh:   eval "$(omni-scale completion zsh)"      (add to ~/.zshrc)
    fish:  omni-scale completion fish > ~/.config/fish/completions/omni-scale.fish
    """
    from click.shell_completion import get_completion_class

    from omni_scale.cli.main import _build_cli

    cls = get_completion_class(shell)
    assert cls is not None
    comp = cls(_build_cli(), {}, "omni-scale", "_OMNI_SCALE_COMPLETE")
    click.echo(comp.source())
