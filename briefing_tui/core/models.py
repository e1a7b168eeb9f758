"""Plain value types shared by the store, the exporter and the UI.

Every row carries a UUID (string) so databases can be merged later. Spans are
half-open ``[start, end)`` character offsets into a briefing's reading text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefing_tui.core.document import Document

ANCHORED = "anchored"
ORPHANED = "orphaned"


@dataclass(frozen=True)
class Stance:
    """A label from the project's stance set, e.g. ``Stance(key=2, name="opposes")``."""

    id: str
    key: int  # hotkey 1..9
    name: str
    color: str  # "#rrggbb"
    description: str = ""


@dataclass(frozen=True)
class Speaker:
    """A person or body that said something; shared by all briefings."""

    id: str
    name: str
    role: str = ""
    affiliation: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Highlight:
    """A marked span of a briefing's reading text with its annotations."""

    id: str
    briefing_id: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    speaker_id: str | None = None
    stance_id: str | None = None
    note: str = ""
    topics: tuple[str, ...] = ()  # topic names, sorted
    status: str = ANCHORED  # ANCHORED | ORPHANED
    created: str = ""
    updated: str = ""
    # The quote as marked, when re-anchoring placed the highlight on text that
    # differs from it (``exact`` is the new text): *changed* until accepted.
    previous_exact: str | None = None
    # False for a highlight made from a suggestion (``suggest --apply``) that nobody has
    # confirmed in the app yet (see briefing_tui.core.review).
    reviewed: bool = True
    created_by: str = ""  # the analyst who made it (see core.analyst)
    updated_by: str = ""  # the analyst who changed it last

    @property
    def changed(self) -> bool:
        """Anchored on text that differs from the quote as marked (see ``previous_exact``)."""
        return self.previous_exact is not None and self.status == ANCHORED


@dataclass(frozen=True)
class BriefingInfo:
    """A briefing without its texts: what the library and `list` show."""

    id: str
    title: str
    source: str = ""
    published: str = ""
    url: str = ""
    path: str = ""
    fmt: str = "markdown"  # "markdown" | "text"
    content_hash: str = ""
    revision: int = 1
    imported: str = ""
    highlight_count: int = 0
    orphan_count: int = 0
    changed_count: int = 0  # anchored highlights on changed text (Highlight.changed)
    encoding: str = "utf-8"  # the codec the file was read with (`import --encoding`)
    # When it was deleted from the library (hidden, restorable until purged); None: live.
    deleted_at: str | None = None


@dataclass(frozen=True)
class Briefing(BriefingInfo):
    """A briefing with its source text and parsed reading document."""

    source_text: str = ""
    document: Document = field(default_factory=lambda: Document(text=""))
