"""What every command gets: the global options, the project, and the output helpers."""

from __future__ import annotations

import json
import sys
from functools import cached_property

from omni_scale.cli import output
from omni_scale.cli.globals import GlobalOptions
from omni_scale.cli.output import clean_line, isatty, print_json

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~1x a bare start
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from rich.console import Console

    from omni_scale.adapters.omnictl.run import Omnictl
    from omni_scale.project import Project


class AppContext:
    """The run's options, its project (resolved on first use) and the output helpers. A
    plain class without click (`cli.fast` answers some commands without importing it)."""

    def __init__(self, options: GlobalOptions | None = None) -> None:
        self.options = options if options is not None else GlobalOptions()
        # set by `--yes` on commands that may install omnictl on first use
        self.assume_yes = False

    @property
    def json(self) -> bool:
        return self.options.json

    @property
    def verbose(self) -> bool:
        return self.options.verbose

    @cached_property
    def project(self) -> Project:
        from omni_scale.fs.root import set_project_root
        from omni_scale.project import Project, resolve_project_dir

        project = Project(resolve_project_dir(self.options.project_dir))
        set_project_root(project.root)  # writes never follow a link out of it (fs.guard)
        return project

    @cached_property
    def console(self) -> Console:
        """Rich console on stdout for the human rendering (imported only when used)."""
        from omni_scale.cli.terminal import SafeConsole

        return SafeConsole(
            color_system="auto" if self.options.color else None,
            highlight=False,
            soft_wrap=False,
        )

    @cached_property
    def err_console(self) -> Console:
        from omni_scale.cli.terminal import SafeConsole

        return SafeConsole(
            stderr=True, color_system="auto" if self.options.color else None, highlight=False
        )

    @property
    def interactive(self) -> bool:
        """Prompts are allowed only on a terminal, and never in --json mode."""
        return not self.json and isatty(sys.stdin) and isatty(sys.stdout)

    def emit(self, data: Any, render: Callable[[Console], None] | None = None) -> None:
        """Print exactly one JSON document (--json), else the rich rendering."""
        if self.json:
            print_json(data)
        elif render is not None:
            render(self.console)
        else:
            self.console.print_json(json.dumps(data, default=str))

    def echo(self, text: str, **style: Any) -> None:
        """One line on stdout, styled when colours are on and stdout is a terminal. For output
        where rich adds nothing but its import time."""
        output.echo(text, color=self.options.color, **style)

    def note(self, message: str) -> None:
        """A progress or informational line for people (stderr, so --json stays clean)."""
        if not self.json:
            output.echo(clean_line(message), color=False, err=True)

    def warn(self, message: str) -> None:
        output.echo(f"omni-scale: warning: {clean_line(message)}", color=False, err=True)

    def confirm(self, question: str) -> bool:
        """Ask yes/no on the terminal (stderr), yes by default; only when `interactive`."""
        import click

        return bool(click.confirm(question, default=True, err=True))

    def omnictl(self) -> Omnictl:
        """The project's omnictl, installed on first use as this run allows (prompt, --yes)."""
        from omni_scale.services.omnictl_ensure import ensure_client

        return ensure_client(
            self.project,
            interactive=self.interactive,
            note=self.note,
            assume_yes=self.assume_yes,
            confirm=self.confirm,
        )
