"""briefing-tui: read and annotate briefings from the keyboard."""

__version__ = "0.1.0"
