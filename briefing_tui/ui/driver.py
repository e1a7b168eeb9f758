"""The terminal driver: Textual's own, made to survive input that is not UTF-8.

Textual (8.2.8) reads the terminal in an input thread
(``textual/drivers/linux_driver.py``, ``LinuxDriver.run_input_thread``) and decodes
it with a strict incremental UTF-8 decoder. One byte that is not UTF-8 (``0x9b``
from a terminal set to Latin-1, a line-noise byte) raises ``UnicodeDecodeError``
there; the thread's wrapper turns any exception into ``App.panic`` and the app ends
(with exit code 0, and whatever was being typed is lost).

Textual issue: https://github.com/Textualize/textual/issues/6456 (open; the fix proposed
there decodes with ``errors="replace"``; once Textual does, this module can go).
Textual offers no setting for it, so this subclass overrides only the PUBLIC
``run_input_thread`` and sets only the public ``fileno`` attribute: for as long as
Textual's loop runs, it reads a pipe instead of the terminal, and a relay thread
copies the terminal's bytes into that pipe as valid UTF-8 (each bad byte becomes
U+FFFD, what Textual's own fix would give). Nothing else is lost or reordered: a
paste stays one paste, an escape sequence stays whole. Textual uses ``fileno`` for
``termios`` only outside that loop (before it starts, after it is joined), where it
is the terminal again.

This is the one place of this workaround: :class:`BriefingApp` passes the class as
``driver_class`` (public API). It applies to real terminals on Linux and macOS only;
``run_test`` uses Textual's headless driver, Windows its own.
"""

from __future__ import annotations

import codecs
import os
import selectors
import sys
import threading
from functools import cache

from textual.driver import Driver

__all__ = ["terminal_driver"]

RELAY_TICK_S = 0.05  # how often the relay looks whether the app stopped reading


def relay_as_utf8(source: int, sink: int, stop: threading.Event) -> None:
    """Copy bytes from ``source`` to ``sink`` until ``stop`` is set or ``source`` ends,
    each invalid UTF-8 sequence replaced by U+FFFD. Closes ``sink``."""
    decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(source, selectors.EVENT_READ)
            while not stop.is_set():
                if not selector.select(RELAY_TICK_S):
                    continue
                data = os.read(source, 4096)
                if not data:
                    return
                out = memoryview(decode(data).encode("utf-8"))
                while out:
                    out = out[os.write(sink, out):]
    except OSError:
        return  # the terminal went away: Textual's loop sees the pipe end and stops
    finally:
        os.close(sink)


@cache
def _tolerant_input_driver() -> type[Driver]:
    """:class:`TolerantInputDriver`, defined on first use: Textual's Linux driver (its
    input parser, termios) is imported only by an app that runs in a terminal."""
    from textual.drivers.linux_driver import LinuxDriver

    class TolerantInputDriver(LinuxDriver):
        """Textual's Linux/macOS driver whose input survives bytes that are not UTF-8
        (see the module docstring)."""

        def run_input_thread(self) -> None:
            """Textual's input loop, reading the terminal through a UTF-8 relay."""
            terminal = self.fileno
            relayed, sink = os.pipe()
            done = threading.Event()  # however Textual's loop ends, the relay ends with it
            relay = threading.Thread(target=relay_as_utf8, name="briefing-input-relay",
                                     args=(terminal, sink, done), daemon=True)
            relay.start()
            self.fileno = relayed
            try:
                super().run_input_thread()
            finally:
                self.fileno = terminal  # before disable_input's tcflush and the termios reset
                done.set()
                relay.join()
                os.close(relayed)

    return TolerantInputDriver


def terminal_driver() -> type[Driver] | None:
    """The driver class for :class:`BriefingApp` (``None``: Textual's choice).

    ``None`` on Windows, and when ``TEXTUAL_DRIVER`` names a driver (the user's
    choice wins).
    """
    if sys.platform == "win32" or os.environ.get("TEXTUAL_DRIVER"):
        return None  # termios: Textual's Windows driver reads its input another way
    return _tolerant_input_driver()
