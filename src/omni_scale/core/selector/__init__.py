"""CEL storage selectors as the provider compiles and evaluates them (pure)."""
