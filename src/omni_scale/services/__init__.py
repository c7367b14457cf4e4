"""Use cases: one a module; the CLI and the MCP server call these."""
