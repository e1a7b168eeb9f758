"""Modal dialogs of the reader: speaker and topics pickers, note editor, prompts.

Each is a ``ModalScreen`` that ``dismiss()``es its result; the caller pushes it
with a callback (``app.push_screen(SpeakerPicker(...), on_speaker)``) or awaits
``push_screen_wait`` in a worker. ``None`` always means "cancelled".

Binding ids are ``picker.*`` (shared by all dialogs: the same key does the same
thing in each) and ``confirm.*`` for the yes/no dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from briefing_tui.core.models import Highlight, Speaker
from briefing_tui.core.safetext import safe_display, safe_line
from briefing_tui.core.speakers import SpeakerIndex, fold
from briefing_tui.core.store import normalize_topic
from briefing_tui.ui.messages import USER_ERRORS
from briefing_tui.ui.widgets.safeinput import SafeInput
from briefing_tui.ui.widgets.safetextarea import SafeTextArea

if TYPE_CHECKING:
    from briefing_tui.core.attribution import Proposal
    from briefing_tui.core.store import Store
    from briefing_tui.ui.widgets.pathinput import PathInput

CANCEL = Binding("escape", "cancel", "Cancel", id="picker.cancel", show=True)
# The Input keeps the focus in the pickers; up/down are free there (Input binds
# neither), so the screen moves the list highlight with them.
LIST_KEYS: list[BindingType] = [
    Binding("down", "cursor_down", "Next row", id="picker.down", show=False),
    Binding("up", "cursor_up", "Previous row", id="picker.up", show=False),
    Binding("pagedown", "page_down", "Page down", id="picker.page_down", show=False),
    Binding("pageup", "page_up", "Page up", id="picker.page_up", show=False),
]


class PickerDialog(ModalScreen[Any]):
    """Common frame of the dialogs: a centred bordered box titled by `border_title`."""

    DEFAULT_CSS = """
    PickerDialog {
        align: center middle;
        & > #dialog {
            width: 72;
            max-width: 95%;
            height: auto;
            max-height: 90%;
            border: thick $primary 80%;
            border-title-color: $text-primary;
            border-title-style: bold;
            background: $surface;
            padding: 0 1;
        }
        & OptionList {
            height: auto;
            max-height: 16;
            border: none;
            padding: 0;
            background: $surface;
        }
        & OptionList > .option-list--option-highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & .hint {
            color: $text-muted;
            margin-top: 1;
        }
        & .question {
            margin: 1 0;
            width: 100%;  /* wrap a long question (a whole path), never cut it */
        }
        & .error {
            color: $text-error;
        }
        & TextArea {
            height: 12;
        }
        & #buttons {
            height: auto;
            align: center middle;
        }
        & #buttons Button {
            margin: 0 2;
        }
    }
    """

    def __init__(self, title: str) -> None:
        super().__init__()
        self.dialog_title = title
        self._room: tuple[str, int] | None = None  # keep_clear: ("top"|"bottom", rows)

    def keep_clear(self, above: int, below: int) -> None:
        """Dock the box in the larger of the two gaps around a passage the user must
        still see (``above`` rows over it, ``below`` rows under it), no taller than
        that gap; lists and editors inside shrink to fit. Call before pushing."""
        self._room = ("bottom", below) if below >= above else ("top", above)

    def on_mount(self) -> None:
        """Title the box (Textual also calls the subclasses' on_mount, no super needed)."""
        box = self.query_one("#dialog")
        box.border_title = self.dialog_title
        if self._room is not None:
            side, rows = self._room
            self.styles.align_vertical = side
            box.styles.max_height = rows
            # What the box holds besides its list or editor: border, field, hint.
            for lister in box.query(OptionList):
                lister.styles.max_height = max(rows - 9, 2)
            for editor in box.query(TextArea):
                editor.styles.height = max(min(12, rows - 9), 3)

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)


