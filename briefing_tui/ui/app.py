"""The Textual application: screens, global keys, the user keymap and app-wide flows.

``BriefingApp(store).run()`` opens the library; with ``open_briefing_id`` it opens that
briefing in the reader instead (escape goes to the library).

Global bindings:

| key | id | action |
| --- | --- | --- |
| ctrl+q | app.quit | quit |
| ? | app.help | help with every key |
| ctrl+p | app.command_palette | command palette (export, speakers, orphans, help) |
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.signal import Signal

from briefing_tui.core.errors import ImportRefused, StoreError
from briefing_tui.core.models import BriefingInfo, Speaker
from briefing_tui.core.safetext import safe_display, safe_line
from briefing_tui.core.schema import READING_HEAD
from briefing_tui.core.sources import SourceWatch, describe_reimport
from briefing_tui.core.store import Store
from briefing_tui.core.titles import shorten
from briefing_tui.ui.commands import BriefingCommands
from briefing_tui.ui.driver import terminal_driver
from briefing_tui.ui.keymap import KeymapError, default_config_path, load_keymap
from briefing_tui.ui.messages import USER_ERRORS, ShowStatus, StoreChange, one_line
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.startup_gc import StartupGC

# The reader, help, pickers, importer and exporter are imported where they are first used:
# the library (what the app starts on) needs none of them, and importing them costs start-up
# time.
if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from briefing_tui.ui.screens.reader import ReaderScreen

WORKERS = "store-io"  # the group of the app's thread workers (re-import, export)
# The export prompt names the briefing by its title cut to this many characters.
EXPORT_PROMPT_TITLE = 60
PURGE_AFTER_DAYS = 30  # a briefing deleted from the library is dropped for good this much later


def slugify(title: str, fallback: str = "briefing") -> str:
    """A file-name-safe slug of a title.

    >>> slugify("Kremlin signals: no quick truce!")
    'kremlin-signals-no-quick-truce'
    >>> slugify("Брифінг МЗС")
    'брифінг-мзс'
    """
    text = unicodedata.normalize("NFKC", title).lower()
    slug = re.sub(r"[^\w]+", "-", text).strip("-_")
    return slug[:80].rstrip("-_") or fallback


class BriefingApp(App[None]):
    """Read briefings and annotate them from the keyboard; everything saved to ``store``."""

    TITLE = "briefing-tui"
    COMMANDS: ClassVar = App.COMMANDS | {BriefingCommands}
    # Two screen stacks: "start" holds the first screen (get_default_screen: a reader
    # opened from the command line, else the library); "library" takes over when that
    # reader goes back (show_library). Switching modes and removing "start" frees that
    # reader with public API: switch_screen from the first screen pops a result callback
    # it never had (textual#2650).
    DEFAULT_MODE: ClassVar[str] = "start"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        Binding("question_mark", "help", "Help", id="app.help"),
        # Declared here (rather than left to Textual) so it has an id and shows in help.
        Binding("ctrl+p", "command_palette", "Commands", id="app.command_palette",
                show=False, priority=True),
    ]

    def __init__(
        self,
        store: Store,
        open_briefing_id: str | None = None,
        *,
        config_path: Path | None = None,
    ) -> None:
        super().__init__(driver_class=terminal_driver())  # survives stray input bytes
        self.store = store
        self.open_briefing_id = open_briefing_id
        self.config_path = config_path
        self.user_keymap: dict[str, str] = {}  # as read from the config file (help shows it)
        # The changed-file check; an unchanged file (same stat as when last read, kept in
        # the database) costs a stat, not a hash.
        self.sources = SourceWatch(store)
        self._startup_error: BaseException | None = None  # reading the first briefing failed
        self.startup_gc = StartupGC()
        # Published when the store changes outside the screen showing it; readers subscribe.
        self.store_changed: Signal[StoreChange] = Signal(self, "store-changed")
        self.add_mode("library", LibraryScreen)

    # -- start-up ---------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The first screen: the briefing asked for on the command line, else the library.

        As Textual's default screen it is composed with the app and shown by its first
        frame; a screen pushed from ``on_mount`` (or the base screen of a registered mode)
        would be rendered once inside Textual's start-up batch (thrown away), then again.
        The changed-file check (hashing a file of megabytes, in a worker) waits until the
        text is on screen; escape from this reader shows the library in its place
        (:meth:`show_library`).
        """
        if self.open_briefing_id is not None:
            try:
                reader = self._reader_screen(self.open_briefing_id)
            except USER_ERRORS as error:
                self._startup_error = error  # reported once the app is mounted
            else:
                self.call_after_refresh(self._check_source_after_open, self.open_briefing_id)
                return reader
        return LibraryScreen()

    def show_library(self) -> None:
        """Replace the first screen (a reader) by the library, and let the reader go."""
        if self.current_mode == "library":
            return
        self.switch_mode("library")
        # The first stack came from get_default_screen, under no registered mode; naming
        # it lets remove_mode prune it (its reader and document) once it is left.
        self.add_mode(self.DEFAULT_MODE, LibraryScreen)
        self.remove_mode(self.DEFAULT_MODE)

    def on_load(self) -> None:
        """Hold the garbage collector until the first screen is shown (see startup_gc)."""
        self.startup_gc.hold()

    def on_unmount(self) -> None:
        self.startup_gc.end()

    def on_mount(self) -> None:
        """Apply the user's keymap and report what went wrong opening the first screen."""
        # Once the first screen is painted and the start-up messages are handled; at the
        # latest after a second (an app that never goes idle must not grow unchecked).
        self.screen.call_after_refresh(self.startup_gc.release)
        self.set_timer(1.0, self.startup_gc.release)
        self.load_user_keymap()
        if self._startup_error is not None:
            self.report_error(self._startup_error)
        if not getattr(self.store, "readonly", False):
            self.screen.call_after_refresh(self._purge_deleted)  # not before the first frame

    @work(thread=True, group=WORKERS, exit_on_error=False)
    def _purge_deleted(self) -> None:
        """Drop for good the briefings deleted from the library over ``PURGE_AFTER_DAYS``
        ago (until then ``u`` or importing the file again brings one back). Best effort:
        a locked database purges at a later start."""
        from datetime import UTC, datetime, timedelta

        cutoff = datetime.now(UTC) - timedelta(days=PURGE_AFTER_DAYS)
        try:
            self.store.purge_deleted(cutoff.isoformat(timespec="milliseconds"))
        except USER_ERRORS:
            pass

    def load_user_keymap(self) -> None:
        """Read ``[keys]`` from the config file and apply it; a bad file is a notification."""
        path = self.config_path if self.config_path is not None else default_config_path()
        try:
            keymap = load_keymap(path)
        except KeymapError as error:
            self.notify(one_line(error), title="Config", severity="error", timeout=10)
            return
        self.user_keymap = keymap
        if keymap:
            self.set_keymap(keymap)

    # -- errors -----------------------------------------------------------------------

    def notify(self, message: str, *, title: str = "",
               severity: SeverityLevel = "information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Textual's notification, for messages that carry data (titles, speaker names,
        paths, typed text): always plain text, never markup (``markup`` is ignored),
        with controls shown as placeholders (core/safetext.py). Thread-safe as Textual's.
        """
        super().notify(safe_display(message), title=safe_line(title), severity=severity,
                       timeout=timeout, markup=False)

    def report_error(self, error: BaseException) -> None:
        """Show a user error as a one-line notification (and in the status line of the
        screen on top, if it has one)."""
        message = one_line(error)
        self.notify(message, severity="error", timeout=8)
        self.screen.post_message(ShowStatus(message))

    # -- navigation ---------------------------------------------------------------------

    def open_briefing(self, briefing_id: str, at: int | None = None) -> None:
        """Open a briefing in a new reader screen on top of the current one, with the
        cursor at offset ``at`` if given (a search hit), else where it was last left.

        The stored copy opens at once; the changed-file check runs meanwhile in a worker
        (a ``stat``; a hash only when size or mtime differ). When the file holds another
        text, a banner in the reader offers the re-import (``R``). A file that is gone
        opens the stored copy without a word.
        """
        try:
            info = self.store.briefing_info(briefing_id)
        except USER_ERRORS as error:
            self.report_error(error)
            return
        if info.deleted_at is not None:  # by another instance, since the library was drawn
            self.notify(f"“{info.title}” was deleted from the library", severity="warning")
            if isinstance(self.screen, LibraryScreen):
                self.screen.refresh_briefings()
            return
        if self._show_briefing(briefing_id, at=at):
            self._check_source_after_open(briefing_id)

    @work(thread=True, group=WORKERS, exit_on_error=False)
    def _check_source(self, info: BriefingInfo, then: Callable[[Path | None], None]) -> None:
        """The worker of the changed-file check: ``then(path or None)`` on the UI thread."""
        try:
            path = self.sources.changed_source(info)
        except (ImportRefused, OSError) as error:
            self.call_from_thread(self.notify, f"{one_line(error)}; showing the stored copy",
                                  severity="warning", timeout=8)
            path = None
        self.call_from_thread(then, path)

    def reimport_source(self, briefing_id: str, path: Path) -> None:
        """Re-import a briefing's changed file (``R`` on the reader's banner) in a worker;
        its readers show the new text, re-anchored, when it is done."""
        try:
            info = self.store.briefing_info(briefing_id)
        except USER_ERRORS as error:
            self.report_error(error)
            return

        def reimported(message: str) -> None:
            self.store_changed.publish(StoreChange(briefing_id, reimported=True,
                                                   message=message))

        self._reimport(info, path, reimported)

    @work(thread=True, group=WORKERS, exit_on_error=False)
    def _reimport(self, info: BriefingInfo, path: Path, then: Callable[[str], None]) -> None:
        """The worker re-importing a changed file with a store of its own thread; then, on
        the UI thread, ``then(status message)`` and the store-changed signal."""
        from briefing_tui.core.sources import reimport

        try:
            with Store(self.store.path, readonly=self.store.readonly or None) as store:
                message = describe_reimport(reimport(store, path, info.encoding))
        except USER_ERRORS as error:
            self.call_from_thread(self.report_error, error)
            message = "not re-imported: showing the stored copy"
        else:
            self.call_from_thread(self.notify, message, title="Re-import")
        self.call_from_thread(then, message)

    def _check_source_after_open(self, briefing_id: str) -> None:
        """The changed-file check of a briefing whose reader is on screen (opened at
        start-up or from a screen): a changed file puts a banner on that reader."""
        try:
            info = self.store.briefing_info(briefing_id)
        except USER_ERRORS:
            return  # the reader already shows the stored copy; its own reads report errors
        from briefing_tui.ui.screens.reader import ReaderScreen

        def checked(path: Path | None) -> None:
            for screen in self.screen_stack:
                if isinstance(screen, ReaderScreen) and screen.briefing_id == briefing_id:
                    if path is None:
                        screen.hide_source_banner()
                    else:
                        screen.source_changed(path)

        self._check_source(info, checked)

    def _show_briefing(self, briefing_id: str, message: str = "", *,
                       at: int | None = None) -> bool:
        """Push a reader for ``briefing_id``; False (and a message) if it cannot be read."""
        try:
            reader = self._reader_screen(briefing_id, message, at=at)
        except USER_ERRORS as error:
            self.report_error(error)
            return False
        self.push_screen(reader)
        return True

    def _reader_screen(self, briefing_id: str, message: str = "", *,
                       at: int | None = None) -> ReaderScreen:
        """A reader for ``briefing_id`` (raises the store's errors)."""
        from briefing_tui.ui.screens.reader import ReaderScreen

        # The reader never shows the source text: not loading it saves its size in memory.
        # Its first screen needs a screenful of the reading text; the screen reads the rest
        # once that is shown.
        briefing = self.store.get_briefing(briefing_id, with_source=False,
                                           text_head=READING_HEAD)
        return ReaderScreen(briefing_id, briefing=briefing, message=message, at=at)

    def edit_briefing(self, briefing_id: str) -> None:
        """Edit a briefing's title, source, date and URL in a form (from the library's
        ``m`` or the command palette). One undoable step of the library's (its ``u``)."""
        from briefing_tui.ui.widgets.briefing_form import BriefingEditor

        try:
            info = self.store.briefing_info(briefing_id)
        except USER_ERRORS as error:
            self.report_error(error)
            return

        def edited(fields: dict[str, str] | None) -> None:
            if not fields:
                return
            try:
                saved = self.store.set_briefing_metadata(info.id, **fields)
            except USER_ERRORS as error:
                self.report_error(error)
                return
            if saved != info:
                self.notify(f"Saved “{saved.title}” (u in the library undoes it)",
                            title="Briefing")
            self.store_changed.publish(StoreChange())
            if isinstance(self.screen, LibraryScreen):
                self.screen.refresh_briefings()

        self.push_screen(BriefingEditor(info), edited)

    def action_speakers(self) -> None:
        """``S`` in a reader: the speakers screen."""
        self.show_speakers()

    def action_matrix(self) -> None:
        """``M`` in a reader: the speaker × stance matrix of the whole library."""
        from briefing_tui.ui.screens.matrix import MatrixScreen  # not needed at start-up

        self.push_screen(MatrixScreen())

    def show_speakers(self) -> None:
        """Push the speakers screen (every speaker with counts; enter opens a dossier)."""
        from briefing_tui.ui.screens.speakers import SpeakersScreen

        if not isinstance(self.screen, SpeakersScreen):
            self.push_screen(SpeakersScreen())

    def action_help(self) -> None:
        """Show every key (after the user's keymap)."""
        from briefing_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -- export -------------------------------------------------------------------------

    def export_folder(self) -> Path:
        """Where exports are proposed: ``[export] folder`` of the config file, else
        ``<documents>/briefing-tui`` (see :mod:`briefing_tui.ui.settings`)."""
        from briefing_tui.ui.settings import export_folder

        path = self.config_path if self.config_path is not None else default_config_path()
        return export_folder(path)

    def export_briefing(self, briefing_id: str, fmt: str = "md") -> None:
        """Ask for a path (default: the export folder, a short name from the title and
        date) and export one briefing."""
        from briefing_tui.core.export import EXPORT_FORMATS
        from briefing_tui.ui.settings import export_name

        try:
            info = self.store.briefing_info(briefing_id)
        except USER_ERRORS as error:
            self.report_error(error)
            return
        # Titles are stored whole (a lede's first sentence can fill the dialog): cut here.
        shown = shorten(info.title, EXPORT_PROMPT_TITLE)
        self._export_flow(f"Export “{shown}” as {EXPORT_FORMATS[fmt].label} to",
                          export_name(slugify(info.title), info.published, fmt),
                          [briefing_id], fmt)

    def export_all(self, fmt: str = "md") -> None:
        """Ask for a path and export every briefing to one file."""
        from briefing_tui.core.export import EXPORT_FORMATS

        self._export_flow(f"Export all briefings as {EXPORT_FORMATS[fmt].label} to",
                          f"briefings.{fmt}", None, fmt)

    def _export_flow(self, prompt: str, name: str, briefing_ids: list[str] | None,
                     fmt: str) -> None:
        """PathPrompt -> (ConfirmDialog when the file exists) -> export worker -> notify.

        The prompt holds the whole path, in the export folder; a relative answer is taken
        in that folder too (never the working directory the app happened to start in).
        """
        from briefing_tui.ui.widgets.pickers import ConfirmDialog, PathPrompt

        folder = self.export_folder()

        def confirmed(path: Path, ok: bool | None) -> None:
            if ok:
                self._export(briefing_ids, fmt, path, True, folder)
            else:
                self.notify("Export cancelled: the file was left as it was")

        def chosen(answer: str | None) -> None:
            if not answer or not answer.strip():
                return
            path = folder / Path(answer.strip()).expanduser()  # an absolute answer stays
            if path.is_dir():
                path = path / name
            if path.exists():
                self.push_screen(
                    ConfirmDialog(f"{path} exists. Overwrite it?"),
                    lambda ok: confirmed(path, ok),
                )
            else:
                self._export(briefing_ids, fmt, path, False, folder)

        self.push_screen(PathPrompt(prompt, str(folder / name)), chosen)

    @work(thread=True, group=WORKERS, exit_on_error=False)
    def _export(self, briefing_ids: list[str] | None, fmt: str, path: Path,
                force: bool, folder: Path | None = None) -> None:
        """The worker rendering and writing an export, with a store of its own thread
        (10k highlights take a second; the screen keeps answering keys). The export
        ``folder`` is made when the file goes there (any other missing folder is an error:
        most likely a typo)."""
        from briefing_tui.core.export import export_file

        if folder is not None and path.parent == folder:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                self.call_from_thread(self.report_error, error)
                return

        # Through the app's store: it serialises its connection with a lock and was opened
        # for any thread (see core.dbfile), and the export only reads (a few statements,
        # see core.queries); the rendering and the writing hold no lock.
        try:
            export_file(self.store, briefing_ids, path, fmt=fmt, force=force)
        except USER_ERRORS as error:
            self.call_from_thread(self.report_error, error)
            return
        self.call_from_thread(self.notify, f"Exported to {path}", title="Export")

    # -- speakers -----------------------------------------------------------------------

    def edit_speaker(self, initial: str = "", briefing_id: str | None = None) -> None:
        """Pick a speaker (or name a new one), then edit its name, role, affiliation and
        aliases. Saving is one undoable step: ``u`` in the reader of ``briefing_id`` (the
        screen it was asked from) undoes it, or in the library when None. A new speaker is
        stored only when its editor is saved."""
        from briefing_tui.ui.widgets.pickers import SpeakerEditor, SpeakerPicker

        def edited(speaker: Speaker, changes: dict | None) -> None:
            if not changes:
                return
            allowed = {"name", "role", "affiliation", "aliases"}
            fields = {key: value for key, value in changes.items() if key in allowed}
            try:
                if speaker.id:
                    saved = self.store.update_speaker(speaker.id, **fields,
                                                      undo_scope=briefing_id)
                else:
                    name = fields.pop("name", speaker.name)
                    taken = [s.name for s in self.store.speakers()
                             if s.name.casefold() == " ".join(name.split()).casefold()]
                    if taken:  # renamed in the editor to a speaker that exists
                        raise StoreError(f"another speaker is already called {taken[0]!r}")
                    saved = self.store.create_speaker(name, **fields, undo_scope=briefing_id)
            except USER_ERRORS as error:
                self.report_error(error)
                return
            self.notify(f"Saved speaker {saved.name} (u to undo)")
            self.store_changed.publish(StoreChange())

        def picked(result: Speaker | str | None) -> None:
            if result is None:
                return
            speaker = result if isinstance(result, Speaker) else Speaker("", result)
            self.push_screen(SpeakerEditor(speaker), lambda changes: edited(speaker, changes))

        try:
            speakers = self.store.speakers()
        except USER_ERRORS as error:
            self.report_error(error)
            return
        self.push_screen(SpeakerPicker(speakers, initial), picked)
