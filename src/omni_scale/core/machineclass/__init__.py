"""MachineClass resources and the provider data inside them (pure)."""