class _ListPicker(PickerDialog):
    """An Input that keeps the focus, above an OptionList moved by the screen's keys."""

    def _options(self) -> OptionList:
        return self.query_one(OptionList)

    def _input(self) -> Input:
        return self.query_one(Input)

    def action_cursor_down(self) -> None:
        """Highlight the next row."""
        self._options().action_cursor_down()

    def action_cursor_up(self) -> None:
        """Highlight the previous row."""
        self._options().action_cursor_up()

    def action_page_down(self) -> None:
        """Highlight a page further down."""
        self._options().action_page_down()

    def action_page_up(self) -> None:
        """Highlight a page further up."""
        self._options().action_page_up()

    @property
    def highlighted_row(self) -> int | None:
        """Index of the highlighted row, or None when the list is empty."""
        return self._options().highlighted


# ---------------------------------------------------------------- speakers


@dataclass(frozen=True)
class SpeakerRow:
    """One row of the speaker picker: an existing speaker, or the name to create."""

    kind: Literal["suggested", "default", "create", "other"]
    speaker: Speaker | None = None
    name: str = ""
    cue: str = ""  # what gave a suggested speaker away ("Peskov said")
    role: str = ""  # of a suggested new speaker

    @property
    def result(self) -> Speaker | str:
        """What choosing this row dismisses with: a speaker, a name to create, or (a
        suggested new speaker) a ``Speaker`` without id holding the name and role."""
        if self.speaker is None and self.kind == "suggested":
            return Speaker(id="", name=self.name, role=self.role)
        return self.speaker if self.speaker is not None else self.name


def suggested_row(speakers: Sequence[Speaker], suggestion: Proposal) -> SpeakerRow:
    """The row of the speaker the attribution engine proposes: a registry speaker
    (by id, else by exact name), or the new name to create."""
    by_id = {sp.id: sp for sp in speakers}
    speaker = by_id.get(suggestion.speaker_id or "")
    if speaker is None:
        wanted = fold(suggestion.speaker)
        speaker = next((sp for sp in speakers if fold(sp.name) == wanted), None)
    name = safe_line(" ".join(suggestion.speaker.split()))
    return SpeakerRow("suggested", speaker, name=name, cue=safe_line(suggestion.cue),
                      role=safe_line(" ".join(suggestion.role.split())))


def speaker_rows(speakers: Sequence[Speaker] | SpeakerIndex, query: str,
                 suggestion: Proposal | None = None) -> list[SpeakerRow]:
    """The picker's rows for ``query``, in display order.

    The default match first, then ``Create "…"`` when the typed text is not
    blank and no speaker has exactly that name (first when there is no default),
    then the other matches. An empty query lists every speaker, after the
    ``suggestion`` for the highlight when there is one (so ``enter`` takes it);
    once something is typed the default is again a speaker that contains it.
    """
    index = speakers if isinstance(speakers, SpeakerIndex) else SpeakerIndex(speakers)
    if suggestion is not None and not query.strip():
        first = suggested_row(index.speakers, suggestion)
        rest = [SpeakerRow("other", sp) for sp in index.rank("")[1]
                if first.speaker is None or sp.id != first.speaker.id]
        return [first, *rest]
    default, others = index.rank(query)
    # Typed (or pasted) text is data too: a created name holds no control character.
    name = safe_line(" ".join(query.split()))
    rows: list[SpeakerRow] = []
    if default is not None:
        rows.append(SpeakerRow("default", default))
    if name and not index.has_exact_name(name):
        rows.append(SpeakerRow("create", name=name))
    rows.extend(SpeakerRow("other", speaker) for speaker in others)
    return rows


def _speaker_label(speaker: Speaker) -> Text:
    label = Text(safe_line(speaker.name), style="bold")
    details = [part for part in (speaker.role, speaker.affiliation) if part]
    if details:
        label.append(safe_line(" — " + ", ".join(details)), style="dim")
    if speaker.aliases:
        label.append(safe_line(f"  (aka {', '.join(speaker.aliases)})"), style="dim italic")
    return label


MAX_SPEAKER_ROWS = 48  # rows the speaker picker shows (3 pages of its list); the rest is counted


