"""Render the README screenshot: the reader on a bundled sample with annotated highlights.

Run: `python docs/make_screenshot.py` (writes docs/reader.svg).
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from briefing_tui.paths import samples_dir
from briefing_tui.ui.app import BriefingApp

OUT = Path(__file__).with_name("reader.svg")
SAMPLE = "kremlin-signals-no-quick-truce.md"

# (phrase to highlight, speaker, role, stance key, topics, note)
MARKS = [
    ('"everything is progressing very well"', "Dmitry Peskov", "Kremlin spokesman", 4, ["talks"], ""),
    ('"instant results"', "Dmitry Peskov", "Kremlin spokesman", 2, ["ceasefire"],
     "contradicts the US timeline"),
    ('"take into account the current realities"', "Oleksiy Polishchuk",
     "Russian Foreign Ministry", 3, ["root-causes"], ""),
    ('"to bring this war to an end, period."', "Mike Waltz", "National Security Adviser", 1,
     ["ceasefire"], ""),
]


def build(db: Path) -> str:
    store = Store(db)
    [result] = import_paths(store, [samples_dir() / SAMPLE])
    text = store.get_briefing(result.briefing_id).document.text
    for phrase, name, role, key, topics, note in MARKS:
        start = text.index(phrase) + 1
        highlight = store.create_highlight(result.briefing_id, start, start + len(phrase) - 2)
        speaker = store.create_speaker(name, role=role)
        store.set_speaker(highlight.id, speaker.id)
        stance = store.stance_by_key(key)
        store.set_stance(highlight.id, stance.id if stance else None)
        store.set_topics(highlight.id, topics)
        if note:
            store.set_note(highlight.id, note)
    store.close()
    return result.briefing_id


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "shot.db"
        briefing_id = build(db)
        app = BriefingApp(Store(db), open_briefing_id=briefing_id)
        async with app.run_test(size=(120, 34)) as pilot:
            await pilot.pause(0.5)
            for key in ["right_curly_bracket"] * 4 + ["w", "w", "s"]:
                await pilot.press(key)
            await pilot.pause(0.3)
            app.save_screenshot(str(OUT.name), path=str(OUT.parent))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
