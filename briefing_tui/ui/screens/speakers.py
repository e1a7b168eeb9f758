"""The speakers screen: every speaker across the library with their counts, and speaker
management (edit, merge), each change one undoable step of the library.

| key | id | action |
| --- | --- | --- |
| enter | speakers.open | the dossier of the speaker under the cursor |
| / | speakers.filter | filter by name, alias, role or affiliation (escape clears) |
| e | speakers.edit | rename, edit role, affiliation and aliases |
| m | speakers.merge | merge another speaker (the same person) into this one |
| u / ctrl+r | speakers.undo / speakers.redo | undo / redo an edit or a merge (the library's steps) |
| escape | speakers.back | clear the filter, else back |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from briefing_tui.core import queries
from briefing_tui.core.models import Speaker, Stance
from briefing_tui.core.queries import SpeakerSummary
from briefing_tui.core.safetext import safe_line
from briefing_tui.core.undo import LIBRARY
from briefing_tui.ui.messages import USER_ERRORS, StoreChange, services
from briefing_tui.ui.screens.library import BriefingTable, fit
from briefing_tui.ui.screens.shared import cursor_row_key, replay_step
from briefing_tui.ui.widgets.promptbar import PromptBar
from briefing_tui.ui.widgets.safeinput import SafeInput

if TYPE_CHECKING:
    from briefing_tui.core.store import Store

# Cells of the text columns (DataTable adds 2 of padding each).
WIDTHS = {"Speaker": 24, "Role": 18, "Affiliation": 14, "Aliases": 16}
PENDING = "…"  # a count not read yet


def stance_style(stance: Stance) -> Style:
    """The stance's colour as a foreground style (a bad colour string: no colour)."""
    try:
        return Style(color=stance.color, bold=True)
    except Exception:  # noqa: BLE001 - rich raises ColorParseError; data is hostile
        return Style(bold=True)


def summary_cells(summary: SpeakerSummary, stances: list[Stance], *,
                  counted: bool = True) -> list[Text]:
    """One table row of a speaker: data text made safe, counts in their stance colour
    (``…`` while they are being counted)."""
    sp = summary.speaker
    cells = [Text(fit(sp.name, WIDTHS["Speaker"])), Text(fit(sp.role, WIDTHS["Role"])),
             Text(fit(sp.affiliation, WIDTHS["Affiliation"])),
             Text(fit(", ".join(sp.aliases), WIDTHS["Aliases"]))]
    if not counted:
        return cells + [Text(PENDING, style="dim", justify="right")] * (4 + len(stances))
    cells += [Text(str(summary.statements), justify="right"),
              Text(str(summary.briefings), justify="right"),
              Text(safe_line(summary.first[:10])), Text(safe_line(summary.last[:10]))]
    for stance in stances:
        count = summary.count(stance.id)
        cells.append(Text(str(count) if count else "·", justify="right",
                          style=stance_style(stance) if count else "dim"))
    return cells


class SpeakerFilter(SafeInput):
    """The filter line of the speakers screen (hidden until ``/``)."""