class SpeakerPicker(_ListPicker):
    """Choose the speaker of a highlight, or create one by typing its name.

    Dismisses with the chosen `Speaker`, the `str` name to create, a `Speaker` with an
    empty id (a suggested new speaker: name and role to create), or None.

    With a ``suggestion`` (the attribution engine's proposal for the highlight) and
    nothing typed, the first row is that speaker, marked ★ with its cue, so
    ``enter`` takes it. Typing filters by name, alias and role. The highlighted row is the best speaker
    whose name or an alias *contains* the text (`peskov` -> Dmitry Peskov), else
    `Create "…"`; fuzzier matches are listed below it, reached with the arrows.

    | Key(s) | id | Description |
    | :- | :- | :- |
    | enter | (Input submit) | Take the highlighted row. |
    | down / up | `picker.down` / `picker.up` | Move the highlight. |
    | pagedown / pageup | `picker.page_down` / `picker.page_up` | Move a page. |
    | escape | `picker.cancel` | Cancel (dismiss None). |
    """

    BINDINGS: ClassVar[list[BindingType]] = [CANCEL, *LIST_KEYS]

    def __init__(self, speakers: Sequence[Speaker], initial: str = "", *,
                 title: str = "Speaker", suggestion: Proposal | None = None) -> None:
        super().__init__(title)
        self.speakers = list(speakers)
        self.index = SpeakerIndex.of(self.speakers)  # folded once, ranked on every key
        self.initial = initial
        self.suggestion = suggestion
        self.rows: list[SpeakerRow] = []
        self.more = 0  # matching rows not shown (past MAX_SPEAKER_ROWS)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield SafeInput(self.initial, placeholder="Name, alias or role…", id="query")
            yield OptionList(id="matches")
            yield Static("enter choose · ↑↓ other matches · esc cancel", classes="hint")

    def on_mount(self) -> None:
        """Fill the list for the initial text and give the Input the keys."""
        self._options().can_focus = False
        self._refill(self.initial)
        self._input().focus()

    def _refill(self, query: str) -> None:
        rows = speaker_rows(self.index, query, self.suggestion)
        # A bounded list at any registry size: typing narrows it, the rest is counted.
        self.rows, self.more = rows[:MAX_SPEAKER_ROWS], max(len(rows) - MAX_SPEAKER_ROWS, 0)
        options: list[Option] = []
        for row in self.rows:
            if row.kind == "suggested":
                label = (_speaker_label(row.speaker) if row.speaker is not None
                         else Text.assemble(("+ Create ", "italic"), (f"“{row.name}”", "bold")))
                prompt = Text.assemble(("★ ", "bold"), label,
                                       (f"  suggested: “{row.cue}”", "italic"))
            elif row.kind == "create":
                prompt = Text.assemble(("+ Create ", "italic"), (f"“{row.name}”", "bold"))
            else:
                assert row.speaker is not None
                prompt = _speaker_label(row.speaker)
            options.append(Option(prompt))
        if self.more:
            options.append(Option(Text(f"… {self.more} more: type to narrow", style="dim italic"),
                                  disabled=True))
        option_list = self._options()
        option_list.set_options(options)
        option_list.highlighted = 0 if options else None

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._refill(event.value)

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose(self.highlighted_row)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self.rows):
            self.dismiss(self.rows[index].result)


# ---------------------------------------------------------------- topics


def normalise_topic(text: str) -> str:
    """A topic name from what was typed, as the store will save it (one folding).

    >>> normalise_topic("  #Root causes ")
    'root-causes'
    """
    return normalize_topic(text)


