"""The provider's lifecycle services: secrets input, live checks, status probes, waiting."""
