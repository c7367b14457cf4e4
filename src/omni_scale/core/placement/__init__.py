"""Replaying the provider's placement on a Proxmox snapshot (pure): which release (release), its
node ordering and v0.2.0 scheduler (node, scheduler), one class's plan (replay), storage
(storage), the checks Proxmox makes later (checks) and a cluster's capacity (capacity)."""
