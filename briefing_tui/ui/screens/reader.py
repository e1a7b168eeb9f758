"""The reader screen: the text (ReaderView), the annotation sidebar, a status line.

The screen owns the annotation keys; it changes highlights only through the store
and, after every change, reloads them and pushes them to both panes at once.

| key | id | action |
| --- | --- | --- |
| enter | annot.highlight | highlight the selection (else the sentence under the cursor) |
| 1–9 / 0 | annot.stance_N / annot.stance_clear | set / clear the stance |
| t | annot.speaker | speaker picker |
| # | annot.topics | topics picker |
| c | annot.note | note editor |
| x | annot.delete | delete the highlight |
| u / ctrl+r | annot.undo / annot.redo | undo / redo |
| ] / [ | annot.next_highlight / annot.previous_highlight | jump between highlights |
| / , n / N | annot.find, annot.find_next, annot.find_previous | find |
| tab | annot.toggle_focus | text ⇄ sidebar |
| e | annot.export | export this briefing to Markdown |
| o | annot.orphans | orphaned and changed highlights |
| escape | annot.back | back to the library |

*Current highlight* = the highlight under the cursor, else the one just made; when
the sidebar has focus, the entry selected there.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING, ClassVar, cast

from rich.cells import cell_len, set_cell_size
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from briefing_tui.core.models import ORPHANED, Briefing, Highlight, Speaker
from briefing_tui.core.safetext import safe_line
from briefing_tui.ui.messages import USER_ERRORS, one_line
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.screens.orphans import OrphansScreen
from briefing_tui.ui.widgets.pickers import SpeakerPicker, TopicsPicker, note_editor_for
from briefing_tui.ui.widgets.promptbar import PromptBar
from briefing_tui.ui.widgets.reader_view import ReaderView
from briefing_tui.ui.widgets.row_painter import HighlightMark
from briefing_tui.ui.widgets.safeinput import SafeInput
from briefing_tui.ui.widgets.sidebar import Sidebar, SidebarEntry

if TYPE_CHECKING:
    from briefing_tui.core.document import Document
    from briefing_tui.core.store import Store
    from briefing_tui.ui.app import BriefingApp

POLL_SECONDS = 1.5  # how often to look for changes made by another instance
NARROW_WIDTH = 64  # below this many columns the sidebar hides; tab swaps text and sidebar


class FindInput(SafeInput):
    """The find line: enter jumps to the next match, escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel find", id="annot.find_cancel", show=False),
    ]

    def action_cancel(self) -> None:
        """Hide the find line without searching."""
        screen = self.screen
        if isinstance(screen, ReaderScreen):
            screen.close_find()


def _stance_bindings() -> list[BindingType]:
    keys: list[BindingType] = [
        Binding(str(n), f"stance({n})", f"Stance {n}", id=f"annot.stance_{n}", show=False)
        for n in range(1, 10)
    ]
    keys.append(Binding("0", "stance(0)", "Clear stance", id="annot.stance_clear", show=False))
    return keys


