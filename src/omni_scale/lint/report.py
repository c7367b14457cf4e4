"""Lint output: text for people, JSON (design.md shape), GitHub workflow annotations."""

from __future__ import annotations

from omni_scale.lint.engine import LintReport


def as_text(report: LintReport, *, relative_to: str | None = None) -> str:
    lines: list[str] = []
    for p in report.problems:
        lines.append(
            f"{_rel(p.path, relative_to)}:{p.line}:{p.column}: {p.severity} [{p.rule}] {p.message}"
        )
        if p.hint:
            lines.append(f"    hint: {p.hint}")
    files = len(report.files)
    if report.problems:
        lines.append(f"{report.errors} error(s), {report.warnings} warning(s) in {files} file(s)")
    else:
        lines.append(f"no problems in {files} file(s)")
    return "\n".join(lines)


def _escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def as_github(report: LintReport, *, relative_to: str | None = None) -> str:
    """`::error file=…,line=…,col=…,title=…::message` lines for GitHub Actions."""
    lines = []
    for p in report.problems:
        level = "error" if p.severity == "error" else "warning"
        message = p.message + (f" (hint: {p.hint})" if p.hint else "")
        lines.append(
            f"::{level} file={_escape(_rel(p.path, relative_to), prop=True)},line={p.line},"
            f"col={p.column},title={_escape('omni-scale ' + p.rule, prop=True)}::{_escape(message)}"
        )
    return "\n".join(lines)


def _rel(path: str, base: str | None) -> str:
    if base and path.startswith(base.rstrip("/") + "/"):
        return path[len(base.rstrip("/")) + 1 :]
    return path
