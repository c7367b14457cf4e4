"""A fix hint for each classic selector mistake (google/cel-go and google/cel-cpp)."""

from __future__ import annotations

import pytest

from omni_scale.core.selector.evaluate import selector_problem


@pytest.mark.parametrize(
    ("expr", "summary_part", "hint_parts"),
    [
        ("availableSpace > 100", "'(uint, int)'", ["100u", "uint(100)"]),
        ("availableSpace == 100", "'_==_' applied to '(uint, int)'", ["100u"]),
        ("availableSpace > 100.0", "'(uint, double)'", ["100u"]),
        ("availableSpace >= 100 * 1024u", "'_*_' applied to '(int, uint)'", ["100u"]),
        ("size(name) > 3u", "'(int, uint)'", ["`size()` returns int", "drop the `u`"]),
        ('type == "rbd"', "'(type(type), string)'", ["storageType"]),
        (
            'storage.filter(s, s.type == "rbd")[0].storage',
            "undeclared reference to 'storage'",
            ["one storage at a time", "`name`, `node`, `storageType` and `availableSpace`"],
        ),
        (
            'storageType == "rbd" && storages.exists(s, s == "x")',
            "undeclared reference to 'storages'",
            ["one storage at a time"],
        ),
        ('s.type == "rbd"', "undeclared reference to 's.type'", ["storageType"]),
        ('storage == "local"', "undeclared reference to 'storage'", ["did you mean `name`"]),
        ("avail > 1u", "undeclared reference to 'avail'", ["`availableSpace`"]),
        ('nmae == "local"', "undeclared reference to 'nmae'", ["did you mean `name`"]),
        ("enabled == 1", "undeclared reference to 'enabled'", ["not available"]),
        ("storageType == rbd", "undeclared reference to 'rbd'", ['`"rbd"`']),
        ("name", "expression output type is string", ['name == "local-lvm"']),
        ('"local-lvm"', "expression output type is string", ['name == "local-lvm"']),
        ("availableSpace", "expression output type is uint", ["availableSpace > "]),
        ("[name]", "expression output type is list(string)", ["true or false"]),
        ("", "mismatched input '<EOF>'", ["`storage_selector` is required"]),
        ("   ", "mismatched input '<EOF>'", ["`storage_selector` is required"]),
        ("// just a comment", "mismatched input '<EOF>'", ["`storage_selector` is required"]),
        ("name.startsWith(1)", "'string.(int)'", ['name.startsWith("local")']),
        ("matches(name, 1)", "'(string, int)'", ['name.matches("^local")']),
        ('name = "local-lvm"', "token recognition error at: '= '", ["use `==`"]),
        ('name == "a" and node == "pve1"', "mismatched input 'and'", ["`&&`", "`||`"]),
        ('name == "a" or true', "mismatched input 'or'", ["`&&`", "`||`"]),
        ('name == "local-lvm', "token recognition error at: '\"local-lvm'", ["close the quote"]),
        ("name == 'local-lvm", "token recognition error", ["close the quote"]),
        ("name == 1", "'(string, int)'", ["quote the value"]),
        ('name.lowerAscii() == "local"', "'lowerAscii'", ["no string extensions"]),
        ('name.upperAscii() == "LOCAL"', "'upperAscii'", ["no string extensions"]),
        ('name =~ "^local"', "'=~'", ["matches"]),
        ("availableSpace > 10G", "extraneous input 'G'", ["no size units", "107374182400u"]),
        ('name == "a";', "';'", ["drop the `;`"]),
        ('name.?foo == "x"', "unsupported syntax '.?'", ["optional"]),
        (
            "availableSpace > 18446744073709551616u",
            "invalid uint literal",
            ["18446744073709551615u"],
        ),
        ('name == "a" && availableSpace', "expected type 'bool' but found 'uint'", ["`&&`"]),
        ("name == null", "'(string, null)'", ["never null"]),
        ("has(name)", "invalid argument to has() macro", ["always set"]),
        ("(" * 300 + "true" + ")" * 300, "recursion limit exceeded: 250", ["parentheses"]),
    ],
)
def test_hint(expr: str, summary_part: str, hint_parts: list[str]) -> None:
    problem = selector_problem(expr)
    assert problem is not None
    assert summary_part in problem.summary
    assert problem.hint is not None
    for part in hint_parts:
        assert part in problem.hint


def test_no_hint_invented_for_unusual_errors() -> None:
    problem = selector_problem('timestamp("2024-01-01T00:00:00Z") > 1')
    assert problem is not None
    assert problem.hint is None
