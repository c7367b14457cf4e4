"""The lint engine: documents in, problems out. Rules live in `omni_scale.lint.rules`."""
