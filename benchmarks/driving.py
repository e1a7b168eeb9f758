"""Driving an app in-process: time to the first frame, and per key to the frame of its effect.

Keys are posted as ``events.Key`` straight to the app (the path a terminal's input
takes), not with ``pilot.press``, which waits for idle and animations after every
key (~64 ms) and so hides what a key costs. See :mod:`benchmarks.frames` for how a
frame is observed.
"""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from time import perf_counter, process_time
from typing import Any, Self

from textual import events
from textual.geometry import Size

from benchmarks.frames import SIZE, FrameRecorder, prepare_app, repaint_probe


async def time_first_frame(make_app: Callable[[], Any], marker: str,
                           size: tuple[int, int] = SIZE) -> float:
    """Seconds from constructing the app to the first frame that shows ``marker``."""
    gc.collect()
    recorder = FrameRecorder(marker=marker)
    t0 = perf_counter()
    app = prepare_app(make_app(), recorder)
    async with app.run_test(headless=False, size=size):
        frame = await recorder.wait_marker()
    return frame.t - t0


def key_event(key: str) -> events.Key:
    """The ``events.Key`` a terminal would send for ``key`` (a Textual key name)."""
    char: str | None
    if len(key) == 1:
        char = key
    else:
        try:
            char = unicodedata.lookup(key.upper().replace("_", " "))
        except KeyError:
            char = None
    return events.Key(key, char)


@dataclass
class Effect:
    """What one input cost: latency to the frame showing it, and CPU."""

    latency: float  # seconds, post -> frame showing the final state
    repaint_cpu: float  # CPU seconds of the repaints in between (layout+compositor+render)
    total_cpu: float  # CPU seconds of the whole process from post to that frame
    frames: int  # frames written up to and including that one
    settled_cpu: float  # CPU seconds of every repaint until the app settled (follow-ups too)


class Session:
    """One running app with a frame recorder and the repaint probe."""

    def __init__(self, app: Any, marker: str, size: tuple[int, int] = SIZE) -> None:
        self.recorder = FrameRecorder(marker=marker)
        self.app = prepare_app(app, self.recorder)
        self.size = size
        self._probe = repaint_probe(self.recorder)
        self._context: Any = None

    async def __aenter__(self) -> Self:
        self._probe.__enter__()
        self._context = self.app.run_test(headless=False, size=self.size)
        self.pilot = await self._context.__aenter__()
        await self.recorder.wait_marker()
        # What start-up hands to workers (a long list of highlights read whole, see
        # ReaderSync.open_view): done before any key is measured.
        await self.pilot.pause()
        await self.app.workers.wait_for_complete()
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self._context.__aexit__(*exc)
        finally:
            self._probe.__exit__(None, None, None)

    def watch(self, signature: Callable[[], Hashable]) -> None:
        """Set what "the state on screen" is: compared frame to frame."""
        self.recorder.signature = signature

    async def settle(self) -> None:
        """Let the app finish what it is doing (no frame for 50 ms)."""
        await self.pilot._wait_for_screen()
        await self.app.animator.wait_until_complete()
        await self.recorder.settle()

    async def measure(self, post: Callable[[], None], what: str) -> Effect:
        """Run ``post`` (which sends one input) and time it to the frame showing its effect.

        The app has settled before (no frame for 50 ms), so its 60 fps update timer
        is idle and paints at once when the input dirties the screen, as for a user
        who presses a key while reading. The effect frame is the first frame whose
        signature equals the state once the app has settled (so a scroll that lands in
        a later frame than the cursor move counts to that later frame).
        """
        rec = self.recorder
        assert rec.signature is not None, "call watch() first"
        baseline = rec.signature()
        gc.collect()
        mark = len(rec.frames)
        t0, c0 = perf_counter(), process_time()
        post()
        try:
            await rec.wait_frame_after(mark, lambda f: f.signature != baseline, timeout=10)
        except TimeoutError:
            raise RuntimeError(f"{what}: no visible effect in 10 s") from None
        await self.settle()
        final = rec.signature()
        if final == baseline:
            raise RuntimeError(f"{what}: no visible effect")
        index = await rec.wait_frame_after(mark, lambda f: f.signature == final)
        frame = rec.frames[index]
        return Effect(frame.t - t0, rec.repaint_cpu(t0, frame.t), frame.cpu - c0,
                      index - mark + 1, rec.repaint_cpu(t0, perf_counter()))

    async def press(self, key: str) -> Effect:
        """Post one key and measure it."""
        event = key_event(key)
        return await self.measure(lambda: self.app.post_message(event), f"key {key!r}")

    async def resize(self, width: int, height: int) -> Effect:
        """Resize the (virtual) terminal and measure the re-layout."""
        size = Size(width, height)

        def post() -> None:
            self.app._driver._size = size
            self.app.post_message(events.Resize(size, size))

        return await self.measure(post, f"resize to {width}x{height}")
