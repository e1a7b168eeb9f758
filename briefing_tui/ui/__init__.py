"""Textual user interface over the core."""
