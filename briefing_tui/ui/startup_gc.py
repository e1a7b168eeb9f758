"""The cyclic garbage collector waits while the first screen is built.

Start-up makes tens of thousands of objects that live as long as the app: widgets,
their styles, the stylesheet, caches of rendered rows. Python's collector scans them
over and over while they are made (opening a 5 MB briefing ran 13 young and one
middle-generation collection, 2 ms of its 18), and every later full collection scans
them all again (about 20 ms, paid by whichever key press triggers it). So the app
holds the collector from its start until its first screen is on the terminal, then
freezes what start-up made (``gc.freeze``: later collections skip those objects) and
lets it run. When the app ends the objects are unfrozen, so that a process that runs
several apps (the tests, the benchmarks) can still free each one.

A collector the host process had turned off stays off.

At the other end, :func:`freeze_for_exit` spares a process that is about to end the
interpreter's final collection of everything the app made (about 50 ms of quitting).
"""

from __future__ import annotations

import gc

__all__ = ["StartupGC", "freeze_for_exit"]


class StartupGC:
    """``hold()`` at start, ``release()`` once the first screen is shown, ``end()`` at exit."""

    def __init__(self) -> None:
        self._held = False
        self._frozen = False

    @property
    def held(self) -> bool:
        """Whether the collector is held (off) by this app now."""
        return self._held

    def hold(self) -> None:
        """Turn the collector off, if it is on."""
        if not self._held and gc.isenabled():
            gc.disable()
            self._held = True

    def release(self) -> None:
        """Freeze what exists now and turn the collector back on (once)."""
        if self._held:
            self._held = False
            gc.freeze()
            self._frozen = True
            gc.enable()

    def end(self) -> None:
        """The app is over: turn the collector on and let it free what start-up froze."""
        self.release()
        if self._frozen:
            self._frozen = False
            gc.unfreeze()


def freeze_for_exit() -> None:
    """The process ends now: move every object out of the collector's reach.

    Python's finalisation collects garbage before it exits, walking every object the
    app left; the operating system frees the memory anyway. Frozen objects are not
    walked. Call it only once nothing but exiting is left to do (files and databases
    closed explicitly: nothing may rely on a finaliser of a reference cycle).
    """
    gc.freeze()
