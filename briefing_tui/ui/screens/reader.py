"""The reader screen: the text (ReaderView), the annotation sidebar, a status line.

The screen binds widgets to a view-model (:class:`~briefing_tui.ui.briefing_view.BriefingView`,
read through core.queries); after a change it re-reads only the highlights changed and puts
them in place in the view and both panes (:mod:`~briefing_tui.ui.screens.reader_sync`).

| key | id | action |
| --- | --- | --- |
| enter | annot.highlight | highlight the selection (else the sentence under the cursor) |
| 1–9 / 0 | annot.stance_N / annot.stance_clear | set / clear the stance |
| t | annot.speaker | speaker picker |
| # | annot.topics | topics picker |
| c | annot.note | note editor |
| a | annot.review | review queue of proposed statements (reader_review) |
| x | annot.delete | delete the highlight |
| u / ctrl+r | annot.undo / annot.redo | undo / redo |
| ] / [ | annot.next_highlight / annot.previous_highlight | jump between highlights |
| / , n / N | annot.find, annot.find_next, annot.find_previous | find |
| tab | annot.toggle_focus | text ⇄ sidebar |
| e | annot.export | export this briefing to Markdown |
| o | annot.orphans | orphaned and changed highlights |
| escape | annot.back | back to the library |
| S | annot.speakers | the speakers screen |

*Current highlight* = the highlight under the cursor, else the one just made; when
the sidebar has focus, the entry selected there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from briefing_tui.core.models import Briefing, Highlight
from briefing_tui.ui.briefing_view import BriefingView
from briefing_tui.ui.messages import USER_ERRORS, ShowStatus, one_line, services
from briefing_tui.ui.screens.reader_actions import AnnotationActions, stance_bindings
from briefing_tui.ui.screens.reader_find import FindActions, FindInput
from briefing_tui.ui.screens.reader_position import ReadingPosition
from briefing_tui.ui.screens.reader_review import ReviewQueue
from briefing_tui.ui.screens.reader_source import SourceBanner
from briefing_tui.ui.screens.reader_sync import ReaderSync
from briefing_tui.ui.widgets.reader_view import ReaderView
from briefing_tui.ui.widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from briefing_tui.core.document import Document
    from briefing_tui.core.store import Store

__all__ = ["FindInput", "ReaderScreen"]

POLL_SECONDS = 1.5  # how often to look for changes made by another instance
NARROW_WIDTH = 64  # below this many columns the sidebar hides; tab swaps text and sidebar


class ReaderScreen(AnnotationActions, FindActions, ReadingPosition, ReviewQueue, SourceBanner,
                   ReaderSync, Screen[None]):
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
    /* A key group's name ("v s p \" Select"), set off from the next key. */
    ReaderScreen > Footer.-compact FooterLabel { margin: 0 1 0 0; }
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
        *stance_bindings(),
        Binding("t", "speaker", "Speaker", id="annot.speaker"),
        Binding("number_sign", "topics", "Topics", id="annot.topics", show=False),
        Binding("c", "note", "Note", id="annot.note"),
        Binding("a", "review", "Review", id="annot.review"),
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
        Binding("M", "app.matrix", "Matrix", id="annot.matrix", show=False),
        Binding("escape", "back", "Library", id="annot.back", show=False),
        Binding("S", "app.speakers", "Speakers", id="annot.speakers", show=False),
        Binding("ctrl+f", "search", "Search all", id="annot.search", show=False),
        Binding("R", "reimport_source", "Re-import", id="annot.reimport", show=False),
    ]

    def __init__(self, briefing_id: str, *, briefing: Briefing | None = None,
                 message: str = "", at: int | None = None) -> None:
        """Open ``briefing_id``; pass ``briefing`` when the caller already loaded it
        (``BriefingApp.open_briefing`` does, so a bad id is a message, not a crash).
        ``message`` starts in the status line (e.g. what a re-import did); ``at`` is where
        the cursor starts (a search hit, a dossier's highlight), instead of where the
        briefing was left."""
        super().__init__()
        self.briefing_id = briefing_id
        self.open_at = at
        self._briefing = briefing
        self.view = BriefingView()  # what the panes show (see reader_sync)
        self._last_made: str | None = None
        self._message = message
        self._data_version: int | None = None
        self._changed_meanwhile: set[str] = set()  # see ReaderSync.open_view
        self._resync = False
        self._poll_timer: Timer | None = None
        self._follow_pending = False  # the sidebar follows the cursor after the next frame

    # -- set-up -------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The app's store."""
        return services(self.app).store

    def compose(self) -> ComposeResult:
        briefing = self._briefing or self.store.get_briefing(self.briefing_id)
        self._briefing = briefing
        self._title = briefing.title
        # The order matters (see DEFAULT_CSS); the find line is mounted on the first `/`
        # and the footer once the text is on screen: the first screen waits for neither.
        yield Static("", id="status")
        yield Sidebar(id="sidebar")
        # Kept for save_position (reader_position), which may run while unmounting.
        self._text_pane = ReaderView(briefing.document, id="reader")
        yield self._text_pane

    def on_mount(self) -> None:
        self._restore_position()  # or at ``open_at`` (a search hit, a dossier's highlight)
        self.open_view()  # the highlights (of a long list, those around the cursor first)
        services(self.app).store_changed.subscribe(self, self._store_changed)
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
        return self.view.highlights

    # -- loading ------------------------------------------------------------------------

    def on_show_status(self, message: ShowStatus) -> None:
        """The app reports something (an error) to the screen on top."""
        self.show_message(message.text)

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
        self._message = message
        self.reload()  # a new text: every mark anew

    # -- status -------------------------------------------------------------------------

    def update_status(self) -> None:
        """Title · position % · find matches · highlights · orphans · changed · last
        message."""
        line = self.view.status_line(
            title=self._title, percent=self.reader.percent, width=self.size.width or 80,
            found=self.find_status(), readonly=getattr(self.store, "readonly", False),
            message=self._message)
        # The status line is one row high: its text never changes the layout, so skip the
        # screen-wide layout pass a plain update() would cost on every key.
        # Content, not a str: a str is read as markup ("[b]" in a title or a name).
        status = Content(line)
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

    # -- the current highlight --------------------------------------------------------

    def _current_in_text(self) -> Highlight | None:
        return self.view.covering(self.reader.cursor) or self.view.get(self._last_made)

    def current_highlight(self) -> Highlight | None:
        """The highlight the annotate keys act on (see the module docstring)."""
        if self.sidebar.has_focus:
            return self.view.get(self.sidebar.selected_id)
        return self._current_in_text()

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
        self.read_around()  # a long list still being read: what the cursor is over now
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
        highlight = self.view.get(event.highlight_id)
        if highlight is None:
            return
        if self.view.is_orphaned(highlight.id):
            self.app.notify(
                "This highlight is orphaned: its text is gone. o lists orphans to re-attach.",
                severity="warning",
            )
            return
        self.reader.move_cursor(highlight.start, center="if_hidden")
        self.reader.focus()

    # -- focus, export, orphans, back -------------------------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """On a narrow screen the pane with the keys is the one shown."""
        if event.widget is self.sidebar:
            self.add_class("-sidebar-shown")
        elif event.widget is self.reader:
            self.remove_class("-sidebar-shown")

    def action_toggle_focus(self) -> None:
        """Move the keys between the text and the sidebar (the review queue while open)."""
        if self.sidebar.has_focus or self.review_focused:
            self.reader.focus()
        elif not self.review_focus():
            current = self._current_in_text() or self._nearest_highlight()
            if current is not None:
                self.sidebar.select_highlight(current.id)
            self.sidebar.focus()

    def _nearest_highlight(self) -> Highlight | None:
        return self.view.nearest(self.reader.cursor)

    def action_export(self, fmt: str = "md") -> None:
        """Export this briefing (PathPrompt, confirm before overwriting)."""
        services(self.app).export_briefing(self.briefing_id, fmt)

    def action_back(self) -> None:
        """Back to the library."""
        bar = self.query("#find-bar")
        if bar and bar.first().display:
            self.close_find()
            return
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:  # opened from the command line: the library takes its place
            services(self.app).show_library()
