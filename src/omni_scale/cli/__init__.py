"""The command-line interface: option parsing and rendering only, no logic."""
