"""Entry point: global options, lazy command groups, and the error/exit-code contract.

Command modules are imported only when their command runs, so `omni-scale --version` and
`--help` stay close to a bare interpreter start (see bench/startup.py).
"""

from __future__ import annotations

import sys
from typing import Any

# (name, module, short help). The short help is here so `--help` needs no command import.
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("check", "omni_scale.cli.commands.check", "Lint everything, then plan every machine class."),
    ("lint", "omni_scale.cli.commands.lint", "Lint machine classes, templates, provider files."),
    ("selector", "omni_scale.cli.commands.selector", "Try CEL storage selectors."),
    ("machineclass", "omni_scale.cli.commands.machineclass", "Create, list, plan, apply classes."),
    ("cluster", "omni_scale.cli.commands.cluster", "Cluster templates and cluster status."),
    ("provider", "omni_scale.cli.commands.provider", "Set up, run and watch the provider."),
    ("proxmox", "omni_scale.cli.commands.proxmox", "Check Proxmox credentials, take snapshots."),
    ("omnictl", "omni_scale.cli.commands.omnictl", "Find or install a matching omnictl."),
    ("doctor", "omni_scale.cli.commands.doctor", "Check tools, files and settings."),
    ("state", "omni_scale.cli.commands.state", "Show or change the project state file."),
    ("completion", "omni_scale.cli.commands.completion", "Print a shell completion script."),
)


def _version() -> str:
    from omni_scale import __version__

    return __version__


def _build_cli() -> Any:
    import click

    from omni_scale.cli.context import AppContext
    from omni_scale.cli.lazy import LazyGroup

    @click.group(
        cls=LazyGroup,
        lazy=COMMANDS,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
        epilog="Exit codes: 0 ok; 1 problems found or unhealthy; 2 bad usage or bad input; "
        "3 environment (a tool missing, an endpoint unreachable, credentials refused).",
    )
    @click.version_option(_version(), "--version", prog_name="omni-scale")
    @click.option(
        "--project-dir",
        metavar="DIR",
        help="The infra project (default: "
        "$CLAUDE_PROJECT_DIR, else the git root, else the current directory).",
    )
    @click.option("--json", "json_", is_flag=True, help="Print one JSON document on stdout.")
    @click.option("--no-color", is_flag=True, help="No colours (also: NO_COLOR=1).")
    @click.option("-v", "--verbose", is_flag=True, help="More detail; tracebacks on errors.")
    @click.pass_context
    def cli(ctx: click.Context, /, **_: Any) -> None:
        """Manage Sidero Omni's Proxmox provider, machine classes and cluster templates.

        Global options may come before or after the command.
        """
        ctx.ensure_object(AppContext)

    return cli


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:  # fast path: no click, no rich
        sys.stdout.write(f"omni-scale, version {_version()}\n")
        return 0

    from omni_scale.cli.globals import extract

    options = extract(args)
    return _run(options)


def _run(options: Any) -> int:
    import click

    from omni_scale.cli.context import AppContext, print_json
    from omni_scale.errors import EXIT_PROBLEMS, EXIT_USAGE, OmniScaleError

    cli = _build_cli()
    app = AppContext(options)

    def fail(message: str, hint: str | None, code: int, error: OmniScaleError | None = None) -> int:
        if options.json:
            payload = (
                error.to_json() if error else {"message": message, "hint": hint, "exit_code": code}
            )
            print_json({"ok": False, "error": payload})
        line = error.one_line() if error else message + (f" (hint: {hint})" if hint else "")
        click.echo(f"omni-scale: error: {line}", err=True)
        return code

    try:
        result = cli.main(options.rest, prog_name="omni-scale", standalone_mode=False, obj=app)
    except OmniScaleError as exc:
        if options.verbose:
            import traceback

            traceback.print_exc()
        return fail(exc.message, exc.hint, exc.exit_code, exc)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        return fail("aborted", None, 130)
    except click.ClickException as exc:
        hint = "see omni-scale --help" if isinstance(exc, click.UsageError) else None
        if isinstance(exc, click.UsageError) and exc.ctx is not None:
            hint = f"see {exc.ctx.command_path} --help"
        return fail(exc.format_message(), hint, EXIT_USAGE if exc.exit_code == 2 else exc.exit_code)
    except KeyboardInterrupt:
        return fail("interrupted", None, 130)
    except BrokenPipeError:
        return EXIT_PROBLEMS
    except Exception as exc:  # a bug: still one line, unless -v
        if options.verbose:
            import traceback

            traceback.print_exc()
        return fail(
            f"internal error: {type(exc).__name__}: {exc}",
            "re-run with -v for the traceback and report it",
            EXIT_PROBLEMS,
        )
    if isinstance(result, int):
        return result
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
