"""The provider's own files: compose service, Proxmox config, .env, logs, setup plan (pure)."""