class ReaderScreen(Screen[None]):
    """One briefing: ReaderView (left), Sidebar (right), status line, footer."""

    # A narrow terminal (down to 40 columns) keeps the text readable: the sidebar hides and
    # tab shows it in the text's place (the class follows the focus, see on_descendant_focus).
    # Textual's Screen declares it `ClassVar[list[...]] | None`, which mypy reads
    # as an instance variable; redeclaring it as a ClassVar is reported as an override.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [  # type: ignore[misc]
        (0, "-narrow"), (NARROW_WIDTH, "-wide")]
    # No container: the rows along the edges are `split` off the screen (Textual's
    # KeyPanel does the same), and the reader fills what is left. Each widget on screen
    # renders all its rows, even one its children cover: a Horizontal made the first
    # screen 10% slower. Split widgets take their edge in DOM order, so the footer comes
    # first (the bottom row), then the status line, then the find line above it.
    DEFAULT_CSS = """
    #reader {
        height: 1fr;
    }
    #sidebar {
        split: right;
        width: 30%;
        min-width: 24;
        height: 1fr;
    }
    ReaderScreen > Footer, #find-bar {
        split: bottom;
    }
    #status {
        split: bottom;
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    ReaderScreen.-narrow #sidebar { display: none; }
    ReaderScreen.-narrow.-sidebar-shown #sidebar { display: block; split: none; width: 1fr; }
    ReaderScreen.-narrow.-sidebar-shown #reader { display: none; }
    """

    AUTO_FOCUS = "#reader"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "highlight", "Highlight", id="annot.highlight"),
        *_stance_bindings(),
        Binding("t", "speaker", "Speaker", id="annot.speaker"),
        Binding("number_sign", "topics", "Topics", id="annot.topics", show=False),
        Binding("c", "note", "Note", id="annot.note"),
        Binding("x", "delete", "Delete", id="annot.delete", show=False),
        Binding("u", "undo", "Undo", id="annot.undo", show=False),
        Binding("ctrl+r", "redo", "Redo", id="annot.redo", show=False),
        Binding("right_square_bracket", "next_highlight", "Next highlight",
                id="annot.next_highlight", show=False),
        Binding("left_square_bracket", "previous_highlight", "Previous highlight",
                id="annot.previous_highlight", show=False),
        Binding("slash", "find", "Find", id="annot.find"),
        Binding("n", "find_next", "Next match", id="annot.find_next", show=False),
        Binding("N", "find_previous", "Previous match", id="annot.find_previous", show=False),
        Binding("tab", "toggle_focus", "Sidebar", id="annot.toggle_focus", show=False),
        Binding("e", "export", "Export", id="annot.export", show=False),
        Binding("o", "orphans", "Orphans", id="annot.orphans", show=False),
        Binding("escape", "back", "Library", id="annot.back", show=False),
    ]

    def __init__(self, briefing_id: str, *, briefing: Briefing | None = None,
                 message: str = "") -> None:
        """Open ``briefing_id``; pass ``briefing`` when the caller already loaded it
        (``BriefingApp.open_briefing`` does, so a bad id is a message, not a crash).
        ``message`` starts in the status line (e.g. what a re-import did)."""
        super().__init__()
        self.briefing_id = briefing_id
        self._briefing = briefing
        self._highlights: list[Highlight] = []
        self._anchored_list: list[Highlight] = []
        self._changed_count = 0  # anchored on changed text: counted once per reload
        self._starts: list[int] = []
        self._longest = 0
        self._by_id: dict[str, Highlight] = {}
        self._last_made: str | None = None
        self._message = message
        self._data_version: int | None = None
        self._poll_timer: Timer | None = None
        self._follow_pending = False  # the sidebar follows the cursor after the next frame

    # -- set-up -------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The app's store."""
        return cast("BriefingApp", self.app).store

    def compose(self) -> ComposeResult:
        briefing = self._briefing or self.store.get_briefing(self.briefing_id)
        self._briefing = briefing
        self._title = briefing.title
        # The order matters (see DEFAULT_CSS); the find line is mounted on the first `/`
        # and the footer once the text is on screen: the first screen waits for neither.
        yield Static("", id="status")
        yield Sidebar(id="sidebar")
        yield ReaderView(briefing.document, id="reader")

    def on_mount(self) -> None:
        self.reload()
        self._poll_timer = self.set_interval(POLL_SECONDS, self.poll_store)
        self.call_after_refresh(self._mount_footer)
        self.call_after_refresh(self._read_whole_text)

    def _read_whole_text(self) -> None:
        """A briefing opened by its head (see Store.get_briefing) reads the rest of its text
        now that the first screen is up, so that no key waits for it."""
        document = self.document
        if document.text_loaded:
            return
        try:
            document.text  # noqa: B018 - reading it is the point
        except USER_ERRORS + (ValueError,) as error:  # re-imported meanwhile elsewhere
            self.reopen(one_line(error))

    async def _mount_footer(self) -> None:
        if self.is_attached and not self.query(Footer):
            # Compact, and without the palette key: the reader, the screen and the app all
            # put keys in it and 100 columns must hold the annotation workflow (help lists
            # the rest). The bottom row: first of the split widgets (see DEFAULT_CSS).
            await self.mount(Footer(compact=True, show_command_palette=False),
                             before="#status")
            self.refresh_bindings()  # a footer shows its keys when the bindings change

    def on_screen_resume(self) -> None:
        """Back from a modal or from another screen: the db may have changed meanwhile."""
        self.poll_store()

    @property
    def reader(self) -> ReaderView:
        """The text pane."""
        return self.query_one("#reader", ReaderView)

    @property
    def sidebar(self) -> Sidebar:
        """The annotation list."""
        return self.query_one("#sidebar", Sidebar)

    @property
    def document(self) -> Document:
        """The reading document of this briefing."""
        return self.reader.document

    @property
    def highlights(self) -> list[Highlight]:
        """Every highlight of the briefing as last loaded (anchored ones by position)."""
        return list(self._highlights)

    # -- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read highlights, speakers and stances; redraw the text, sidebar and status."""
        store = self.store
        try:
            highlights = store.highlights(self.briefing_id)
            stances = {stance.id: stance for stance in store.stances()}
            speakers = {speaker.id: speaker for speaker in store.speakers()}
            self._data_version = store.data_version()
        except USER_ERRORS as error:
            self.report(error)
            return
        anchored = sorted(
            (h for h in highlights if h.status != ORPHANED), key=lambda h: (h.start, h.end)
        )
        orphans = [h for h in highlights if h.status == ORPHANED]
        self._highlights = anchored + orphans
        self._by_id = {h.id: h for h in self._highlights}
        # For cheap per-key lookups (cursor moves, ]/[): sorted starts and the longest span.
        self._anchored_list = anchored
        self._changed_count = sum(h.changed for h in anchored)
        self._starts = [h.start for h in anchored]
        self._longest = max((h.end - h.start for h in anchored), default=0)
        if self._last_made not in self._by_id:
            self._last_made = None

        marks = [
            HighlightMark(
                id=h.id,
                start=h.start,
                end=h.end,
                color=stances[h.stance_id].color if h.stance_id in stances else None,
                has_speaker=h.speaker_id is not None,
            )
            for h in anchored
        ]
        entries = [
            SidebarEntry(
                highlight_id=h.id,
                quote=h.exact,
                speaker=speakers[h.speaker_id].name if h.speaker_id in speakers else "",
                stance=stances[h.stance_id].name if h.stance_id in stances else "",
                color=stances[h.stance_id].color if h.stance_id in stances else None,
                topics=tuple(h.topics),
                has_note=bool(h.note.strip()),
                orphaned=h.status == ORPHANED,
                changed=h.changed,
            )
            for h in self._highlights
        ]
        self.reader.set_highlights(marks)
        sidebar = self.sidebar
        keep = sidebar.selected_id if sidebar.has_focus else None
        sidebar.set_entries(entries)
        if keep not in self._by_id:
            current = self._current_in_text()
            keep = current.id if current is not None else None
        sidebar.select_highlight(keep)
        self.update_status()

    def reopen(self, message: str = "") -> None:
        """Show the briefing's text as stored now (after a re-import), then its highlights."""
        try:
            briefing = self.store.get_briefing(self.briefing_id, with_source=False)
        except USER_ERRORS as error:
            self.report(error)
            return
        self._briefing = briefing
        self._title = briefing.title
        self.reader.set_document(briefing.document)
        self._changed(message)

    def poll_store(self) -> None:
        """Reload when another process committed to the database since our last read."""
        try:
            version = self.store.data_version()
        except USER_ERRORS:
            return  # a transient lock: try again at the next tick
        if version != self._data_version:
            self._message = ""  # it may name a stance or note another instance changed since
            self.reload()
        else:
            self.update_status()  # the position % also moves with mouse scrolling

    # -- status -------------------------------------------------------------------------

    def update_status(self) -> None:
        """Title · position % · highlights · orphans · changed · last message."""
        anchored = len(self._anchored_list)
        orphans = len(self._highlights) - anchored
        parts = [
            safe_line(self._title),  # measured below: placeholders first
            f"{self.reader.percent}%",
            f"{anchored} highlight{'s' if anchored != 1 else ''}",
        ]
        if orphans:
            parts.append(f"{orphans} orphan{'s' if orphans != 1 else ''} (o)")
        if self._changed_count:
            parts.append(f"{self._changed_count} changed (o)")
        if getattr(self.store, "readonly", False):
            parts.append("read-only database")
        if self._message:
            parts.append(self._message)
        # The title gives way: position, counts and messages must always be readable.
        tail = " · " + " · ".join(parts[1:])
        room = max(12, (self.size.width or 80) - cell_len(tail) - 2)
        if cell_len(parts[0]) > room:
            parts[0] = set_cell_size(parts[0], room - 1) + "…"
        # The status line is one row high: its text never changes the layout, so skip the
        # screen-wide layout pass a plain update() would cost on every key.
        # Content, not a str: a str is read as markup ("[b]" in a title or a name).
        status = Content(safe_line(" · ".join(parts)))
        self.query_one("#status", Static).update(status, layout=False)

    def on_resize(self) -> None:
        """The status line shortens the title to the new width."""
        if self.is_mounted and self.query("#status"):
            self.update_status()

    def show_message(self, message: str) -> None:
        """Put ``message`` in the status line (until the next successful change)."""
        self._message = message
        self.update_status()

    def report(self, error: BaseException) -> None:
        """A user error: notification plus status message, never a traceback."""
        message = one_line(error)
        self.app.notify(message, severity="error", timeout=8)
        self.show_message(message)

    def _changed(self, message: str = "") -> None:
        self._message = message
        self.reload()

    # -- the current highlight --------------------------------------------------------

    def _current_in_text(self) -> Highlight | None:
        cursor = self.reader.cursor
        # Only highlights starting in [cursor - longest, cursor] can cover the cursor.
        high = bisect_right(self._starts, cursor)
        low = bisect_left(self._starts, cursor - self._longest, 0, high)
        covering = [h for h in self._anchored_list[low:high] if cursor < h.end]
        if covering:
            # Nested highlights: the innermost is the one the reader sees on top.
            return min(covering, key=lambda h: (h.end - h.start, -h.start))
        if self._last_made is not None:
            return self._by_id.get(self._last_made)
        return None

    def current_highlight(self) -> Highlight | None:
        """The highlight the annotate keys act on (see the module docstring)."""
        if self.sidebar.has_focus:
            selected = self.sidebar.selected_id
            return self._by_id.get(selected) if selected is not None else None
        return self._current_in_text()

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

    # -- reader and sidebar events --------------------------------------------------------

    @on(ReaderView.CursorMoved)
    def _cursor_moved(self, event: ReaderView.CursorMoved) -> None:
        # The text's frame goes out first; the sidebar and the status line follow in the
        # next one. Scrolling the list repaints all its rows, and a key (or a held key's
        # repeats) must not wait for that: once per frame, whatever the number of moves.
        if not self._follow_pending:
            self._follow_pending = True
            self.call_after_refresh(self._follow_cursor)

    def _follow_cursor(self) -> None:
        self._follow_pending = False
        if not self.is_attached:
            return
        current = self._current_in_text()
        sidebar = self.sidebar
        if not sidebar.has_focus:
            sidebar.select_highlight(current.id if current else None)
            nearest = self._nearest_highlight() if current is None else None
            if nearest is not None:  # the list keeps pace with the text read
                sidebar.reveal(nearest.id)
        self.update_status()

    @on(Sidebar.Activated)
    def _sidebar_activated(self, event: Sidebar.Activated) -> None:
        highlight = self._by_id.get(event.highlight_id)
        if highlight is None:
            return
        if highlight.status == ORPHANED:
            self.app.notify(
                "This highlight is orphaned: its text is gone. o lists orphans to re-attach.",
                severity="warning",
            )
            return
        self.reader.move_cursor(highlight.start, center="if_hidden")
        self.reader.focus()

    # -- annotation actions -------------------------------------------------------------

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
        self._changed()

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
        self._changed(message)

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
                speaker = (
                    result if isinstance(result, Speaker) else self.store.create_speaker(result)
                )
                self.store.set_speaker(target.id, speaker.id)
            except USER_ERRORS as error:
                self.report(error)
                return
            self._changed(f"speaker: {speaker.name}")

        self.app.push_screen(SpeakerPicker(speakers), picked)

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
                self.store.set_topics(target.id, result)
            except USER_ERRORS as error:
                self.report(error)
                return
            self._changed("topics: " + (", ".join(result) or "none"))

        self.app.push_screen(TopicsPicker(all_topics, target.topics), picked)

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
            self._changed("note saved")

        self.app.push_screen(note_editor_for(self.store, target), edited)  # keeps a draft

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
        self.app.notify("Highlight deleted (u to undo)")
        self._changed("deleted")

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
        self.app.notify(f"{verb}: {description}")
        self._changed(f"{verb.lower()}: {description}")

    # -- moving between highlights --------------------------------------------------------

    def action_next_highlight(self) -> None:
        """Move the cursor to the start of the next highlight."""
        index = bisect_right(self._starts, self.reader.cursor)
        if index >= len(self._anchored_list):
            self.app.notify("No highlight after the cursor")
            return
        self._go_to(self._anchored_list[index])

    def action_previous_highlight(self) -> None:
        """Move the cursor to the start of the previous highlight."""
        index = bisect_left(self._starts, self.reader.cursor) - 1
        if index < 0:
            self.app.notify("No highlight before the cursor")
            return
        start = self._starts[index]
        # Several highlights may start there: the first of them (the longest sorts last).
        self._go_to(self._anchored_list[bisect_left(self._starts, start)])

    def _go_to(self, highlight: Highlight) -> None:
        self.reader.move_cursor(highlight.start, center="if_hidden")
        self.sidebar.select_highlight(highlight.id)

    # -- find -----------------------------------------------------------------------------

    async def action_find(self) -> None:
        """Show the find line at the bottom and focus it."""
        if not self.query("#find-bar"):
            await self.mount(
                PromptBar(FindInput(placeholder="find in the briefing", id="find"),
                          id="find-bar"),
                after="#status",  # above it (see DEFAULT_CSS)
            )
        self.query_one("#find-bar").display = True
        field = self.query_one("#find", FindInput)
        field.value = ""
        field.focus()

    def close_find(self) -> None:
        """Hide the find line and give the keys back to the text."""
        self.query_one("#find-bar").display = False
        self.reader.focus()

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        query = event.value
        self.close_find()
        if not query:
            return
        if self.reader.find(query) is None:
            self.app.notify(f"Not found: {query}", severity="warning")
        else:
            self.update_status()

    def action_find_next(self) -> None:
        """Jump to the next match of the last search."""
        if self.reader.find_next() is None:
            self.app.notify("No more matches (/ to search)", severity="warning")

    def action_find_previous(self) -> None:
        """Jump to the previous match of the last search."""
        if self.reader.find_previous() is None:
            self.app.notify("No previous match (/ to search)", severity="warning")

    # -- focus, export, orphans, back -------------------------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """On a narrow screen the pane with the keys is the one shown."""
        if event.widget is self.sidebar:
            self.add_class("-sidebar-shown")
        elif event.widget is self.reader:
            self.remove_class("-sidebar-shown")

    def action_toggle_focus(self) -> None:
        """Move the keys between the text and the sidebar."""
        if self.sidebar.has_focus:
            self.reader.focus()
        else:
            current = self._current_in_text() or self._nearest_highlight()
            if current is not None:
                self.sidebar.select_highlight(current.id)
            self.sidebar.focus()

    def _nearest_highlight(self) -> Highlight | None:
        # Nothing under the cursor: the sidebar starts at the next highlight in the text
        # (else the last one), so enter there jumps forward as a reader expects.
        anchored = self._anchored_list
        index = bisect_left(self._starts, self.reader.cursor)
        if index < len(anchored):
            return anchored[index]
        return anchored[-1] if anchored else (self._highlights[0] if self._highlights else None)

    def action_export(self, fmt: str = "md") -> None:
        """Export this briefing (PathPrompt, confirm before overwriting)."""
        cast("BriefingApp", self.app).export_briefing(self.briefing_id, fmt)

    def action_orphans(self) -> None:
        """List the orphaned and changed highlights; re-attach, accept or delete one."""
        def closed(changed: bool | None) -> None:
            if changed:
                self.reader.clear_selection()
                self._message = ""  # e.g. "... 1 orphaned" after a re-import is stale now
            self.reload()

        self.app.push_screen(OrphansScreen(self.briefing_id, self.reader.selection), closed)

    def _pop_result_callback(self) -> None:
        # Textual gives its default screen no result callback, yet switch_screen pops one
        # (textual#2650): a reader opened from the command line is that default screen.
        if self._result_callbacks:
            super()._pop_result_callback()

    def action_back(self) -> None:
        """Back to the library."""
        bar = self.query("#find-bar")
        if bar and bar.first().display:
            self.close_find()
            return
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:  # opened from the command line: the library takes its place
            self.app.switch_screen(LibraryScreen())
