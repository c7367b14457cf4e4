"""Omni's own rules and resources (pure)."""
