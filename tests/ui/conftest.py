"""Shared fixtures of the UI tests: a temporary store with one small briefing of our own.

Every app built here reads its keymap from a file in the test's temporary folder
(never the user's config) and runs with the temporary folder as CWD (exports land there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from tests.notices import notifications, record_notifications  # noqa: F401 - re-exported; autouse

# Our own writing: two quotes, a list, several sentences per paragraph.
BRIEFING_MD = """\
---
title: Talks stall over the river crossing
source: Test Wire
published: 2025-03-20
---

# Talks stall over the river crossing

The envoy met both delegations on Monday. Officials said the meeting lasted three hours.

"We are not ready to sign anything today," the deputy minister told reporters. He added that a ceasefire "must start with the crossings."

A spokesman for the other side disagreed. The proposal, he said, was a step back. Nobody expects a quick result.

- Aid convoys remain blocked at the northern bridge.
- Talks resume on Friday in the capital.

Observers noted that neither side has moved since the winter. The next round will test both delegations.
"""

SECOND_MD = """\
---
title: Grain corridor review
source: Example Institute
published: 2025-02-11
---

# Grain corridor review

Shipments rose for the third month in a row. Insurers remain cautious.
"""


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the user's config or writes outside its temporary folder."""
    monkeypatch.setenv("BRIEFING_TUI_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh database in the test's temporary folder."""
    db = Store(tmp_path / "briefings.db")
    yield db
    db.close()


@pytest.fixture
def briefing_file(tmp_path: Path) -> Path:
    """The sample briefing as a Markdown file."""
    folder = tmp_path / "docs"
    folder.mkdir()
    path = folder / "river-crossing.md"
    path.write_text(BRIEFING_MD, encoding="utf-8")
    return path


@pytest.fixture
def briefing_id(store: Store, briefing_file: Path) -> str:
    """The sample briefing imported into ``store``."""
    [result] = import_paths(store, [briefing_file])
    return result.briefing_id


@pytest.fixture
def second_briefing_id(store: Store, tmp_path: Path, briefing_id: str) -> str:
    """A second, smaller briefing (the library has two rows)."""
    path = tmp_path / "docs" / "grain.md"
    path.write_text(SECOND_MD, encoding="utf-8")
    [result] = import_paths(store, [path])
    return result.briefing_id


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    """Where the app under test reads its keymap (absent unless a test writes it)."""
    return tmp_path / "config.toml"


@pytest.fixture
def make_app(store: Store, config_path: Path) -> Callable[..., object]:
    """Build a ``BriefingApp`` on the test store: ``make_app(open_briefing_id=None)``."""
    from briefing_tui.ui.app import BriefingApp

    def build(open_briefing_id: str | None = None) -> BriefingApp:
        return BriefingApp(store, open_briefing_id, config_path=config_path)

    return build


def offset_of(store: Store, briefing_id: str, needle: str) -> int:
    """Where ``needle`` starts in the reading text of a briefing."""
    text = store.get_briefing(briefing_id).document.text
    offset = text.find(needle)
    assert offset >= 0, f"{needle!r} not in the reading text"
    return offset


async def type_text(pilot, text: str) -> None:
    """Type ``text`` key by key (spaces as ``space``)."""
    keys = {" ": "space", "#": "number_sign", "/": "slash", ".": "full_stop", ",": "comma"}
    await pilot.press(*[keys.get(ch, ch) for ch in text])


