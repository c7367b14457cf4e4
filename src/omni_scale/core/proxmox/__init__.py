"""Proxmox facts: the inventory snapshot and the privileges the provider needs (pure)."""
