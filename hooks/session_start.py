#!/usr/bin/env python3
"""SessionStart hook of the omni-scale Claude Code plugin (runs in every session of every project).

Without `.claude/omni-scale.local.md` in the project it exits at once, having imported nothing:
the cost is a bare interpreter start (bench/hook.py). With the file, session_summary.py (beside
this script) writes the summary; its byte-code is cached under $CLAUDE_PLUGIN_DATA, never in the
plugin's own folder. Standard library only, Python 3.9+, always exit 0.
"""

import os
import sys

STATE_FILE = os.path.join(".claude", "omni-scale.local.md")


def main() -> int:
    project = os.environ.get("CLAUDE_PROJECT_DIR")
    if project and not os.path.isfile(os.path.join(project, STATE_FILE)):
        return 0  # the common case: not an omni-scale project
    data = os.environ.get("CLAUDE_PLUGIN_DATA")
    if data:
        # The plugin's own data folder: safe to cache in even under PYTHONDONTWRITEBYTECODE,
        # which would otherwise recompile the summary module in every session.
        sys.pycache_prefix = os.path.join(data, "pycache")
        sys.dont_write_bytecode = False
    else:
        sys.dont_write_bytecode = True  # never write into the plugin's folder
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    try:
        import session_summary
    except Exception as exc:  # a hook must never break the session
        sys.stderr.write(f"omni-scale session hook: {type(exc).__name__}: {exc}\n")
        return 0
    return session_summary.main(project)


if __name__ == "__main__":
    sys.exit(main())
