"""The Proxmox infra provider's own contract: its command line, config and setup (pure)."""
