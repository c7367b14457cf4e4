"""Entry point: global options, lazy command groups, and the error/exit-code contract.

Command modules are imported only when their command runs, so `omni-scale --version` and
`--help` stay close to a bare interpreter start (see bench/startup.py).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~10 ms at every start
if TYPE_CHECKING:
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
    ("mcp", "omni_scale.cli.commands.mcp", "Serve the read-only tools over stdio (MCP)."),
)


def _version() -> str:
    from omni_scale import __version__

    return __version__


def _build_cli() -> Any:
    import click

    from omni_scale.cli.app import AppContext
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
        type=click.Path(file_okay=False),
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


def _standard_streams() -> None:
    """Closed stdin/stdout/stderr (`omni-scale ... >&-`): Python set sys.stdout to None, and
    the next file we open would get descriptor 1, so a print would land in it. Reopen each
    closed one on the null device, first, so output is dropped and files stay files."""
    import os

    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDONLY if mode == "r" else os.O_WRONLY)
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)
        if getattr(sys, name) is None:
            setattr(sys, name, open(fd, mode, closefd=False))  # noqa: SIM115


def main(argv: list[str] | None = None) -> int:
    _standard_streams()
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:  # fast path: no click, no rich
        sys.stdout.write(f"omni-scale, version {_version()}\n")
        return 0
    from omni_scale.cli.help_page import help_page

    page = help_page(args)  # `PATH --help` of a known command: pre-rendered, no click
    if page is not None:
        try:
            sys.stdout.write(page)
            sys.stdout.flush()
        except BrokenPipeError:
            return _reader_gone()
        return 0

    from omni_scale.cli.globals import extract

    options = extract(args)
    if options.no_color:  # child programs (omnictl, docker) and rich see it too
        import os

        os.environ["NO_COLOR"] = "1"
    if options.rest == ["--version"] and options.json:
        from omni_scale.cli.output import print_json

        print_json({"name": "omni-scale", "version": _version()})
        return 0
    try:
        return _run(options)
    except KeyboardInterrupt:  # Ctrl-C outside a command (while importing, say)
        sys.stderr.write("omni-scale: error: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return _reader_gone()


def _reader_gone() -> int:
    """The reader went away (`omni-scale ... | head`): no second error at interpreter exit."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


EXIT_BROKEN_PIPE = 1
EXIT_INTERRUPTED = 130


OS_ERROR_HINT = "check that the project directory is writable and the disk is not full"


def _os_error_line(exc: OSError) -> str:
    """`Is a directory: clusters/x.yaml`: what the system said, and about which path."""
    import os

    detail = exc.strerror or type(exc).__name__
    paths = [p for p in (exc.filename, exc.filename2) if p is not None]
    where = " -> ".join(os.fsdecode(p) for p in paths)
    return f"{detail}: {where}" if where else detail


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _prepare_run() -> None:
    """A fresh start for this invocation (main() may run several times in one process: the
    tests, the MCP server)."""
    from omni_scale.cli import output
    from omni_scale.redact import forget_secrets

    output.reset_json_count()
    root = sys.modules.get("omni_scale.fs.root")  # not loaded yet: nothing to reset
    if root is not None:
        root.set_project_root(None)  # set again when this run resolves its project
    forget_secrets()
    for stream in (sys.stdout, sys.stderr):  # an ASCII/latin-1 terminal: escape, don't crash
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and stream.errors == "strict":
            reconfigure(errors="backslashreplace")


def _fail(options: Any, message: str, hint: str | None, code: int, error: Any | None = None) -> int:
    """The one error line on stderr (and, with --json, one error document if none was
    printed yet); `code` is the exit code."""
    from omni_scale.cli.output import clean_line, json_documents_printed, print_json

    if options.json and json_documents_printed() == 0:
        payload = (
            error.to_json()
            if error
            else {"message": _one_line(message), "hint": hint, "exit_code": code}
        )
        print_json({"ok": False, "error": payload})
    line = error.one_line() if error else _one_line(message) + (f" (hint: {hint})" if hint else "")
    sys.stderr.write(f"omni-scale: error: {clean_line(line)}\n")
    sys.stderr.flush()
    return code


def _run(options: Any) -> int:
    """Run the command: answered without click when `cli.fast` knows its shape, else by
    click. Every failure becomes one line (and its exit code) here."""
    from omni_scale.cli.fast import answer
    from omni_scale.errors import EXIT_ENVIRONMENT, EXIT_PROBLEMS, OmniScaleError

    _prepare_run()
    try:
        code = answer(options)
        return _run_click(options) if code is None else code
    except OmniScaleError as exc:
        if options.verbose:
            import traceback

            traceback.print_exc()
        return _fail(options, exc.message, exc.hint, exc.exit_code, exc)
    except KeyboardInterrupt:
        return _fail(options, "interrupted", None, EXIT_INTERRUPTED)
    except BrokenPipeError:
        raise
    except OSError as exc:  # the file system said no (full, read-only, a folder in the way)
        if options.verbose:
            import traceback

            traceback.print_exc()
        return _fail(options, _os_error_line(exc), OS_ERROR_HINT, EXIT_ENVIRONMENT)
    except Exception as exc:  # a bug: still one line, unless -v
        if options.verbose:
            import traceback

            traceback.print_exc()
        return _fail(
            options,
            f"internal error: {type(exc).__name__}: {exc}",
            "re-run with -v for the traceback and report it",
            EXIT_PROBLEMS,
        )


def _run_click(options: Any) -> int:
    """The command line parsed by click; its usage errors become our one line (exit 2)."""
    import click

    from omni_scale.cli.app import AppContext
    from omni_scale.errors import EXIT_USAGE

    try:
        cli = _build_cli()
        result = cli.main(
            options.rest, prog_name="omni-scale", standalone_mode=False, obj=AppContext(options)
        )
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:  # click's form of Ctrl-C (or EOF at a prompt)
        return _fail(options, "interrupted", None, EXIT_INTERRUPTED)
    except click.exceptions.NoArgsIsHelpError as exc:
        # A group run without its subcommand: the help text, then exit 2 (as click does).
        if options.json:
            return _fail(
                options,
                "missing command",
                f"see {exc.ctx.command_path if exc.ctx else 'omni-scale'} --help",
                EXIT_USAGE,
            )
        click.echo(exc.format_message(), err=True)
        return EXIT_USAGE
    except click.ClickException as exc:
        hint = None
        if isinstance(exc, click.UsageError):
            hint = f"see {exc.ctx.command_path if exc.ctx else 'omni-scale'} --help"
        return _fail(
            options,
            exc.format_message(),
            hint,
            EXIT_USAGE if exc.exit_code == 2 else exc.exit_code,
        )
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    raise SystemExit(main())
