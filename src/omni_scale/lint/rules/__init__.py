"""Lint rules, one module each (see omni_scale.lint.rule for what a module defines)."""
