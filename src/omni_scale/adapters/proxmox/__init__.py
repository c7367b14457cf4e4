"""The Proxmox VE HTTP API (httpx): client, inventory snapshot, privilege audit."""
