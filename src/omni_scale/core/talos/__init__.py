"""Talos machine configuration: the config loader's key table per Talos minor, and the offline
check of config patches that omnictl and Omni run (pure)."""
