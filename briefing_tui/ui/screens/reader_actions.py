"""The annotation keys of the reader screen: highlight, stance, speaker, topics, note,
delete, undo and redo, orphans. Each changes the store through one store method, then asks the
screen to show the highlights it changed (``_changed(ids=...)``, see reader_sync). Mixed
into :class:`ReaderScreen`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from briefing_tui.core.models import Highlight, Speaker
from briefing_tui.ui.messages import USER_ERRORS
from briefing_tui.ui.screens.orphans import OrphansScreen
from briefing_tui.ui.widgets.pickers import (
    PickerDialog,
    SpeakerPicker,
    TopicsPicker,
    note_editor_for,
)

# Rows a dialog needs at the least beside the passage before the text scrolls for it.
DIALOG_ROOM = 12

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.screen import Screen

    from briefing_tui.core.attribution import Proposal
    from briefing_tui.core.document import Document
    from briefing_tui.core.store import Store
    from briefing_tui.ui.widgets.reader_view import ReaderView


def stance_bindings() -> list[BindingType]:
    """The keys 1-9 (set the stance on that hotkey) and 0 (clear it)."""
    keys: list[BindingType] = [
        Binding(str(n), f"stance({n})", f"Stance {n}", id=f"annot.stance_{n}", show=False)
        for n in range(1, 10)
    ]
    keys.append(Binding("0", "stance(0)", "Clear stance", id="annot.stance_clear", show=False))
    return keys


# A mixin of ReaderScreen: type-checked as the Screen it is mixed into.
if TYPE_CHECKING:
    _Base = Screen[None]
else:
    _Base = object


class AnnotationActions(_Base):
    """``action_*`` methods of the annotate keys (see the reader's module docstring)."""

    if TYPE_CHECKING:  # provided by ReaderScreen
        briefing_id: str
        _last_made: str | None

        @property
        def store(self) -> Store: ...
        @property
        def reader(self) -> ReaderView: ...
        @property
        def document(self) -> Document: ...
        def current_highlight(self) -> Highlight | None: ...
        def show_message(self, message: str) -> None: ...
        def report(self, error: BaseException) -> None: ...
        def _changed(self, message: str = "", ids: Iterable[str] | None = None) -> None: ...
        def sync(self) -> None: ...
        _message: str

    def _writable(self) -> bool:
        """False (with a message) when the database is read-only: no picker opens in vain."""
        if getattr(self.store, "readonly", False):
            message = "database is read-only: changes cannot be saved"
            self.app.notify(message, severity="error", timeout=8)
            self.show_message(message)
            return False
        return True

    def _target(self) -> Highlight | None:
        if not self._writable():
            return None
        current = self.current_highlight()
        if current is None:
            self.app.notify(
                "No highlight here: select text (v, s, p, \") and press enter first",
                severity="warning",
            )
        return current

    def _beside(self, dialog: PickerDialog, target: Highlight | Proposal) -> PickerDialog:
        """``dialog`` docked above or below ``target``'s passage, never over it.

        Too little room on both sides: the text first scrolls the passage up near
        the reader's top, so the box fits under it.
        """
        reader = self.reader
        height = self.app.size.height

        def gaps() -> tuple[int, int]:
            first, last = reader.rows_on_screen(target.start, target.end)
            top = reader.region.y + max(first, 0)
            bottom = reader.region.y + min(last, reader.size.height - 1)
            return top, height - bottom - 1

        above, below = gaps()
        if max(above, below) < DIALOG_ROOM:
            reader.scroll_offset_to_row(target.start, 1)
            above, below = gaps()
        dialog.keep_clear(above, below)
        return dialog

    def action_highlight(self) -> None:
        """Highlight the selection, else the sentence under the cursor."""
        if not self._writable():
            return
        reader = self.reader
        span = reader.selection
        if span is None or span[0] >= span[1]:
            span = self.document.sentence_at(reader.cursor)
        if span is None or span[0] >= span[1]:
            self.app.notify("Nothing to highlight here: select some text first",
                            severity="warning")
            return
        try:
            highlight = self.store.create_highlight(self.briefing_id, span[0], span[1])
        except USER_ERRORS as error:
            self.report(error)
            return
        self._last_made = highlight.id
        reader.clear_selection()
        self._changed(ids=(highlight.id,))

    def action_stance(self, key: int) -> None:
        """Set the stance with hotkey ``key`` (0 clears it) on the current highlight."""
        target = self._target()
        if target is None:
            return
        try:
            if key == 0:
                self.store.set_stance(target.id, None)
                message = "stance cleared"
            else:
                stance = self.store.stance_by_key(key)
                if stance is None:
                    self.app.notify(f"No stance label on key {key}", severity="warning")
                    return
                self.store.set_stance(target.id, stance.id)
                message = f"stance: {stance.name}"
        except USER_ERRORS as error:
            self.report(error)
            return
        self._changed(message, ids=(target.id,))

    def action_speaker(self) -> None:
        """Pick (or create) the speaker of the current highlight."""
        target = self._target()
        if target is None:
            return
        try:
            speakers = self.store.speakers()
        except USER_ERRORS as error:
            self.report(error)
            return

        def picked(result: Speaker | str | None) -> None:
            if result is None:
                return
            try:
                if isinstance(result, Speaker) and result.id:
                    self.store.set_speaker(target.id, result.id)
                    name = result.name
                elif isinstance(result, Speaker):  # suggested, new: made with its role
                    highlight = self.store.set_new_speaker(target.id, result.name, result.role)
                    assert highlight.speaker_id is not None
                    name = result.name
                else:  # a new name: made and set in one step, so one u takes both back
                    highlight = self.store.set_new_speaker(target.id, result)
                    assert highlight.speaker_id is not None
                    name = self.store.speaker(highlight.speaker_id).name
            except USER_ERRORS as error:
                self.report(error)
                return
            self._changed(f"speaker: {name}", ids=(target.id,))

        suggestion = self._suggestion(target, speakers)
        self.app.push_screen(
            self._beside(SpeakerPicker(speakers, suggestion=suggestion), target), picked)

    def _suggestion(self, target: Highlight, speakers: list[Speaker]) -> Proposal | None:
        """Who the attribution engine says spoke ``target``'s passage (one sentence's
        work, a few milliseconds at any briefing length), or None."""
        from briefing_tui.core.attribution import Attributor, best_at  # off the start path

        proposals = Attributor(self.document, speakers, getattr(self, "_title", "")
                               ).propose_at(target.start)
        return best_at(proposals, target.start, target.end)

    def action_topics(self) -> None:
        """Pick the topics of the current highlight (several; new ones allowed)."""
        target = self._target()
        if target is None:
            return
        try:
            all_topics = self.store.topics()
        except USER_ERRORS as error:
            self.report(error)
            return

        def picked(result: list[str] | None) -> None:
            if result is None:
                return
            try:
                saved = self.store.set_topics(target.id, result)
            except USER_ERRORS as error:
                self.report(error)
                return
            # What was saved, as the sidebar shows it (one folding: normalize_topic).
            self._changed("topics: " + (", ".join(f"#{t}" for t in saved.topics) or "none"),
                          ids=(target.id,))

        self.app.push_screen(self._beside(TopicsPicker(all_topics, target.topics), target), picked)

    def action_note(self) -> None:
        """Edit the note of the current highlight (ctrl+s saves, escape cancels)."""
        target = self._target()
        if target is None:
            return

        def edited(result: str | None) -> None:
            if result is None:
                return
            try:
                self.store.set_note(target.id, result)
            except USER_ERRORS as error:
                self.report(error)
                return
            self._changed("note saved", ids=(target.id,))

        # keeps a draft
        self.app.push_screen(self._beside(note_editor_for(self.store, target), target), edited)

    def action_delete(self) -> None:
        """Delete the current highlight (u brings it back)."""
        target = self._target()
        if target is None:
            return
        try:
            self.store.delete_highlight(target.id)
        except USER_ERRORS as error:
            self.report(error)
            return
        if self._last_made == target.id:
            self._last_made = None
        # The status line says it (no toast: a toast's frame cost ~7 ms more, and toasts
        # stacked up under quick keys; the status line is where the reader's changes show).
        self._changed("deleted (u to undo)", ids=(target.id,))

    def action_undo(self) -> None:
        """Undo the last change to this briefing's highlights."""
        self._undo_redo(redo=False)

    def action_redo(self) -> None:
        """Redo the last undone change."""
        self._undo_redo(redo=True)

    def _undo_redo(self, *, redo: bool) -> None:
        if not self._writable():
            return
        verb = "Redone" if redo else "Undone"
        try:
            description = (self.store.redo if redo else self.store.undo)(self.briefing_id)
        except USER_ERRORS as error:
            self.report(error)
            return
        if description is None:
            self.app.notify(f"Nothing to {'redo' if redo else 'undo'}")
            return
        # The highlights the step touched (None when it edited a speaker: sync checks all).
        self._changed(f"{verb.lower()}: {description}", ids=self.store.last_replayed)

    def action_orphans(self) -> None:
        """List the orphaned and changed highlights; re-attach, accept or delete one."""
        def closed(changed: bool | None) -> None:
            if changed:
                self.reader.clear_selection()
                self._message = ""  # e.g. "... 1 orphaned" after a re-import is stale now
            self.sync()

        self.app.push_screen(OrphansScreen(self.briefing_id, self.reader.selection), closed)
