"""Put a stand-in program on PATH: a scenario file plus a tiny /bin/sh wrapper named like the
real program, which runs the Python stand-in with this interpreter."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def install_wrapper(
    directory: Path, name: str, script: Path, scenario: dict[str, Any] | None, env_var: str
) -> tuple[Path, Path]:
    """Write `<directory>/<name>-scenario.json` and `<directory>/bin/<name>`; return both."""
    bin_dir = directory / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    scenario_file = directory / f"{name}-scenario.json"
    scenario_file.write_text(json.dumps(scenario or {}, indent=2))
    wrapper = bin_dir / name
    wrapper.write_text(
        f"#!/bin/sh\n{env_var}='{scenario_file}' exec '{sys.executable}' '{script}' \"$@\"\n"
    )
    wrapper.chmod(0o755)
    return scenario_file, bin_dir
