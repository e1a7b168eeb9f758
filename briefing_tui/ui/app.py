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

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from briefing_tui.core.models import BriefingInfo, Speaker
from briefing_tui.core.safetext import safe_display, safe_line
from briefing_tui.core.schema import READING_HEAD
from briefing_tui.core.store import Store
from briefing_tui.ui.commands import BriefingCommands
from briefing_tui.ui.driver import terminal_driver
from briefing_tui.ui.keymap import KeymapError, default_config_path, load_keymap
from briefing_tui.ui.messages import USER_ERRORS, one_line
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.startup_gc import StartupGC

# The reader, help, pickers, importer and exporter are imported where they are first used:
# the library (what the app starts on) needs none of them, and importing them costs start-up
# time.
if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from briefing_tui.core.importer import ImportResult
    from briefing_tui.ui.screens.reader import ReaderScreen

EXPORT_FORMATS = {"md": "Markdown", "json": "JSON", "csv": "CSV"}


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
        # (path, size, mtime_ns) -> content hash of the file on disk (see _changed_source)
        self._source_hashes: dict[tuple[str, int, int], str] = {}
        self._startup_error: BaseException | None = None  # reading the first briefing failed
        self.startup_gc = StartupGC()

    # -- start-up ---------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """The first screen: the briefing asked for on the command line, else the library.

        As Textual's default screen it is composed with the app and shown by its first
        frame; a screen pushed from ``on_mount`` would be rendered once inside Textual's
        start-up batch (thrown away), then again. The changed-file check (hashing a file
        of megabytes) waits until the text is on screen; escape from this reader shows
        the library in its place.
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
        """Show a user error as a one-line notification (and in the reader's status)."""
        from briefing_tui.ui.screens.reader import ReaderScreen

        message = one_line(error)
        self.notify(message, severity="error", timeout=8)
        screen = self.screen
        if isinstance(screen, ReaderScreen):
            screen.show_message(message)

    # -- navigation ---------------------------------------------------------------------

    def open_briefing(self, briefing_id: str) -> None:
        """Open a briefing in a new reader screen on top of the current one.

        When its file changed on disk since the import, first ask whether to re-import
        it (re-anchoring the highlights); "no" opens the stored copy. A file that is gone
        opens the stored copy without a word.
        """
        try:
            info = self.store.briefing_info(briefing_id)
        except USER_ERRORS as error:
            self.report_error(error)
            return
        path = self._changed_source(info)
        if path is None:
            self._show_briefing(briefing_id)
            return

        def answered(reimport: bool | None) -> None:
            message = self._reimport(path, info.encoding) if reimport else ""
            self._show_briefing(briefing_id, message)

        self._ask_reimport(path, answered)

    def _ask_reimport(self, path: Path, answered: Callable[[bool | None], None]) -> None:
        from briefing_tui.ui.widgets.pickers import ConfirmDialog

        self.push_screen(
            ConfirmDialog(f"{path.name}: file changed on disk — re-import and re-anchor? "
                          "(No opens the stored copy.)", title="Source changed"),
            answered,
        )

    def _reimport(self, path: Path, encoding: str = "utf-8") -> str:
        """Re-import a changed file (read with its stored ``encoding``); the reader's status
        message about it."""
        from briefing_tui.core.importer import import_paths

        try:
            [result] = import_paths(self.store, [path],
                                    encoding=None if _is_utf8(encoding) else encoding)
        except USER_ERRORS as error:
            self.report_error(error)
            return "not re-imported: showing the stored copy"
        message = describe_reimport(result)
        self.notify(message, title="Re-import")
        return message

    def _check_source_after_open(self, briefing_id: str) -> None:
        """The changed-file check of a briefing opened at start-up, over its reader.

        "Yes" re-imports and shows the new text in the same reader; "no" keeps the stored
        copy that is already on screen.
        """
        from briefing_tui.ui.screens.reader import ReaderScreen

        try:
            info = self.store.briefing_info(briefing_id)
            path = self._changed_source(info)
        except USER_ERRORS:
            return  # the reader already shows the stored copy; its own reads report errors
        if path is None:
            return

        def answered(reimport: bool | None) -> None:
            if not reimport:
                return
            message = self._reimport(path, info.encoding)
            readers = [screen for screen in self.screen_stack
                       if isinstance(screen, ReaderScreen) and screen.briefing_id == briefing_id]
            if readers:
                readers[-1].reopen(message)

        self._ask_reimport(path, answered)

    def _show_briefing(self, briefing_id: str, message: str = "") -> bool:
        """Push a reader for ``briefing_id``; False (and a message) if it cannot be read."""
        try:
            reader = self._reader_screen(briefing_id, message)
        except USER_ERRORS as error:
            self.report_error(error)
            return False
        self.push_screen(reader)
        return True

    def _reader_screen(self, briefing_id: str, message: str = "") -> ReaderScreen:
        """A reader for ``briefing_id`` (raises the store's errors)."""
        from briefing_tui.ui.screens.reader import ReaderScreen

        # The reader never shows the source text: not loading it saves its size in memory.
        # Its first screen needs a screenful of the reading text; the screen reads the rest
        # once that is shown.
        briefing = self.store.get_briefing(briefing_id, with_source=False,
                                           text_head=READING_HEAD)
        return ReaderScreen(briefing_id, briefing=briefing, message=message)

    def _changed_source(self, info: BriefingInfo) -> Path | None:
        """The briefing's file if it still exists and its text differs from the stored one.

        Hashing a big file costs time, so the hash is remembered per (size, mtime). A file
        that is gone, or can no longer be read as a briefing, is not "changed": the stored
        copy opens (with a warning in the second case).
        """
        if not info.path:
            return None
        path = Path(info.path)
        try:
            stat = path.stat()
        except OSError:
            return None  # deleted or moved after the import: the stored copy is the briefing
        key = (info.path, stat.st_size, stat.st_mtime_ns)
        digest = self._source_hashes.get(key)
        utf8 = _is_utf8(info.encoding)
        if digest is None and utf8 and _file_sha256(path) == info.content_hash:
            # Byte for byte the stored (normalised UTF-8) text: unchanged. Hashing the file in
            # chunks spares reading, decoding and normalising all of it (memory at 5 MB).
            # Only for UTF-8 files: another codec's bytes are not the UTF-8 text hashed.
            digest = self._source_hashes[key] = info.content_hash
        if digest is None:
            from briefing_tui.core.importer import ImportRefused, read_source

            try:
                digest = read_source(path, encoding=None if utf8 else info.encoding).content_hash
            except ImportRefused as error:
                self.notify(f"{one_line(error)}; showing the stored copy", severity="warning",
                            timeout=8)
                return None
            self._source_hashes[key] = digest
        return path if digest != info.content_hash else None

    def action_help(self) -> None:
        """Show every key (after the user's keymap)."""
        from briefing_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -- export -------------------------------------------------------------------------

    def export_briefing(self, briefing_id: str, fmt: str = "md") -> None:
        """Ask for a path (default ``<slug>.<fmt>`` in the CWD) and export one briefing."""
        try:
            info = self.store.briefing_info(briefing_id)
        except USER_ERRORS as error:
            self.report_error(error)
            return
        self._export_flow(
            f"Export “{info.title}” as {EXPORT_FORMATS[fmt]} to",
            f"{slugify(info.title)}.{fmt}",
            lambda: _render(self.store, [briefing_id], fmt),
        )

    def export_all(self, fmt: str = "md") -> None:
        """Ask for a path and export every briefing to one file."""
        self._export_flow(
            f"Export all briefings as {EXPORT_FORMATS[fmt]} to",
            f"briefings.{fmt}",
            lambda: _render(self.store, None, fmt),
        )

    def _export_flow(self, prompt: str, default: str, render: Callable[[], str]) -> None:
        """PathPrompt -> (ConfirmDialog when the file exists) -> atomic write -> notify."""
        from briefing_tui.core import export
        from briefing_tui.ui.widgets.pickers import ConfirmDialog, PathPrompt

        def write(path: Path, force: bool) -> None:
            try:
                export.write_atomic(path, render(), force=force)
            except USER_ERRORS as error:
                self.report_error(error)
                return
            self.notify(f"Exported to {path}", title="Export")

        def confirmed(path: Path, ok: bool | None) -> None:
            if ok:
                write(path, True)
            else:
                self.notify("Export cancelled: the file was left as it was")

        def chosen(answer: str | None) -> None:
            if not answer or not answer.strip():
                return
            path = Path(answer.strip()).expanduser()
            if not path.is_absolute():
                path = Path.cwd() / path
            if path.is_dir():
                path = path / default
            if path.exists():
                self.push_screen(
                    ConfirmDialog(f"{path} exists. Overwrite it?"),
                    lambda ok: confirmed(path, ok),
                )
            else:
                write(path, False)

        self.push_screen(PathPrompt(prompt, default), chosen)

    # -- speakers -----------------------------------------------------------------------

    def edit_speaker(self, initial: str = "") -> None:
        """Pick a speaker (or name a new one), then edit its role, affiliation and aliases."""
        from briefing_tui.ui.screens.reader import ReaderScreen
        from briefing_tui.ui.widgets.pickers import SpeakerEditor, SpeakerPicker

        def edited(speaker_id: str, changes: dict | None) -> None:
            if not changes:
                return
            allowed = {"name", "role", "affiliation", "aliases"}
            fields = {key: value for key, value in changes.items() if key in allowed}
            try:
                speaker = self.store.update_speaker(speaker_id, **fields)
            except USER_ERRORS as error:
                self.report_error(error)
                return
            self.notify(f"Saved speaker {speaker.name}")
            screen = self.screen
            if isinstance(screen, ReaderScreen):
                screen.reload()

        def picked(result: Speaker | str | None) -> None:
            if result is None:
                return
            try:
                speaker = (
                    result if isinstance(result, Speaker) else self.store.create_speaker(result)
                )
            except USER_ERRORS as error:
                self.report_error(error)
                return
            self.push_screen(SpeakerEditor(speaker), lambda changes: edited(speaker.id, changes))

        try:
            speakers = self.store.speakers()
        except USER_ERRORS as error:
            self.report_error(error)
            return
        self.push_screen(SpeakerPicker(speakers, initial), picked)


