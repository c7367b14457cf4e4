"""One module a command group; each exposes `command` (a click command or group)."""
