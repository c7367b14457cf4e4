"""Omni: its resources as omnictl prints them, a cluster's health from them, and its own rules
(label selectors) (pure)."""
