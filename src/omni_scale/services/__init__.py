"""Use cases, one a module: what the CLI and the MCP tools call (core + lint + adapters)."""