def describe_reimport(result: ImportResult) -> str:
    """The status line after re-importing a changed file.

    >>> from briefing_tui.core.importer import ImportResult
    >>> describe_reimport(ImportResult("a.md", "b1", "Talks", "updated", 3, 1))
    're-imported: 3 highlights re-anchored, 1 orphaned (o lists orphans)'
    """
    if result.action != "updated":
        return "re-imported: the text is unchanged"
    moved = f"{result.reanchored} highlight{'s' if result.reanchored != 1 else ''} re-anchored"
    if not result.orphaned:
        return f"re-imported: {moved}"
    return f"re-imported: {moved}, {result.orphaned} orphaned (o lists orphans)"


def _is_utf8(encoding: str) -> bool:
    """Whether a stored encoding name means UTF-8 (an unknown name counts as UTF-8: the
    file is then read as an import without ``--encoding`` reads it)."""
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return True


def _file_sha256(path: Path, chunk: int = 1 << 20) -> str | None:
    """The SHA-256 of a file's bytes, read in chunks; ``None`` if it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while block := handle.read(chunk):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _render(store: Store, briefing_ids: list[str] | None, fmt: str) -> str:
    """Render briefings through the core exporter in ``fmt`` (md | json | csv)."""
    from briefing_tui.core import export

    if fmt == "json":
        return export.to_json(store, briefing_ids=briefing_ids)
    if fmt == "csv":
        return export.to_csv(store, briefing_ids=briefing_ids)
    return export.to_markdown(store, briefing_ids=briefing_ids)
