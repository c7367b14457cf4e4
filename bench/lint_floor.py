"""The floor bench/lint.py compares `omni-scale lint` with: the least a checker of these files does.

    python bench/lint_floor.py FOLDER

Reads every *.yaml file of FOLDER with PyYAML's C loader (libyaml), parses each class's
providerdata text the same way, and checks it with one reused jsonschema validator of the
provider's schema (omni_scale's SCHEMA). No positions, no rules, no CLI: a program that does less
cannot tell a user what is wrong with a MachineClass. Prints the counts; exits 1 if a file
does not look like one of the generated classes (so the floor cannot skip work silently).
"""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema
import yaml

from omni_scale.core.machineclass.providerdata_schema import SCHEMA


def safe_load(text: str) -> object:
    """PyYAML's C safe loader (libyaml), as yaml.safe_load with CSafeLoader does."""
    loader = yaml.CSafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    validator = jsonschema.Draft202012Validator(SCHEMA)
    files = problems = 0
    for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
        doc = safe_load(path.read_text(encoding="utf-8"))
        try:
            text = doc["spec"]["autoprovision"]["providerdata"]  # type: ignore[index]
        except (KeyError, TypeError):
            print(f"{path}: not a generated MachineClass", file=sys.stderr)
            return 1
        data = safe_load(text)
        problems += sum(1 for _ in validator.iter_errors(data))
        files += 1
    print(f"{files} files, {problems} schema problems")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
