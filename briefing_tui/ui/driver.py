"""The terminal driver: Textual's own, made to survive input that is not UTF-8.

Textual (8.2.8) reads the terminal in an input thread
(``textual/drivers/linux_driver.py``, ``LinuxDriver.run_input_thread``) and decodes
it with a strict incremental UTF-8 decoder. One byte that is not UTF-8 (``0x9b``
from a terminal set to Latin-1, a line-noise byte) raises ``UnicodeDecodeError``
there; the thread's wrapper turns any exception into ``App.panic`` and the app ends
(with exit code 0, and whatever was being typed is lost).

Textual offers no way to set the decoder's error handling, so this subclass
overrides the PUBLIC ``run_input_thread`` only: it runs Textual's loop and, when
the decoder gives up, starts it again (a fresh decoder and parser, as Textual does
itself after a suspend). Lost: what arrived in the same read as the stray byte
(one key press when typing; at most 4 KiB of a paste) and an escape sequence cut
by it. The app, its screens and any text being typed stay.

This is the one place of this workaround: :class:`BriefingApp` passes the class as
``driver_class`` (public API). It applies to real terminals on Linux and macOS only;
``run_test`` uses Textual's headless driver, Windows its own.
"""

from __future__ import annotations

import os
import sys

from textual.driver import Driver

__all__ = ["terminal_driver"]

if sys.platform != "win32":  # termios: Textual's Windows driver reads its input another way
    from textual.drivers.linux_driver import LinuxDriver

    class TolerantInputDriver(LinuxDriver):
        """Textual's Linux/macOS driver whose input thread survives bytes that are not
        UTF-8 (see the module docstring)."""

        def run_input_thread(self) -> None:
            """Read and dispatch input (Textual's loop); start it over after a stray byte."""
            while True:
                try:
                    super().run_input_thread()
                except UnicodeDecodeError:
                    if self.exit_event.is_set():  # the app is stopping: nothing to keep
                        return
                    continue
                return

    __all__ += ["TolerantInputDriver"]


def terminal_driver() -> type[Driver] | None:
    """The driver class for :class:`BriefingApp` (``None``: Textual's choice).

    ``None`` on Windows, and when ``TEXTUAL_DRIVER`` names a driver (the user's
    choice wins).
    """
    if sys.platform == "win32" or os.environ.get("TEXTUAL_DRIVER"):
        return None
    return TolerantInputDriver
