"""Speaker edits are undo steps like highlight edits (issue 14.3).

Creating, renaming and changing a speaker's role, affiliation or aliases each record one
step in the scope of where it was made: the reader of a briefing (``undo(bid)``) or the
library (``undo(LIBRARY)``); ``u`` undoes exactly that, and redo puts it back. A step
another instance has overtaken is refused, as for highlights.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing_tui.core.document import Document
from briefing_tui.core.store import LIBRARY, Store, StoreError, UndoConflict

TEXT = "The minister said the talks were useful. The deputy was more careful.\n"


def add(store: Store, title: str = "Talks") -> str:
    return store.add_briefing(title=title, source="", published="", url="", path="",
                              fmt="text", source_text=TEXT,
                              document=Document(text=TEXT, fmt="text"),
                              content_hash=title).id


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Store(tmp_path / "b.db")
    yield db
    db.close()


def test_create_speaker_is_undone_and_redone_in_the_library(store: Store) -> None:
    speaker = store.create_speaker("Dmitry Peskov", role="Kremlin spokesman")
    assert store.can_undo(LIBRARY)
    assert store.undo(LIBRARY) == "create speaker"
    assert store.speakers() == []
    assert store.redo(LIBRARY) == "create speaker"
    assert store.speakers() == [speaker]
    # The existing name again: no new speaker, no step.
    assert store.undo(LIBRARY) == "create speaker"
    assert store.redo(LIBRARY) == "create speaker"
    assert store.create_speaker("dmitry  peskov") == speaker
    assert store.undo(LIBRARY) == "create speaker" and store.undo(LIBRARY) is None


def test_rename_role_affiliation_aliases_undo_and_redo(store: Store) -> None:
    speaker = store.create_speaker("Steve Witkoff")
    edited = store.update_speaker(speaker.id, name="Steven Witkoff", role="envoy",
                                  affiliation="White House", aliases=["Witkoff", "Vitkoff"])
    assert edited.aliases == ("Witkoff", "Vitkoff")
    assert store.undo(LIBRARY) == "edit speaker"
    assert store.speaker(speaker.id) == speaker
    assert store.find_speaker("Steven Witkoff") is None
    assert store.redo(LIBRARY) == "edit speaker"
    assert store.speaker(speaker.id) == edited
    assert store.find_speaker("vitkoff") == edited
    # Undo goes one step at a time: the edit, then the creation.
    assert store.undo(LIBRARY) == "edit speaker"
    assert store.undo(LIBRARY) == "create speaker"
    assert store.speakers() == []


def test_an_edit_that_changes_nothing_records_no_step(store: Store) -> None:
    speaker = store.create_speaker("Ned Price", role="spokesperson")
    store.update_speaker(speaker.id, name="Ned  Price", role=" spokesperson ")
    assert store.undo(LIBRARY) == "create speaker"
    assert store.undo(LIBRARY) is None


def test_a_speaker_edit_belongs_to_the_reader_it_was_made_in(store: Store) -> None:
    """``u`` in a reader undoes what was done there, and nothing else; the library's
    ``u`` its own steps."""
    here, there = add(store, "Here"), add(store, "There")
    library_speaker = store.create_speaker("Reporter One")
    reader_speaker = store.create_speaker("Reporter Two", undo_scope=here)
    store.create_highlight(there, 0, 12)
    store.update_speaker(library_speaker.id, role="wire", undo_scope=here)
    assert store.undo(there) == "create highlight" and store.undo(there) is None
    assert store.undo(here) == "edit speaker"
    assert store.speaker(library_speaker.id).role == ""
    assert store.undo(here) == "create speaker"
    assert [s.name for s in store.speakers()] == ["Reporter One"]
    assert store.undo(here) is None
    assert store.undo(LIBRARY) == "create speaker"
    assert store.speakers() == [] and store.undo(LIBRARY) is None
    assert store.redo(here) == "create speaker"
    assert store.find_speaker("Reporter Two") == reader_speaker


def test_naming_a_new_speaker_on_a_highlight_is_one_step(store: Store) -> None:
    bid = add(store)
    hid = store.create_highlight(bid, 0, 12).id
    highlight = store.set_new_speaker(hid, "  Dmitry   Peskov ")
    speaker = store.find_speaker("Dmitry Peskov")
    assert speaker is not None and highlight.speaker_id == speaker.id
    assert store.undo(bid) == "set speaker"
    assert store.highlight(hid).speaker_id is None
    assert store.speakers() == []  # the speaker it made went with it
    assert store.redo(bid) == "set speaker"
    assert store.highlight(hid).speaker_id == speaker.id
    # An existing name is only set, not made again.
    other = store.create_highlight(bid, 41, 60).id
    store.set_new_speaker(other, "dmitry peskov")
    assert store.undo(bid) == "set speaker"
    assert store.find_speaker("Dmitry Peskov") == speaker
    with pytest.raises(StoreError, match="needs a name"):
        store.set_new_speaker(hid, "   ")


def test_undo_refused_when_another_instance_edited_the_speaker(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with Store(path) as a, Store(path) as b:
        speaker = a.create_speaker("Maria Zakharova")
        a.update_speaker(speaker.id, role="spokeswoman")
        b.update_speaker(speaker.id, affiliation="Foreign Ministry")
        with pytest.raises(UndoConflict, match="changed that speaker since"):
            a.undo(LIBRARY)
        assert a.speaker(speaker.id).affiliation == "Foreign Ministry"
        assert a.speaker(speaker.id).role == "spokeswoman"


def test_undoing_a_creation_never_clears_another_highlights_speaker(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    with Store(path) as a, Store(path) as b:
        bid = add(a)
        speaker = a.create_speaker("Reporter One")
        theirs = b.create_highlight(bid, 0, 12).id
        b.set_speaker(theirs, speaker.id)
        with pytest.raises(UndoConflict, match="changed that speaker since"):
            a.undo(LIBRARY)
        assert a.highlight(theirs).speaker_id == speaker.id
