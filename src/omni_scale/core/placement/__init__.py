"""Replaying the provider's placement of a machine class on a Proxmox snapshot (pure)."""
