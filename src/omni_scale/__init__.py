"""omni-scale: safe, fast management of Sidero Omni's Proxmox infrastructure provider."""

__version__ = "0.1.0"
