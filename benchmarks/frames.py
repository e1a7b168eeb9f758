"""Frame hooks: know when a frame reaches the "terminal", and what it cost.

How a frame is observed (read from Textual 8.2's ``app.py``/``screen.py``):

* ``Screen._on_timer_update`` (the screen's 60 fps update timer) and
  ``Screen._refresh_layout`` (resize, layout) call ``Screen._compositor_refresh``,
  which asks the compositor for the changed lines (this is where widgets'
  ``render_line`` runs) and hands the update to ``App._display``.
* ``App._display`` turns the update into terminal escape sequences
  (``render_segments``) and calls ``driver.write(sequence)`` — but only when
  ``driver.is_headless`` is false: Textual's own ``HeadlessDriver`` skips the
  whole conversion, which would hide part of the real cost of a frame.

So the benchmarks run apps with :class:`FrameDriver`: a headless driver (no tty,
no input thread, fixed size) that reports ``is_headless = False``. Textual then
renders every frame exactly as for a terminal and gives the bytes to
``FrameDriver.write``, which timestamps them (``perf_counter`` and
``process_time``), asks the scenario for a *signature* of the state on screen
(e.g. the reader's cursor and scroll offset) and checks for a marker text. That
``write`` is the moment a user would see the frame.

In-process runs use ``app.run_test(headless=False, size=(120, 40))`` with
``app.driver_class = FrameDriver`` (``run_test`` builds ``app.driver_class`` when
``headless`` is false); :func:`repaint_probe` additionally wraps
``Screen._on_timer_update`` and ``Screen._refresh_layout`` to measure the CPU time
of each repaint (layout + compositor + ``render_line`` + escape sequences).

Whole-process runs (cold start) use :class:`ExitOnMarkerDriver` through
Textual's ``TEXTUAL_DRIVER=benchmarks.frames:ExitOnMarkerDriver`` environment
variable: the first frame containing ``$BENCH_EXIT_MARKER`` is stamped into
``$BENCH_FRAME_FILE`` and the app exits.

Colours: Rich detects no colour on a non-tty and would emit no style codes, so
:func:`prepare_app` sets the app console to truecolor (``TEXTUAL_COLOR_SYSTEM=
truecolor`` for subprocesses), as in a modern terminal.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from time import perf_counter, process_time
from typing import Any

from textual.drivers.headless_driver import HeadlessDriver

SIZE = (120, 40)


@dataclass
class Frame:
    """One frame written to the (virtual) terminal."""

    t: float  # perf_counter at write
    cpu: float  # process_time at write
    signature: Hashable
    has_marker: bool
    nbytes: int


@dataclass
class Repaint:
    """One screen repaint (layout and/or compositor refresh) and its CPU time."""

    t0: float
    t1: float
    cpu: float


@dataclass
class FrameRecorder:
    """Collects frames and repaints of one app run.

    ``signature`` is called at each frame write (keep it cheap); ``marker`` is a
    text whose presence in a frame means "the document is on screen".
    """

    marker: str | None = None
    signature: Callable[[], Hashable] | None = None
    frames: list[Frame] = field(default_factory=list)
    repaints: list[Repaint] = field(default_factory=list)
    marker_frame: Frame | None = None
    _event: asyncio.Event | None = None

    def on_frame(self, data: str) -> None:
        """Called by the driver with the escape sequences of one frame."""
        t, cpu = perf_counter(), process_time()
        sig: Hashable = None
        if self.signature is not None:
            try:
                sig = self.signature()
            except Exception as error:  # noqa: BLE001 - the widget may not be mounted yet
                sig = ("unavailable", type(error).__name__)
        has_marker = bool(self.marker) and self.marker in data
        frame = Frame(t, cpu, sig, has_marker, len(data))
        self.frames.append(frame)
        if has_marker and self.marker_frame is None:
            self.marker_frame = frame
        if self._event is not None:
            self._event.set()

    async def next_frame(self, timeout: float) -> bool:
        """Wait until a frame arrives (True) or ``timeout`` seconds pass (False)."""
        self._event = asyncio.Event()
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
            return True
        except TimeoutError:
            return False
        finally:
            self._event = None

    async def wait_marker(self, timeout: float = 120.0) -> Frame:
        """The first frame showing the marker (waits for it)."""
        deadline = perf_counter() + timeout
        while self.marker_frame is None:
            left = deadline - perf_counter()
            arrived = left > 0 and await self.next_frame(left)
            if not arrived and self.marker_frame is None:
                raise TimeoutError(f"no frame showed {self.marker!r} in {timeout:g} s"
                                   f" ({len(self.frames)} frames written)")
        return self.marker_frame

    async def wait_frame_after(self, index: int, predicate: Callable[[Frame], bool],
                               timeout: float = 30.0) -> int:
        """Index of the first frame at or after ``index`` matching ``predicate``."""
        deadline = perf_counter() + timeout
        while True:
            for i in range(index, len(self.frames)):
                if predicate(self.frames[i]):
                    return i
            index = len(self.frames)
            left = deadline - perf_counter()
            arrived = left > 0 and await self.next_frame(left)
            if not arrived and not any(predicate(f) for f in self.frames[index:]):
                raise TimeoutError(f"no matching frame in {timeout:g} s")

    async def settle(self, quiet: float = 0.05, timeout: float = 10.0) -> None:
        """Wait until no frame has been written for ``quiet`` seconds."""
        deadline = perf_counter() + timeout
        while perf_counter() < deadline:
            if not await self.next_frame(quiet):
                return

    def repaint_cpu(self, t0: float, t1: float) -> float:
        """CPU seconds of the repaints that started in ``[t0, t1]``."""
        return sum(r.cpu for r in self.repaints if t0 <= r.t0 <= t1)


class FrameDriver(HeadlessDriver):
    """A headless driver that makes Textual render frames as for a terminal.

    The frames go to ``app.bench_recorder.on_frame`` instead of a tty.
    """

    @property
    def is_headless(self) -> bool:
        """False, so ``App._display`` renders escape sequences and calls ``write``."""
        return False

    def write(self, data: str) -> None:
        """Hand one frame to the recorder."""
        recorder = getattr(self._app, "bench_recorder", None)
        if recorder is not None:
            recorder.on_frame(data)


class ExitOnMarkerDriver(FrameDriver):
    """For whole-process runs: exit the app at the first frame showing ``$BENCH_EXIT_MARKER``.

    The wall-clock time of that frame goes to ``$BENCH_FRAME_FILE`` (if set).
    """

    _done = False

    def write(self, data: str) -> None:
        """Exit at the first frame holding the marker."""
        marker = os.environ.get("BENCH_EXIT_MARKER", "")
        if self._done or not marker or marker not in data:
            return
        self._done = True
        out = os.environ.get("BENCH_FRAME_FILE")
        if out:
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(repr(time.time()))
        self._app.exit()


_active: list[FrameRecorder] = []


@contextmanager
def repaint_probe(recorder: FrameRecorder) -> Iterator[FrameRecorder]:
    """Measure the CPU time of every repaint while the context is open.

    Wraps ``Screen._on_timer_update`` and ``Screen._refresh_layout`` (the two entry
    points of a repaint); nested calls count once.
    """
    from textual.screen import Screen

    originals = {name: getattr(Screen, name) for name in ("_on_timer_update", "_refresh_layout")}
    depth = 0

    def wrap(original: Callable[..., Any]) -> Callable[..., Any]:
        def timed(self: Screen, *args: Any, **kwargs: Any) -> Any:
            nonlocal depth
            if depth:
                return original(self, *args, **kwargs)
            depth += 1
            t0, c0 = perf_counter(), process_time()
            try:
                return original(self, *args, **kwargs)
            finally:
                depth -= 1
                for rec in _active:
                    rec.repaints.append(Repaint(t0, perf_counter(), process_time() - c0))

        return timed

    for name, original in originals.items():
        setattr(Screen, name, wrap(original))
    _active.append(recorder)
    try:
        yield recorder
    finally:
        _active.remove(recorder)
        for name, original in originals.items():
            setattr(Screen, name, original)


def prepare_app(app: Any, recorder: FrameRecorder) -> Any:
    """Make ``app`` render through :class:`FrameDriver` into ``recorder``, in truecolor."""
    from rich.console import ColorSystem

    app.driver_class = FrameDriver
    app.bench_recorder = recorder
    # Rich would pick "no colour" for the null file Textual gives it; a terminal has colour.
    app.console._color_system = ColorSystem.TRUECOLOR
    return app
