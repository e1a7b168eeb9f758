"""Help: every key of the app, grouped by where it works, as remapped by the user.

The table is built from the ``BINDINGS`` of the classes themselves, so it cannot
drift from what the keys do; a binding whose id is in the user's keymap shows the
user's key(s) instead of the default.

| key | id | action |
| --- | --- | --- |
| escape, q | help.close | close |
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from briefing_tui.core.safetext import safe_line
from briefing_tui.ui.messages import USER_ERRORS
from briefing_tui.ui.screens.dossier import DossierScreen
from briefing_tui.ui.screens.library import LibraryScreen
from briefing_tui.ui.screens.matrix import HighlightListScreen, MatrixScreen
from briefing_tui.ui.screens.orphans import OrphansScreen
from briefing_tui.ui.screens.reader import FindInput, ReaderScreen
from briefing_tui.ui.screens.search import SearchScreen
from briefing_tui.ui.screens.speakers import SpeakersScreen
from briefing_tui.ui.widgets.reader_view import ReaderView
from briefing_tui.ui.widgets.review_list import ReviewList
from briefing_tui.ui.widgets.sidebar import Sidebar


@dataclass(frozen=True)
class HelpRow:
    """One action: its binding id, its keys (Textual key names) and its description."""

    binding_id: str
    keys: tuple[str, ...]
    description: str


def _own_bindings(cls: type[DOMNode]) -> list[BindingType]:
    # Only what the class itself declares: Textual's inherited defaults (focus_next on
    # Screen, scrolling on ScrollView) are either overridden or not ours to document.
    return list(cls.__dict__.get("BINDINGS", []))


def normalize_keys(keys: str) -> tuple[str, ...]:
    """Comma separated keys as Textual key names (``"?,f1"`` -> ``("question_mark", "f1")``)."""
    return tuple(binding.key for binding in Binding.make_bindings([Binding(keys, "noop")]))


def help_rows(bindings: Iterable[BindingType], keymap: Mapping[str, str]) -> list[HelpRow]:
    """Bindings grouped by id (or action), keys replaced by the keymap, in declared order."""
    order: list[str] = []
    keys: dict[str, list[str]] = {}
    described: dict[str, str] = {}
    ids: dict[str, str] = {}
    for binding in Binding.make_bindings(bindings):
        group = binding.id or binding.action
        if group not in keys:
            order.append(group)
            keys[group] = []
            described[group] = binding.description or binding.action
            ids[group] = binding.id or ""
        if binding.key not in keys[group]:
            keys[group].append(binding.key)
    rows = []
    for group in order:
        binding_id = ids[group]
        shown = normalize_keys(keymap[binding_id]) if binding_id in keymap else tuple(keys[group])
        rows.append(HelpRow(binding_id, shown, described[group]))
    return rows


def help_groups(app_class: type[DOMNode]) -> list[tuple[str, list[BindingType]]]:
    """The groups of the help screen and the bindings in each."""
    return [
        ("Everywhere", _own_bindings(app_class)),
        ("Library", _own_bindings(LibraryScreen)),
        ("Reader: text", _own_bindings(ReaderView)),
        ("Reader: annotate", _own_bindings(ReaderScreen) + _own_bindings(FindInput)),
        ("Sidebar (tab)", _own_bindings(Sidebar)),
        ("Review queue (a)", _own_bindings(ReviewList)),
        ("Orphans (o)", _own_bindings(OrphansScreen)),
        ("Speakers (S)", _own_bindings(SpeakersScreen)),
        ("Dossier (enter on a speaker)", _own_bindings(DossierScreen)),
        ("Search (ctrl+f)", _own_bindings(SearchScreen)),
        ("Matrix (M)", _own_bindings(MatrixScreen)),
        ("Matrix cell (enter)", _own_bindings(HighlightListScreen)),
    ]


class HelpScreen(ModalScreen[None]):
    """Every key, grouped: after the user's keymap."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    #help-dialog {
        width: 94;
        max-width: 100%;
        height: 90%;
        border: round $accent;
        background: $surface;
    }
    #help-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
    }
    #help-table {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static("Keys  ·  escape closes  ·  ctrl+p for commands", id="help-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=False)

    def on_mount(self) -> None:
        table = self.query_one("#help-table", DataTable)
        table.add_column("Key", key="key", width=16)
        table.add_column("Action", key="action", width=38)
        table.add_column("Id", key="id", width=26)
        keymap = getattr(self.app, "user_keymap", {})
        stance_names = self._stance_names()
        for title, bindings in help_groups(type(self.app)):
            rows = help_rows(bindings, keymap)
            if not rows:
                continue
            table.add_row(Text(title, style="bold underline"), "", "")
            for row in rows:
                shown = "  ".join(
                    self.app.get_key_display(Binding(key, "noop")) for key in row.keys
                )
                description = row.description
                if row.binding_id in stance_names:
                    description = f"Stance: {stance_names[row.binding_id]}"
                # Text, not str (a str cell is read as markup), and made safe: stance
                # names are data, keys and ids come from the user's config file.
                table.add_row(
                    Text(safe_line(shown), style="bold"),
                    Text(safe_line(description)),
                    Text(safe_line(row.binding_id), style="dim"),
                )
        table.focus()

    def _stance_names(self) -> dict[str, str]:
        # The stance keys are data (the label set is editable): name them as they are now.
        store = getattr(self.app, "store", None)
        if store is None:
            return {}
        try:
            return {f"annot.stance_{stance.key}": stance.name for stance in store.stances()}
        except USER_ERRORS:
            return {}

    def key_text(self) -> str:
        """All rows as plain text (tests look for keys and descriptions in it)."""
        table = self.query_one("#help-table", DataTable)
        lines = []
        for row_index in range(table.row_count):
            cells = table.get_row_at(row_index)
            lines.append(" | ".join(str(cell) for cell in cells))
        return "\n".join(lines)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
