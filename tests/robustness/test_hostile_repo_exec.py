"""Property: a path from the repository is never executed.

The state file travels with the repository, so its `omnictl_path` is repository content. A
path it names is run only from a trusted location (outside the project, owned by this user
or root, in a folder and a file no one else may write): `omnictl.locate.untrusted_reason`,
checked wherever the state path is used.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from omni_scale.state import update_state


def _evil(path: Path, marker: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\ntouch {marker}\necho v9.9.9\n")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize(
    "where", ["relative", "absolute-inside", "link-to-inside", "dotdot-back-inside"]
)
@pytest.mark.parametrize("args", [("omnictl", "which"), ("cluster", "status", "homelab")])
def test_state_omnictl_path_inside_the_repo_is_never_run(
    homelab: Path, tmp_path: Path, cli: Any, fake_omnictl: Any, where: str, args: tuple[str, ...]
) -> None:
    marker = tmp_path / "ran"
    script = _evil(homelab / "tools" / "omnictl", marker)
    value = {
        "relative": "tools/omnictl",
        "absolute-inside": str(script),
        "dotdot-back-inside": f"../{homelab.name}/tools/omnictl",
    }.get(where)
    if where == "link-to-inside":
        link = tmp_path / "bin" / "omnictl"
        link.parent.mkdir()
        link.symlink_to(script)
        value = str(link)
    assert value is not None
    update_state(homelab / ".claude" / "omni-scale.local.md", {"omnictl_path": value})
    result = cli("--project-dir", homelab, *args)
    assert not marker.exists(), f"{where}: the repository's script ran"
    assert "Traceback" not in result.err


def test_world_writable_location_is_not_trusted(
    homelab: Path, tmp_path: Path, cli: Any, fake_omnictl: Any
) -> None:
    marker = tmp_path / "ran"
    folder = tmp_path / "shared-bin"
    script = _evil(folder / "omnictl", marker)
    os.chmod(folder, 0o777)
    update_state(homelab / ".claude" / "omni-scale.local.md", {"omnictl_path": str(script)})
    result = cli("--project-dir", homelab, "omnictl", "which")
    assert not marker.exists()
    assert "writable by other users" in result.out + result.err


def test_trusted_location_outside_the_project_is_used(
    homelab: Path, tmp_path: Path, cli: Any, fake_omnictl: Any
) -> None:
    """Not a false refusal: the user's own binary outside the project is used."""
    own = tmp_path / "own-bin" / "omnictl"
    own.parent.mkdir()
    own.symlink_to(fake_omnictl.path)
    update_state(homelab / ".claude" / "omni-scale.local.md", {"omnictl_path": str(own)})
    result = cli("--project-dir", homelab, "--json", "omnictl", "which")
    assert result.code == 0, result.err
    assert "state" in result.out
