"""The provider's placement, replayed: which release (release), its node ordering and v0.2.0
scheduler (scheduler), one class's plan (plan) and a cluster's capacity (capacity)."""
