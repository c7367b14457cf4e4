"""Lint output: text for people, JSON (design.md shape), GitHub workflow annotations, SARIF."""

from __future__ import annotations

from typing import Any

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


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def as_sarif(
    report: LintReport, *, relative_to: str | None = None, version: str = "0"
) -> dict[str, Any]:
    """A SARIF 2.1.0 log (one run) for code scanning, e.g. github/codeql-action/upload-sarif.

    Paths under `relative_to` are relative URIs against the `%SRCROOT%` base id (what code
    scanning maps to the repository); regions are 1-based line/column as in the text output.
    """
    from omni_scale.lint.rule import all_rules

    used = sorted({p.rule for p in report.problems})
    known = {r.id: r for r in all_rules()}
    rules = []
    for rule_id in used:
        rule = known.get(rule_id)
        summary = rule.doc.splitlines()[0] if rule is not None and rule.doc else rule_id
        level = "error" if rule is None or str(rule.severity) == "error" else "warning"
        rules.append(
            {
                "id": rule_id,
                "name": rule_id,
                "shortDescription": {"text": summary},
                "defaultConfiguration": {"level": level},
            }
        )
    index = {rule_id: n for n, rule_id in enumerate(used)}
    results = []
    for p in report.problems:
        rel = _rel(p.path, relative_to)
        location: dict[str, Any] = {"uri": _uri(rel)}
        if rel != p.path or not rel.startswith("/"):
            location["uriBaseId"] = "%SRCROOT%"
        text = p.message + (f" (hint: {p.hint})" if p.hint else "")
        results.append(
            {
                "ruleId": p.rule,
                "ruleIndex": index[p.rule],
                "level": "error" if p.severity == "error" else "warning",
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": location,
                            "region": {
                                "startLine": max(1, p.line),
                                "startColumn": max(1, p.column),
                            },
                        }
                    }
                ],
            }
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "omni-scale",
                "version": version,
                "informationUri": "https://github.com/basher83/omni-scale",
                "rules": rules,
            }
        },
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    if relative_to:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": _uri(relative_to.rstrip("/") + "/")}}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _uri(path: str) -> str:
    """A path as a URI reference (percent-encoded; absolute paths as file:// URIs)."""
    from urllib.parse import quote

    if path.startswith("/"):
        return "file://" + quote(path)
    return quote(path)


def _rel(path: str, base: str | None) -> str:
    if base and path.startswith(base.rstrip("/") + "/"):
        return path[len(base.rstrip("/")) + 1 :]
    return path
