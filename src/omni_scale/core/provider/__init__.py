"""The provider's own files and command line: compose service, flags, Proxmox config, .env,
logs, setup plan (pure)."""
