"""What every command gets: the global options, the project, and the output helpers."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import click

from omni_scale.cli.globals import GlobalOptions
from omni_scale.project import Project, resolve_project_dir

if TYPE_CHECKING:
    from rich.console import Console

    from omni_scale.adapters.omnictl.run import Omnictl


@dataclass
class AppContext:
    options: GlobalOptions = field(default_factory=GlobalOptions)
    # set by `--yes` on commands that may install omnictl on first use
    assume_yes: bool = False

    @property
    def json(self) -> bool:
        return self.options.json

    @property
    def verbose(self) -> bool:
        return self.options.verbose

    @cached_property
    def project(self) -> Project:
        from omni_scale.fs.guard import set_project_root

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
        return not self.json and _isatty(sys.stdin) and _isatty(sys.stdout)

    def emit(self, data: Any, render: Callable[[Console], None] | None = None) -> None:
        """Print exactly one JSON document (--json), else the rich rendering."""
        if self.json:
            print_json(data)
        elif render is not None:
            render(self.console)
        else:
            self.console.print_json(json.dumps(data, default=str))

    def echo(self, text: str, **style: Any) -> None:
        """One line on stdout, styled (click.style) when colours are on; click drops the
        styles when stdout is not a terminal. For output where rich adds nothing but its
        import time."""
        click.echo(click.style(text, **style) if style and self.options.color else text)

    def note(self, message: str) -> None:
        """A progress or informational line for people (stderr, so --json stays clean)."""
        if not self.json:
            click.echo(_clean(message), err=True)

    def warn(self, message: str) -> None:
        click.echo(f"omni-scale: warning: {_clean(message)}", err=True)

    def confirm(self, question: str) -> bool:
        """Ask yes/no on the terminal (stderr), yes by default; only when `interactive`."""
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


def _clean(text: str) -> str:
    from omni_scale.cli.terminal import clean_line

    return clean_line(text)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed or replaced streams
        return False


_json_documents = 0
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def print_json(data: Any) -> None:
    """Write one JSON document to stdout (the only way --json output should be printed)."""
    global _json_documents
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    ascii_only = encoding not in ("utf8", "utf8sig")  # e.g. a latin-1 terminal: \u escapes
    from omni_scale.redact import redact

    text = json.dumps(data, indent=2, default=str, ensure_ascii=ascii_only)
    if not ascii_only:  # DEL, C1 controls (an 8-bit CSI) and bidi overrides as \u escapes
        text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    sys.stdout.write(redact(text) + "\n")
    sys.stdout.flush()
    _json_documents += 1


def json_documents_printed() -> int:
    """How many JSON documents this run printed (so an error adds none after a result)."""
    return _json_documents


def reset_json_count() -> None:
    global _json_documents
    _json_documents = 0


def get_app(ctx: click.Context | None = None) -> AppContext:
    """The AppContext of the running command."""
    context = ctx or click.get_current_context()
    app = context.find_object(AppContext)
    if app is None:  # a command invoked on its own (tests of a single command)
        app = AppContext()
        context.obj = app
    return app


pass_app = click.make_pass_decorator(AppContext, ensure=True)


def _set_assume_yes(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        get_app(ctx).assume_yes = True


yes_option = click.option(
    "--yes",
    is_flag=True,
    expose_value=False,
    callback=_set_assume_yes,
    help="Install omnictl on first use without asking (needed when not on a terminal).",
)
