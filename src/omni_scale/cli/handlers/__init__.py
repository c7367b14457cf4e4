"""What a command does once its arguments are parsed (click-free, so `cli.fast` can share it)."""
