"""Command palette (ctrl+p) entries of briefing-tui.

In the reader they act on the open briefing; in the library on the briefing under
the cursor. Export all, Edit speaker, Speakers and Help work everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from briefing_tui.ui.messages import services

Command = tuple[str, str, Callable[[], object]]


class BriefingCommands(Provider):
    """Export (Markdown/JSON/CSV, one or all briefings), edit a speaker, speakers, orphans,
    help."""

    def commands(self) -> list[Command]:
        """The commands that make sense on the screen the palette was opened from."""
        # Imported here: the screens import the pickers, which the app imports too; the
        # exporter is not needed before the palette opens.
        from briefing_tui.core.export import EXPORT_FORMATS
        from briefing_tui.ui.screens.library import LibraryScreen
        from briefing_tui.ui.screens.matrix import MatrixScreen
        from briefing_tui.ui.screens.reader import ReaderScreen

        app = services(self.app)
        screen = self.screen
        briefing_id: str | None = None
        initial_speaker = ""
        if isinstance(screen, ReaderScreen):
            briefing_id = screen.briefing_id
            current = screen.current_highlight()
            if current is not None and current.speaker_id is not None:
                try:
                    initial_speaker = app.store.speaker(current.speaker_id).name
                except Exception:  # noqa: BLE001 - only a default for the picker
                    initial_speaker = ""
        elif isinstance(screen, LibraryScreen):
            briefing_id = screen.selected_briefing_id

        found: list[Command] = []
        if briefing_id is not None:
            for fmt in EXPORT_FORMATS.values():
                found.append((
                    f"Export briefing as {fmt.label}",
                    f"Write this briefing's highlights to a {fmt.label} file",
                    partial(app.export_briefing, briefing_id, fmt.key),
                ))
        if briefing_id is not None:
            found.append((
                "Edit briefing metadata",
                "Change this briefing's title, source, date and URL (library u undoes it)",
                partial(app.edit_briefing, briefing_id),
            ))
        found.append((
            f"Export all briefings ({EXPORT_FORMATS['md'].label})",
            "Write the highlights of every briefing to one Markdown file",
            partial(app.export_all, "md"),
        ))
        found.append((
            "Speaker × stance matrix",
            "Counts of every speaker's highlights per stance, over the library or a filter",
            lambda: self.app.push_screen(MatrixScreen()),
        ))
        found.append((
            "Edit speaker",
            "Change a speaker's name, role, affiliation and aliases (u undoes it)",
            # From a reader, its u undoes the edit; from the library, the library's u.
            partial(app.edit_speaker, initial_speaker,
                    briefing_id if isinstance(screen, ReaderScreen) else None),
        ))
        found.append((
            "Speakers",
            "Every speaker with counts per stance: filter, edit, merge; enter opens a dossier",
            app.show_speakers,
        ))
        if isinstance(screen, ReaderScreen):
            found.append((
                "Show orphans",
                "Highlights whose text was lost when the briefing changed: re-attach or delete",
                screen.action_orphans,
            ))
        from briefing_tui.ui import codebook_flow

        found.append((
            "Import codebook",
            "Merge labels, speakers and topics from a .toml or .qdc file (library u undoes it)",
            partial(codebook_flow.import_codebook, self.app),
        ))
        found.append((
            "Export codebook",
            "Write the stance labels, speakers and topics to a .toml or REFI-QDA .qdc file",
            partial(codebook_flow.export_codebook, self.app),
        ))
        found.append(("Help", "Every key and what it does", app.action_help))
        return found

    async def discover(self) -> Hits:
        """All commands, shown when the palette opens."""
        for name, help_text, callback in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands matching ``query`` (fuzzy)."""
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
