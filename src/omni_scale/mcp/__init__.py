"""`omni-scale mcp`: the read-only commands as typed Model Context Protocol tools (stdio)."""
