"""Cluster templates: the documents, their schema and rendering (pure)."""