class SpeakersScreen(Screen[None]):
    """A table of every speaker: role, affiliation, aliases, statements, briefings, first
    and last date, and a column per stance in its colour."""

    DEFAULT_CSS = """
    #speakers-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
        text-style: bold;
    }
    #speakers-table { height: 1fr; }
    #speakers-empty { height: auto; padding: 1 2; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Dossier", id="speakers.open"),
        Binding("slash", "filter", "Filter", id="speakers.filter"),
        Binding("e", "edit", "Edit", id="speakers.edit"),
        Binding("m", "merge", "Merge", id="speakers.merge"),
        Binding("u", "undo", "Undo", id="speakers.undo"),
        Binding("ctrl+r", "redo", "Redo", id="speakers.redo", show=False),
        Binding("escape", "back", "Back", id="speakers.back"),
    ]

    def __init__(self) -> None:
        super().__init__(id="speakers")
        self._summaries: list[SpeakerSummary] = []
        self._stances: list[Stance] = []
        self.counted = False  # the counts are read (they come from a worker)

    @property
    def store(self) -> Store:
        """The app's store."""
        return services(self.app).store

    def compose(self) -> ComposeResult:
        yield Static("Speakers", id="speakers-title")
        yield PromptBar(SpeakerFilter(placeholder="filter by name, alias, role, affiliation",
                                      id="speakers-filter"), id="speakers-filter-bar")
        yield BriefingTable(id="speakers-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="speakers-empty")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#speakers-table", DataTable).focus()

    def on_screen_resume(self) -> None:
        """Fill the table when shown, and on every return (a dossier or reader may have
        changed the highlights)."""
        self.refresh_speakers()

    # -- data ---------------------------------------------------------------------------

    @property
    def filter_text(self) -> str:
        """The current filter ("" when none)."""
        return self.query_one("#speakers-filter", SpeakerFilter).value

    @property
    def summaries(self) -> list[SpeakerSummary]:
        """The speakers as last read, filtered, in table order."""
        return [s for s in self._summaries
                if queries.speaker_matches(s.speaker, self.filter_text)]

    def refresh_speakers(self) -> None:
        """Re-read the speakers and redraw (keeping the cursor's speaker); their counts
        (one grouped statement over every highlight: a third of a second at 200,000) are
        read in a worker. The first time, the speakers are listed before they are counted."""
        try:
            self._stances = self.store.stances()
            if not self.counted:
                self._summaries = [SpeakerSummary(sp) for sp in self.store.speakers()]
        except USER_ERRORS as error:
            services(self.app).report_error(error)
            return
        self._fill_table()
        # Once the first screen is up: a worker running meanwhile would slow it.
        self.call_after_refresh(self._count)

    @work(thread=True, exclusive=True, group="speaker-summaries", exit_on_error=False)
    def _count(self) -> None:
        """Read every speaker with their counts, then show them on the UI thread."""
        app = services(self.app)
        try:
            summaries = queries.speaker_summaries(self.store)
        except USER_ERRORS as error:
            app.call_from_thread(app.report_error, error)
            return
        app.call_from_thread(self._counted, summaries)

    def _counted(self, summaries: list[SpeakerSummary]) -> None:
        if not self.is_attached:
            return
        self._summaries, self.counted = summaries, True
        self._fill_table()

    def _fill_table(self) -> None:
        table = self.query_one("#speakers-table", DataTable)
        keep = self.selected_speaker_id
        table.clear(columns=True)
        for name in ("Speaker", "Role", "Affiliation", "Aliases"):
            table.add_column(name, key=name.lower(), width=WIDTHS[name])
        for name in ("Statements", "Briefings", "First", "Last"):
            table.add_column(name, key=name.lower())
        for stance in self._stances:
            table.add_column(Text(fit(stance.name, 12), style=stance_style(stance)),
                             key=f"stance-{stance.id}")
        shown = self.summaries
        for summary in shown:
            table.add_row(*summary_cells(summary, self._stances, counted=self.counted),
                          key=summary.speaker.id)
        for row, summary in enumerate(shown):
            if summary.speaker.id == keep:
                table.move_cursor(row=row)
                break
        total = len(self._summaries)
        title = f"Speakers — {total} speaker{'s' if total != 1 else ''}"
        if self.filter_text:
            title += f" ({len(shown)} shown)"
        self.query_one("#speakers-title", Static).update(title)
        empty = self.query_one("#speakers-empty", Static)
        empty.update("No speakers yet: t in the reader names who said a highlight."
                     if not self._summaries else
                     "No speaker matches the filter: escape clears it.")
        empty.display = not shown

    @property
    def selected_speaker_id(self) -> str | None:
        """The id of the speaker under the cursor, if any."""
        return cursor_row_key(self.query_one("#speakers-table", DataTable))

    def selected_speaker(self) -> Speaker | None:
        """The speaker under the cursor, if any."""
        speaker_id = self.selected_speaker_id
        return next((s.speaker for s in self._summaries if s.speaker.id == speaker_id), None)

    def select_speaker(self, speaker_id: str) -> None:
        """Put the cursor on ``speaker_id``'s row (if shown)."""
        for row, summary in enumerate(self.summaries):
            if summary.speaker.id == speaker_id:
                self.query_one("#speakers-table", DataTable).move_cursor(row=row)
                return

    # -- actions ------------------------------------------------------------------------

    def action_open(self) -> None:
        """The dossier of the speaker under the cursor."""
        from briefing_tui.ui.screens.dossier import DossierScreen

        speaker = self.selected_speaker()
        if speaker is not None:
            self.app.push_screen(DossierScreen(speaker))

    @on(DataTable.RowSelected, "#speakers-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_filter(self) -> None:
        """Show the filter line and focus it."""
        self.query_one("#speakers-filter-bar").display = True
        self.query_one("#speakers-filter", SpeakerFilter).focus()

    def action_back(self) -> None:
        """Clear the filter if there is one, else go back to where S was pressed."""
        field = self.query_one("#speakers-filter", SpeakerFilter)
        bar = self.query_one("#speakers-filter-bar")
        if bar.display or field.value:
            field.value = ""
            bar.display = False
            self._fill_table()
            self.query_one("#speakers-table", DataTable).focus()
            return
        self.app.pop_screen()

    @on(Input.Changed, "#speakers-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill_table()

    @on(Input.Submitted, "#speakers-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        # Keep the filter and give the keys back to the table.
        event.stop()
        self.query_one("#speakers-table", DataTable).focus()

    def _changed(self, message: str) -> None:
        self.app.notify(message, title="Speakers")
        services(self.app).store_changed.publish(StoreChange())
        self.refresh_speakers()

    def action_edit(self) -> None:
        """Rename the speaker under the cursor, edit role, affiliation and aliases."""
        from briefing_tui.ui.widgets.pickers import SpeakerEditor

        speaker = self.selected_speaker()
        if speaker is None:
            return

        def edited(fields: dict | None) -> None:
            if not fields:
                return
            allowed = {"name", "role", "affiliation", "aliases"}
            try:
                saved = self.store.update_speaker(
                    speaker.id, **{k: v for k, v in fields.items() if k in allowed})
            except USER_ERRORS as error:
                services(self.app).report_error(error)
                return
            if saved != speaker:
                self._changed(f"Saved speaker {saved.name} (u to undo)")

        self.app.push_screen(SpeakerEditor(speaker), edited)

    def action_merge(self) -> None:
        """Pick another speaker (the same person under another name) and, after a
        question, merge it into the one under the cursor: one step, ``u`` undoes it."""
        from briefing_tui.ui.widgets.pickers import ConfirmDialog, SpeakerPicker

        keep = self.selected_speaker()
        if keep is None:
            return
        others = [s.speaker for s in self._summaries if s.speaker.id != keep.id]
        if not others:
            self.app.notify("No other speaker to merge", severity="warning")
            return

        def confirmed(other: Speaker, yes: bool | None) -> None:
            if not yes:
                return
            try:
                merged = self.store.merge_speakers(keep.id, other.id)
            except USER_ERRORS as error:
                services(self.app).report_error(error)
                return
            self._changed(f"Merged {other.name} into {merged.name} (u to undo)")
            self.select_speaker(merged.id)

        def picked(result: Speaker | str | None) -> None:
            if result is None:
                return
            if not isinstance(result, Speaker):
                self.app.notify(f"No speaker called {result}", severity="warning")
                return
            # The dialog makes the question safe (names are data).
            question = (f"Merge “{result.name}” into “{keep.name}”? Its highlights become "
                        f"{keep.name}'s and its names become aliases. (u undoes it)")
            self.app.push_screen(ConfirmDialog(question, title="Merge speakers"),
                                 lambda yes: confirmed(result, yes))

        self.app.push_screen(SpeakerPicker(others), picked)

    def action_undo(self) -> None:
        """Undo the last speaker edit or merge (the library's steps)."""
        self._undo_redo(redo=False)

    def action_redo(self) -> None:
        """Redo what undo took back last."""
        self._undo_redo(redo=True)

    def _undo_redo(self, *, redo: bool) -> None:
        description = replay_step(self.app, self.store, LIBRARY, redo=redo)
        if description is None:
            self.refresh_speakers()
            return
        self._changed(f"{'Redone' if redo else 'Undone'}: {description}")