class TopicInput(SafeInput):
    """An Input that leaves the space key to the picker while it is empty.

    Textual drops screen bindings, even priority ones, for keys the focused Input
    may consume. On an empty field the space toggles the highlighted topic; once
    something is typed it is part of the name (``root causes``, shown as the
    ``#root-causes`` it will be saved as), so a space never eats a word.
    """

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Every printable key; the space only when there is text to add it to."""
        if key == "space":
            return bool(self.value.strip())
        return super().check_consume_key(key, character)


@dataclass(frozen=True)
class TopicRow:
    """One row of the topics picker: an existing topic or one to create."""

    topic: str
    create: bool = False


class TopicsPicker(_ListPicker):
    """Pick several topics of a highlight, creating new ones by typing them.

    Dismisses with the list of selected topic names (sorted) or None.

    | Key(s) | id | Description |
    | :- | :- | :- |
    | space | `picker.toggle` | On an empty field: toggle the highlighted topic (after typed text, a space is part of the name). |
    | enter | (Input submit) | With text: toggle / create the highlighted row and clear the text. Empty: done. |
    | ctrl+s | `picker.save` | Done: dismiss with the selected topics (and the typed one). |
    | down / up | `picker.down` / `picker.up` | Move the highlight. |
    | escape | `picker.cancel` | Cancel (dismiss None). |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        CANCEL,
        Binding("ctrl+s", "save", "Done", id="picker.save", show=True, priority=True),
        # priority + TopicInput: on an empty field the space toggles; after typed
        # text it is text (normalise_topic turns inner spaces into dashes).
        Binding("space", "toggle", "Toggle", id="picker.toggle", show=True, priority=True),
        *LIST_KEYS,
    ]

    def __init__(self, all_topics: Sequence[str], selected: Sequence[str], *,
                 title: str = "Topics") -> None:
        super().__init__(title)
        names = {normalise_topic(t) for t in [*all_topics, *selected]} - {""}
        self.topics: list[str] = sorted(names, key=lambda t: (t.casefold(), t))
        self.selected: set[str] = {normalise_topic(t) for t in selected} - {""}
        self.rows: list[TopicRow] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield TopicInput(placeholder="Filter or new topic…", id="query",
                             select_on_focus=False)
            yield OptionList(id="topics")
            yield Static("enter toggle/create · on empty: done (or ctrl+s) · esc cancel",
                         classes="hint")

    def on_mount(self) -> None:
        """Fill the list and give the Input the keys."""
        self._options().can_focus = False
        self._refill()
        self._input().focus()

    @property
    def typed_topic(self) -> str:
        """The typed text, as a topic name."""
        return normalise_topic(self._input().value)

    def _refill(self, keep: str | None = None) -> None:
        query = self.typed_topic
        needle = query.casefold()
        self.rows = [TopicRow(t) for t in self.topics if needle in t.casefold()]
        if query and not any(t.casefold() == needle for t in self.topics):
            self.rows.append(TopicRow(query, create=True))
        options = []
        for row in self.rows:
            if row.create:
                options.append(Option(Text.assemble(("+ Create ", "italic"),
                                                    (f"“#{safe_line(row.topic)}”", "bold"))))
            else:
                mark = "[x]" if row.topic in self.selected else "[ ]"
                options.append(Option(Text.assemble((mark, "bold"), f" #{safe_line(row.topic)}")))
        option_list = self._options()
        highlighted = 0
        if keep is not None:
            highlighted = next((i for i, r in enumerate(self.rows) if r.topic == keep), 0)
        option_list.set_options(options)
        option_list.highlighted = highlighted if options else None

    @on(Input.Changed, "#query")
    def _query_changed(self) -> None:
        self._refill()

    def _toggle_row(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.rows):
            return
        row = self.rows[index]
        if row.create:
            self.topics.append(row.topic)
            self.topics.sort(key=lambda t: (t.casefold(), t))
            self.selected.add(row.topic)
        elif row.topic in self.selected:
            self.selected.discard(row.topic)
        else:
            self.selected.add(row.topic)
        self._refill(keep=row.topic)

    # Textual's DOMNode has an action_toggle(attribute_name); this picker's
    # "toggle" action (bound to space, id picker.toggle) deliberately replaces it.
    def action_toggle(self) -> None:  # type: ignore[override]
        """Toggle the highlighted topic; on the Create row, create and select it."""
        self._toggle_row(self.highlighted_row)

    @on(Input.Submitted, "#query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.typed_topic:
            self.action_save()
            return
        self._toggle_row(self.highlighted_row)
        self._input().value = ""  # ready for the next topic

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._toggle_row(event.option_index)

    def action_save(self) -> None:
        """Dismiss with the selected topics, sorted, and the typed one if any (as shown)."""
        if typed := self.typed_topic:
            self.selected.add(typed)
        self.dismiss(sorted(self.selected, key=lambda t: (t.casefold(), t)))


# ---------------------------------------------------------------- note, prompts


class NoteEditor(PickerDialog):
    """Edit the note of a highlight in a multi-line editor.

    Dismisses with the text (ctrl+s) or None (escape). With ``keep_draft`` every
    edit hands the text to it (``None`` once the text equals ``note`` again, and on
    escape): the caller keeps it as a draft, so nothing typed is lost if the app
    ends before ctrl+s. ``draft`` is such a text kept earlier: the editor starts
    with it and says so. :func:`note_editor_for` wires both to the store.

    | Key(s) | id | Description |
    | :- | :- | :- |
    | ctrl+s | `picker.save` | Save (dismiss with the text). |
    | escape | `picker.cancel` | Cancel (dismiss None; the draft is discarded). |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: the TextArea must not swallow them
        Binding("ctrl+s", "save", "Save", id="picker.save", show=True, priority=True),
        Binding("escape", "cancel", "Cancel", id="picker.cancel", show=True, priority=True),
    ]

    def __init__(self, note: str = "", *, title: str = "Note", draft: str | None = None,
                 keep_draft: Callable[[str | None], None] | None = None) -> None:
        super().__init__(title)
        self.note = note
        self.draft = draft if draft != note else None
        self.keep_draft = keep_draft
        self._kept = self.draft  # the draft as the caller holds it now

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            # A note is typed or pasted text: shown, and saved, without control characters.
            yield SafeTextArea(safe_display(self.note if self.draft is None else self.draft),
                               soft_wrap=True, id="note")
            if self.draft is None:
                yield Static("ctrl+s save · esc cancel", classes="hint")
            else:
                yield Static("unsaved draft restored · ctrl+s save · esc discard it",
                             classes="hint")

    def on_mount(self) -> None:
        """Focus the editor with the cursor after the existing text."""
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    @on(TextArea.Changed)
    def _edited(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        self._keep(text if text != self.note else None)

    def _keep(self, draft: str | None) -> None:
        if self.keep_draft is not None and draft != self._kept:
            self._kept = draft
            self.keep_draft(draft)

    def action_save(self) -> None:
        """Dismiss with the edited note (saving it discards the draft)."""
        self.dismiss(safe_display(self.query_one(TextArea).text))

    def action_cancel(self) -> None:
        """Close without a result, discarding the draft."""
        self._keep(None)
        self.dismiss(None)


def note_editor_for(store: Store, highlight: Highlight) -> NoteEditor:
    """A :class:`NoteEditor` for ``highlight``'s note whose draft lives in ``store``
    (``note_draft``/``save_note_draft``/``discard_note_draft``) until saved or cancelled.

    Drafts are best effort: a database that refuses one (locked, the highlight deleted
    by another instance) leaves the text in the editor, where ctrl+s says what is wrong.
    """
    try:
        draft = store.note_draft(highlight.id)
    except USER_ERRORS:
        draft = None

    def keep(text: str | None) -> None:
        try:
            if text is None:
                store.discard_note_draft(highlight.id)
            else:
                store.save_note_draft(highlight.id, text)
        except USER_ERRORS:
            pass

    return NoteEditor(highlight.note, draft=draft, keep_draft=keep)


class ConfirmDialog(PickerDialog):
    """Ask a yes/no question ("Overwrite notes.md?").

    Dismisses True (y, enter on Yes) or False (n, escape, enter on No).

    | Key(s) | id | Description |
    | :- | :- | :- |
    | y | `confirm.yes` | Yes. |
    | n | `confirm.no` | No. |
    | enter | (focused button) | The focused button; Yes has the focus at first. |
    | escape | `picker.cancel` | No. |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", show=True),
        Binding("n", "answer(False)", "No", id="confirm.no", show=True),
        Binding("escape", "answer(False)", "No", id="picker.cancel", show=False),
        Binding("left,right", "app.focus_next", "Other button", id="confirm.switch", show=False),
    ]

    def __init__(self, question: str, *, title: str = "Confirm") -> None:
        super().__init__(title)
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            # Content, not a str: the question names a path (data), never markup.
            yield Label(Content(safe_line(self.question)), classes="question")
            with Horizontal(id="buttons"):
                yield Button("Yes (y)", id="yes", variant="primary")
                yield Button("No (n)", id="no")

    def on_mount(self) -> None:
        """Yes has the focus, so enter confirms."""
        self.query_one("#yes", Button).focus()

    def action_answer(self, answer: bool) -> None:
        """Dismiss with ``answer``."""
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")


