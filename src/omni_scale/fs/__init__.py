"""The file layer: every write the CLI makes goes through here."""
