"""Omni resources as omnictl prints them, and a cluster's health from them (pure)."""