class PathPrompt(PickerDialog):
    """Ask for one line of text, e.g. an export path, pre-filled with ``default``.

    Dismisses with the stripped text, or None on escape (or on an empty answer
    unless ``allow_empty``, in which case it dismisses ``""``).

    | Key(s) | id | Description |
    | :- | :- | :- |
    | enter | (Input submit) | Accept. |
    | escape | `picker.cancel` | Cancel (dismiss None). |
    """

    BINDINGS: ClassVar[list[BindingType]] = [CANCEL]

    def __init__(self, prompt: str, default: str = "", *, allow_empty: bool = False,
                 title: str = "Path", complete: bool = False, select: bool = False) -> None:
        """``complete``: tab completes the path from the file system. ``select``: the
        default comes selected, so typing replaces it (a filter); else the cursor
        waits at its end (a path, whose end one usually edits)."""
        super().__init__(title)
        self.prompt = prompt
        self.default = default
        self.allow_empty = allow_empty
        self.complete = complete
        self.select = select

    def compose(self) -> ComposeResult:
        from briefing_tui.ui.widgets.pathinput import PathInput

        kind = PathInput if self.complete else SafeInput
        with Vertical(id="dialog"):
            yield Label(Content(safe_line(self.prompt)), classes="question")
            # no select-all on focus: one usually edits the end of a path
            yield kind(self.default, id="value", select_on_focus=False)
            yield Static(self._hint(), classes="hint")

    def _hint(self) -> str:
        tab = "tab complete · " if self.complete else ""
        return f"{tab}enter accept · esc cancel"

    def on_path_input_completed(self, event: PathInput.Completed) -> None:
        """Several matches: list them under the field (names from disk: made safe)."""
        candidates = event.candidates
        hint = self.query_one(".hint", Static)
        if len(candidates) > 1:
            shown = ", ".join(candidates[:12]) + (" …" if len(candidates) > 12 else "")
            hint.update(Content(safe_line(f"{len(candidates)} matches: {shown}")))
        elif not candidates:
            hint.update(Content("no match · " + self._hint()))
        else:
            hint.update(self._hint())

    def on_mount(self) -> None:
        """Focus the input, the default selected or the cursor at its end."""
        field = self.query_one(Input)
        field.focus()
        if self.select:
            field.select_all()
        else:
            field.cursor_position = len(field.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(value if value or self.allow_empty else None)


def parse_aliases(text: str, name: str = "") -> tuple[str, ...]:
    """Comma-separated aliases, stripped, without blanks, duplicates or the name itself.

    >>> parse_aliases(" Witkoff, Vitkoff,, witkoff ", name="Steve Witkoff")
    ('Witkoff', 'Vitkoff')
    """
    seen = {name.casefold()} if name else set()
    aliases: list[str] = []
    for part in text.split(","):
        alias = safe_line(" ".join(part.split()))
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            aliases.append(alias)
    return tuple(aliases)


class FormDialog(PickerDialog):
    """Labelled one-line fields, one under the other: it opens on the first, tab goes
    down them in the order shown, enter or ctrl+s saves, escape cancels.

    Subclasses set ``FIELDS`` (id, label, placeholder), ``REQUIRED`` (the field that
    cannot be blank and what to say then) and ``initial_values``; they may shape what
    is dismissed in ``result``. The fields are SafeInputs: values are data, shown with
    controls as placeholders.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        CANCEL,
        Binding("ctrl+s", "save", "Save", id="picker.save", show=True, priority=True),
    ]

    FIELDS: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    REQUIRED: ClassVar[tuple[str, str]] = ("", "")

    def initial_values(self) -> dict[str, str]:
        """The text each field starts with, by field id (each form gives its own)."""
        raise NotImplementedError("a FormDialog subclass gives its fields' first values")

    def compose(self) -> ComposeResult:
        values = self.initial_values()
        with Vertical(id="dialog"):
            for field, label, placeholder in self.FIELDS:
                yield Label(label)
                yield SafeInput(values.get(field, ""), id=field, placeholder=placeholder,
                                select_on_focus=False)
            yield Static("", id="error", classes="error")
            yield Static("enter / ctrl+s save · tab next field · esc cancel", classes="hint")

    def on_mount(self) -> None:
        """Start in the first field shown: tab then follows the order on screen."""
        self.query_one(f"#{self.FIELDS[0][0]}", Input).focus()

    def _value(self, field: str) -> str:
        return " ".join(self.query_one(f"#{field}", Input).value.split())

    def result(self) -> dict[str, Any]:
        """What saving dismisses with: each field's value, whitespace collapsed."""
        return {field: self._value(field) for field, _label, _hint in self.FIELDS}

    def action_save(self) -> None:
        """Dismiss with :meth:`result`, unless the required field is blank."""
        required, message = self.REQUIRED
        if required and not self._value(required):
            self.query_one("#error", Static).update(message)
            self.query_one(f"#{required}", Input).focus()
            return
        self.dismiss(self.result())

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()


class SpeakerEditor(FormDialog):
    """Edit a speaker's name, role, affiliation and aliases (comma separated).

    Dismisses with ``{"name", "role", "affiliation", "aliases"}`` (the keyword
    arguments of `Store.update_speaker` and `Store.create_speaker`; aliases a tuple)
    or None. A blank name is refused with a message. A speaker without an id is one
    still to be created (titled "New speaker"): nothing is stored before saving.

    It opens on Name; tab goes Name → Role → Affiliation → Aliases, the order shown.

    | Key(s) | id | Description |
    | :- | :- | :- |
    | ctrl+s, enter | `picker.save` / (Input submit) | Save. |
    | tab / shift+tab | (app) | Next / previous field. |
    | escape | `picker.cancel` | Cancel (dismiss None). |
    """

    FIELDS: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("name", "Name", ""),
        ("role", "Role", ""),
        ("affiliation", "Affiliation", ""),
        ("aliases", "Aliases (comma separated)", ""),
    )
    REQUIRED: ClassVar[tuple[str, str]] = ("name", "The name cannot be empty.")

    def __init__(self, speaker: Speaker, *, title: str | None = None) -> None:
        super().__init__(title or ("Edit speaker" if speaker.id else "New speaker"))
        self.speaker = speaker

    def initial_values(self) -> dict[str, str]:
        """The speaker's fields (SafeInput shows, and keeps, controls as placeholders)."""
        return {
            "name": self.speaker.name,
            "role": self.speaker.role,
            "affiliation": self.speaker.affiliation,
            "aliases": ", ".join(self.speaker.aliases),
        }

    def result(self) -> dict[str, Any]:
        """The fields, aliases split into a tuple (see :func:`parse_aliases`)."""
        fields = super().result()
        fields["aliases"] = parse_aliases(self.query_one("#aliases", Input).value,
                                          fields["name"])
        return fields


__all__ = [
    "ConfirmDialog",
    "FormDialog",
    "NoteEditor",
    "PathPrompt",
    "PickerDialog",
    "SpeakerEditor",
    "SpeakerPicker",
    "SpeakerRow",
    "TopicInput",
    "TopicRow",
    "TopicsPicker",
    "normalise_topic",
    "parse_aliases",
    "speaker_rows",
]
