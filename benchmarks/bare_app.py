"""``python -m benchmarks.bare_app``: the cold-start reference, a Textual app showing one label.

Self-contained on purpose (imports only what such an app needs), so it is a fair floor.
"""

from textual.app import App, ComposeResult
from textual.widgets import Label

BARE_LABEL = "bare benchmark label"


class BareApp(App[None]):
    """A Textual app that shows one label."""

    def compose(self) -> ComposeResult:
        """One label."""
        yield Label(BARE_LABEL)


if __name__ == "__main__":
    BareApp().run()
