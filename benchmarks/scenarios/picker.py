"""The speaker picker at 5,000 speakers vs 50 (#17.2): each keystroke, and opening.

An app that pushes a ``SpeakerPicker`` over the registry (deterministic names from
:func:`benchmarks.corpora.speaker_registry`, plus "Dmitry Peskov"). Key: with the field
empty and the app settled, ``p``, ``e``, ``s``, ``k`` are posted one by one, each timed
to the frame showing the new text and the list ranked for it (the query folded, every
name ranked, the bounded list rebuilt), in sessions alternating A B B A. Open: app
start -> first frame showing the picker's list.
"""

from __future__ import annotations

import asyncio

from benchmarks import corpora
from benchmarks.driving import Session, time_first_frame
from benchmarks.fixtures import Fixtures
from benchmarks.harness import Bar, Figure

SIZES = {"5000": 5_000, "50": 50}
QUICK_SIZES = {"5000": 500, "50": 50}
NAMES = [f"picker_{what}_{label}" for what in ("key", "open") for label in SIZES]
BAR = Bar("ratio", 1.2)
MARKER = "enter choose"  # the hint under the list: the picker is up, its list filled
TYPED = ("p", "e", "s", "k")


def _registry(count: int) -> list:
    from briefing_tui.core.models import Speaker

    return [Speaker("peskov", "Dmitry Peskov", role="Kremlin spokesman"),
            *corpora.speaker_registry(count)]


def _app(speakers: list):
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from briefing_tui.ui.widgets.pickers import SpeakerPicker

    class PickerApp(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("base")

        def on_mount(self) -> None:
            self.push_screen(SpeakerPicker(speakers))

    return PickerApp()


async def _keys(fx: Fixtures, speakers: list) -> list[float]:
    from textual.widgets import Input, OptionList

    out = []
    async with Session(_app(speakers), MARKER) as s:
        field = s.app.screen.query_one(Input)
        options = s.app.screen.query_one(OptionList)
        s.watch(lambda: (field.value, options.option_count,
                         str(options.get_option_at_index(0).prompt)
                         if options.option_count else ""))
        for rep in fx.config.rounds():
            field.value = ""
            await s.settle()
            for key in TYPED:
                effect = await s.press(key)
                if rep:
                    out.append(effect.latency * 1000)
    return out


async def _opens(fx: Fixtures, registries: dict[str, list]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {label: [] for label in registries}
    for rep in fx.config.rounds():
        for label, speakers in registries.items():  # alternating: the machine is noisy
            took = await time_first_frame(lambda speakers=speakers: _app(speakers), MARKER)
            if rep:
                out[label].append(took * 1000)
    return out


def run(fx: Fixtures) -> list[Figure]:
    """Both sizes; ratios 5,000 / 50."""
    sizes = QUICK_SIZES if fx.config.quick else SIZES
    registries = {label: _registry(count) for label, count in sizes.items()}
    # Sessions A B B A: a process runs its first session slower (code paths warming), so
    # one size first and the other second would tilt the ratio (5,000 then 50 measured
    # ~10% slow on the first session of each size).
    keys: dict[str, list[float]] = {label: [] for label in registries}
    first, second = registries
    for label in (first, second, second, first):
        keys[label] += asyncio.run(_keys(fx, registries[label]))
    opens = asyncio.run(_opens(fx, registries))
    figures = []
    for what, results, note in (("key", keys, "p, e, s, k typed: post -> frame"),
                                ("open", opens, "start -> first frame of the picker")):
        for label in sizes:
            ref = f"picker_{what}_50" if label != "50" else None
            figures.append(Figure(
                f"picker_{what}_{label}", samples=results[label], reference=ref,
                bar=BAR if ref and what == "key" else None,
                note=f"{sizes[label]:,} speakers; {note}"))
    return figures
