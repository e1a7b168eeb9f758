"""Markdown / JSON / CSV export of briefings and their highlights.

The same database always gives the same bytes: no timestamps (unless asked for),
and every list is sorted by a total order. Text from the user (quotes, notes,
speaker names, topics) is escaped so a Markdown renderer shows it literally.

>>> from briefing_tui.core.importer import import_paths
>>> from briefing_tui.core.store import Store
>>> from briefing_tui.paths import samples_dir
>>> store = Store(tmp_path / "briefings.db")
>>> [result] = import_paths(store, [samples_dir() / "kremlin-signals-no-quick-truce.md"])
>>> h = store.create_highlight(result.briefing_id, 0, 7)  # "Kremlin"
>>> text = to_markdown(store, [result.briefing_id], group_by="speaker")
>>> lines = text.splitlines()
>>> lines[lines.index("## Unattributed"):][:3]
['## Unattributed', '', '> Kremlin']
>>> path = write_atomic(tmp_path / "report.md", text, force=False)
>>> path.read_text(encoding="utf-8") == text
True
>>> store.close()
"""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing_tui.core import queries
from briefing_tui.core.document import Document
from briefing_tui.core.errors import ExportError
from briefing_tui.core.models import BriefingInfo, Speaker, Stance
from briefing_tui.core.queries import AnnotatedHighlight
from briefing_tui.core.safetext import csv_cell, safe_display

GROUP_BYS = ("speaker", "stance", "order")
UNATTRIBUTED = "Unattributed"
UNREVIEWED = "suggested, not yet reviewed"
NO_STANCE = "No stance"
CSV_COLUMNS = ("briefing", "start", "end", "quote", "speaker", "stance", "topics", "note",
               "paragraph", "status", "briefing_id", "highlight_id", "changed_from",
               "created_by", "updated_by", "unreviewed")
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


# --------------------------------------------------------------------------- escaping

# ASCII punctuation that starts inline syntax anywhere in a line: backslash escapes,
# code spans, emphasis, links/images, autolinks and raw HTML, table cells, strikethrough.
_ALWAYS = frozenset("\\`*_[]<|~")
# Characters that only start a block construct at the beginning of a line:
# ATX heading, block quote, bullet list / thematic break / setext underline.
_LINE_START = frozenset("#>-+=")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_ORDERED = re.compile(r"\d{1,9}[.)]")
_TRAILING_HASHES = re.compile(r"(?<=\s)#+$")


def _char_ref(ch: str) -> str:
    code = ord(ch)
    # Renderers refuse references to control characters; those stay as they are here
    # and become placeholders with the rest of the report (see to_markdown).
    if code < 0x20 and ch not in "\t\n\x0c\r" or 0x7F <= code <= 0x9F:
        return ch
    return f"&#{code};"


def _escape_line(line: str) -> str:
    """Escape one line (no line breaks) so it renders as its literal text."""
    if not line:
        return ""
    head = ""
    tail = ""
    # Renderers strip leading/trailing whitespace of a line; a character reference survives.
    if line[0].isspace():
        head, line = _char_ref(line[0]), line[1:]
    if line and line[-1].isspace():
        line, tail = line[:-1], _char_ref(line[-1])
    if not line:
        return head + tail
    out = _ENTITY.sub("\\\\&", "".join("\\" + c if c in _ALWAYS else c for c in line))
    if not head:
        if out[0] in _LINE_START:
            out = "\\" + out
        else:
            m = _ORDERED.match(out)
            if m:
                out = out[: m.end() - 1] + "\\" + out[m.end() - 1:]
    # A run of '#' at the end would be taken as an ATX heading's closing sequence.
    m = _TRAILING_HASHES.search(out)
    if m:
        out = out[: m.start()] + "\\" + out[m.start():]
    return head + out + tail


def escape_markdown_inline(text: str, *, single_line: bool = False) -> str:
    """Escape ``text`` so Markdown renders it as exactly this text, wherever it is placed
    inline: a paragraph, a block-quote line, a list item, a heading, a table cell.

    A line break between two non-empty lines stays a line break (a soft break; callers
    prefix continuation lines as their block needs: ``> `` or indentation). Other line
    breaks, and all of them when ``single_line`` (headings, table cells), become the
    character reference ``&#10;``.

    >>> escape_markdown_inline("# 1. <b>x</b> | *y*")
    '\\\\# 1. \\\\<b>x\\\\</b> \\\\| \\\\*y\\\\*'
    >>> escape_markdown_inline("1) first")
    '1\\\\) first'
    """
    text = text.replace("\r", "&#13;")
    lines = text.split("\n")
    out = [_escape_line(lines[0])]
    for prev, line in itertools.pairwise(lines):
        raw_break = not single_line and prev != "" and line != ""
        out.append("\n" if raw_break else "&#10;")
        out.append(_escape_line(line))
    return "".join(out)


def _yaml_value(value: str | int) -> str:
    """A front-matter value: plain when YAML reads it back unchanged, else double-quoted."""
    if isinstance(value, int):
        return str(value)
    if value and "\n" not in value and value == value.strip():
        import yaml  # imported on first use: the CLI imports this module at start-up

        try:
            loaded = yaml.safe_load(f"k: {value}")
        except yaml.YAMLError:
            loaded = None
        if isinstance(loaded, dict) and loaded.get("k") is not None:
            back = loaded["k"]
            # A date stays a date for YAML readers; showing it bare is what people expect.
            if back == value or (not isinstance(back, str) and str(back) == value
                                 and not isinstance(back, (bool, int, float))):
                return value
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------- gathering

# A briefing and its highlights in text order, as every format walks them.
Section = tuple[BriefingInfo, list[AnnotatedHighlight]]


def paragraph_number(document: Document, offset: int) -> int | None:
    """The 1-based paragraph number of the block holding ``offset`` (None outside any)."""
    method = getattr(document, "paragraph_number", None)
    if callable(method):
        return method(offset)
    blocks = document.blocks
    if not blocks:
        return None
    i = bisect.bisect_right([b.start for b in blocks], offset) - 1
    if i < 0:
        return blocks[0].number
    return blocks[i].number


def _gather(store: Any, briefing_ids: Sequence[str] | None) -> list[Section]:
    """The briefings (oldest first when all, else as given) and their annotated
    highlights, read through :mod:`briefing_tui.core.queries` in a bounded number of
    statements."""
    infos = queries.briefings(store, briefing_ids, order="date")
    items = queries.annotated_highlights(store, queries.HighlightQuery(
        briefing_ids=None if briefing_ids is None else [i.id for i in infos],
        paragraphs=True))
    groups = queries.group_by_briefing(items)
    return [(info, groups.get(info.id, [])) for info in infos]


def _speaker_key(s: Speaker) -> tuple[str, str, str]:
    return (s.name.casefold(), s.name, s.id)


# --------------------------------------------------------------------------- Markdown

def to_markdown(store: Any, briefing_ids: Sequence[str] | None = None,
                group_by: str = "speaker") -> str:
    """Markdown report of the briefings' highlights (all briefings when ``briefing_ids``
    is None): front matter (one briefing: its whole title, source, date and URL), a
    heading and those facts under it for each briefing, a speaker × stance table, then
    the highlights grouped by ``group_by`` ("speaker", "stance" or "order"); orphans
    come last.
    """
    if group_by not in GROUP_BYS:
        raise ExportError(f"unknown grouping {group_by!r} (choose speaker, stance or order)")
    sections = _gather(store, briefing_ids)
    if not sections:
        raise ExportError("no briefings to export")
    stances = sorted(store.stances(), key=lambda s: (s.key, s.name, s.id))
    total = sum(len(items) for _, items in sections)
    out: list[str] = []
    if len(sections) == 1:
        info = sections[0][0]
        out += ["---", f"title: {_yaml_value(info.title)}"]
        for key in ("source", "published", "url"):
            value = getattr(info, key)
            if value:
                out.append(f"{key}: {_yaml_value(value)}")
        out += [f"highlights: {total}", "---", "",
                f"# {escape_markdown_inline(info.title, single_line=True)}", ""]
        # Under the H1 too: the front matter is hidden by most renderers.
        out += _briefing_body(sections[0], stances, group_by, level=2, with_meta=True)
    else:
        title = "Briefing highlights"
        out += ["---", f"title: {title}", f"briefings: {len(sections)}",
                f"highlights: {total}", "---", "", f"# {title}", ""]
        out += _library_matrix(sections, stances, briefing_ids)
        for section in sections:
            out += [f"## {escape_markdown_inline(section[0].title, single_line=True)}", ""]
            out += _briefing_body(section, stances, group_by, level=3, with_meta=True)
    while out and out[-1] == "":
        out.pop()
    # The report is read in terminals and editors: no control character from data
    # (quotes, notes, names, front matter) is written raw, each shows as a placeholder.
    return safe_display("\n".join(out) + "\n")


def _library_matrix(sections: list[Section], stances: list[Stance],
                    briefing_ids: Sequence[str] | None) -> list[str]:
    """The speaker × stance counts over every exported briefing (the whole library when
    ``briefing_ids`` is None), before the briefings' sections; counted from the
    highlights already read."""
    from briefing_tui.core.matrix import matrix_markdown  # it imports our escaping

    grid = queries.tally((item for _, items in sections for item in items), stances)
    where = "all briefings" if briefing_ids is None else f"these {len(sections)} briefings"
    return matrix_markdown(grid, title=f"Speaker × stance: {where}", level=2).splitlines() + [""]


def _briefing_body(section: Section, stances: list[Stance], group_by: str, *,
                   level: int, with_meta: bool) -> list[str]:
    out: list[str] = []
    info, items = section
    if with_meta:
        facts = [f"{label}: {escape_markdown_inline(value, single_line=True)}"
                 for label, value in (("Source", info.source), ("Published", info.published),
                                      ("URL", info.url)) if value]
        if facts:
            out += [" · ".join(facts), ""]
    if not items:
        return out + ["*No highlights.*", ""]
    out += _counts_table(items, stances)
    h = "#" * level
    anchored = [i for i in items if not i.orphaned]
    orphans = [i for i in items if i.orphaned]
    if group_by == "speaker":
        named = sorted({i.speaker.id: i.speaker for i in anchored if i.speaker}.values(),
                       key=_speaker_key)
        for sp in named:
            heading = sp.name + (f" — {sp.role}" if sp.role else "")
            out += [f"{h} {escape_markdown_inline(heading, single_line=True)}", ""]
            for item in anchored:
                if item.speaker is not None and item.speaker.id == sp.id:
                    out += _item(item, ("stance",))
        rest = [i for i in anchored if i.speaker is None]
        if rest:
            out += [f"{h} {UNATTRIBUTED}", ""]
            for item in rest:
                out += _item(item, ("stance",))
    elif group_by == "stance":
        for st in stances:
            members = [i for i in anchored if i.stance is not None and i.stance.id == st.id]
            if members:
                out += [f"{h} {escape_markdown_inline(st.name, single_line=True)}", ""]
                for item in members:
                    out += _item(item, ("speaker",))
        rest = [i for i in anchored if i.stance is None]
        if rest:
            out += [f"{h} {NO_STANCE}", ""]
            for item in rest:
                out += _item(item, ("speaker",))
    else:
        if anchored:
            out += [f"{h} Highlights in reading order", ""]
            for item in anchored:
                out += _item(item, ("speaker", "stance"))
    if orphans:
        out += [f"{h} Orphaned highlights", "",
                "*These quotes were not found in the current text of the briefing.*", ""]
        for item in orphans:
            out += _item(item, ("speaker", "stance"))
    return out


def _counts_table(items: list[AnnotatedHighlight], stances: list[Stance]) -> list[str]:
    columns: list[tuple[str, str | None]] = [(s.name, s.id) for s in stances]
    if any(i.stance is None for i in items):
        columns.append(("no stance", None))
    rows: list[tuple[str, list[AnnotatedHighlight]]] = []
    speakers = sorted({i.speaker.id: i.speaker for i in items if i.speaker}.values(),
                      key=_speaker_key)
    for sp in speakers:
        rows.append((sp.name, [i for i in items if i.speaker is not None and i.speaker.id == sp.id]))
    unattributed = [i for i in items if i.speaker is None]
    if unattributed:
        rows.append((UNATTRIBUTED, unattributed))

    def cell(text: str) -> str:
        return escape_markdown_inline(text, single_line=True)

    out = ["| " + " | ".join(["speaker"] + [cell(name) for name, _ in columns]) + " |",
           "| " + " | ".join(["---"] * (len(columns) + 1)) + " |"]
    for name, members in rows:
        counts = [sum(1 for i in members if (i.stance.id if i.stance else None) == sid)
                  for _, sid in columns]
        out.append("| " + " | ".join([cell(name)] + [str(c) for c in counts]) + " |")
    return out + [""]


def _item(item: AnnotatedHighlight, extra: tuple[str, ...]) -> list[str]:
    h = item.highlight
    quote = escape_markdown_inline(h.exact)
    out = [f"> {line}" if line else ">" for line in quote.split("\n")]
    out.append("")
    if "speaker" in extra:
        if item.speaker is not None:
            sp = item.speaker
            name = sp.name + (f" — {sp.role}" if sp.role else "")
            out.append(f"- Speaker: {escape_markdown_inline(name, single_line=True)}")
        else:
            out.append(f"- Speaker: {UNATTRIBUTED.lower()}")
    if "stance" in extra and item.stance is not None:
        out.append(f"- Stance: {escape_markdown_inline(item.stance.name, single_line=True)}")
    if h.topics:
        tags = " ".join("#" + escape_markdown_inline(t, single_line=True) for t in h.topics)
        out.append(f"- Topics: {tags}")
    if h.note:
        out += _note_lines(h.note)
    if h.changed:  # re-anchored onto edited text: say what the analyst marked
        was = escape_markdown_inline(h.previous_exact or "").replace("\n", "\n  ")
        out.append(f"- Changed: the text now differs; marked as: {was}")
    if not h.reviewed:  # made from a suggestion (suggest --apply) nobody confirmed yet
        out.append(f"- Review: {UNREVIEWED}")
    if item.orphaned:
        out.append("- Location: not found in the current text")
    elif item.paragraph is not None:
        out.append(f"- Location: paragraph {item.paragraph}")
    if h.created_by:
        who = escape_markdown_inline(h.created_by, single_line=True)
        if h.updated_by and h.updated_by != h.created_by:
            who += f" (changed by {escape_markdown_inline(h.updated_by, single_line=True)})"
        out.append(f"- Analyst: {who}")
    return out + [""]


def _note_lines(note: str) -> list[str]:
    """``- Note: ...``; a note of several paragraphs keeps them as paragraphs of the item."""
    paragraphs = note.split("\n\n")
    if len(paragraphs) > 1 and all(p and not p.startswith("\n") and not p.endswith("\n")
                                   for p in paragraphs):
        out = [f"- Note: {escape_markdown_inline(paragraphs[0])}".replace("\n", "\n  ")]
        for para in paragraphs[1:]:
            out += ["", "  " + escape_markdown_inline(para).replace("\n", "\n  ")]
        return out
    # One paragraph (or odd blank-line runs, kept exactly as character references).
    return [f"- Note: {escape_markdown_inline(note)}".replace("\n", "\n  ")]


# --------------------------------------------------------------------------- JSON

def to_json(store: Any, briefing_ids: Sequence[str] | None = None, *,
            timestamps: bool = False) -> str:
    """W3C Web Annotation collection of the highlights (all briefings when None).

    Each annotation targets ``urn:uuid:<briefing id>`` with a TextQuoteSelector
    (exact, prefix, suffix) and a TextPositionSelector (start, end) into the reading
    text; its body holds speaker, stance, topics and note. A highlight re-anchored
    onto changed text has ``changedFrom``: the quote as marked; one made from a
    suggestion nobody has confirmed yet has ``"reviewed": false``. ``timestamps`` adds
    ``created``/``modified`` (off by default, so the output is reproducible).
    """
    sections = _gather(store, briefing_ids)
    items: list[dict[str, Any]] = []
    for info, section_items in sections:
        for item in section_items:
            items.append(_annotation(info, item, timestamps))
    collection: dict[str, Any] = {
        "@context": W3C_CONTEXT,
        "type": "AnnotationCollection",
        "label": "briefing-tui highlights",
        "total": len(items),
        "briefings": [
            {"id": f"urn:uuid:{info.id}", "title": info.title, "source": info.source,
             "published": info.published, "url": info.url, "revision": info.revision}
            for info, _ in sections
        ],
    }
    if briefing_ids is None:  # every briefing: the library-wide speaker × stance counts
        from briefing_tui.core.matrix import matrix_data  # it imports our escaping

        collection["matrix"] = matrix_data(queries.tally(
            (item for _, section_items in sections for item in section_items), store.stances()))
    # One annotation per line: json.dumps with ``indent`` runs Python's pure-Python
    # encoder (about 1 s for 10k highlights); compact items use the C encoder.
    head = json.dumps(collection, ensure_ascii=False, indent=2)[: -len("\n}")]
    lines = ",\n      ".join(json.dumps(item, ensure_ascii=False) for item in items)
    page = '{"type": "AnnotationPage", "startIndex": 0, "items": ['
    body = f"\n      {lines}\n    ]" if items else "]"
    return _escape_json_controls(f'{head},\n  "first": {page}{body}}}\n}}\n')


# json.dumps escapes C0 controls itself; with ensure_ascii=False it writes DEL, C1
# controls and bidi/format characters raw. They only occur inside strings (the rest is
# ASCII), so writing them as \uXXXX keeps the export lossless and the output inert.
_JSON_RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u206f\ufff9-\ufffb]")


def _escape_json_controls(text: str) -> str:
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _annotation(info: BriefingInfo, item: AnnotatedHighlight,
                timestamps: bool) -> dict[str, Any]:
    h = item.highlight
    speaker = None
    if item.speaker is not None:
        sp = item.speaker
        speaker = {"id": f"urn:uuid:{sp.id}", "name": sp.name, "role": sp.role,
                   "affiliation": sp.affiliation, "aliases": list(sp.aliases)}
    annotation: dict[str, Any] = {
        "id": f"urn:uuid:{h.id}",
        "type": "Annotation",
        "motivation": "highlighting",
    }
    if timestamps:
        annotation["created"] = h.created
        annotation["modified"] = h.updated
    # W3C's creator (an Agent); who changed it last is ours (W3C has no such property).
    if h.created_by:
        annotation["creator"] = {"type": "Person", "name": h.created_by}
    if h.updated_by:
        annotation["modifiedBy"] = {"type": "Person", "name": h.updated_by}
    annotation["body"] = {
        "type": "TextualBody",
        "purpose": "commenting",
        "format": "text/plain",
        "value": h.note,
        "speaker": speaker,
        "stance": item.stance.name if item.stance is not None else None,
        "topics": list(h.topics),
        "note": h.note,
    }
    annotation["target"] = {
        "source": f"urn:uuid:{info.id}",
        "title": info.title,
        "selector": [
            {"type": "TextQuoteSelector", "exact": h.exact, "prefix": h.prefix,
             "suffix": h.suffix},
            {"type": "TextPositionSelector", "start": h.start, "end": h.end},
        ],
    }
    annotation["status"] = h.status
    annotation["paragraph"] = item.paragraph
    if h.changed:  # re-anchored onto edited text: the quote as marked
        annotation["changedFrom"] = h.previous_exact
    if not h.reviewed:  # made from a suggestion (suggest --apply) nobody confirmed yet
        annotation["reviewed"] = False
    return annotation


# --------------------------------------------------------------------------- CSV

def to_csv(store: Any, briefing_ids: Sequence[str] | None = None) -> str:
    """One row per highlight (RFC 4180, header row first), in briefing then text order.

    ``changed_from`` is the quote as marked of a highlight re-anchored onto changed text;
    ``unreviewed`` is ``yes`` for a suggested highlight nobody has confirmed yet.

    Every cell goes through :func:`~briefing_tui.core.safetext.csv_cell`: a text that a
    spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``, tab, carriage
    return first) starts with ``'``, and controls are written as placeholders. The
    JSON export is the lossless one.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for info, items in _gather(store, briefing_ids):
        for item in items:
            h = item.highlight
            writer.writerow(map(csv_cell, [
                info.title, h.start, h.end, h.exact,
                item.speaker.name if item.speaker else "",
                item.stance.name if item.stance else "",
                "; ".join(h.topics), h.note,
                "" if item.paragraph is None else item.paragraph,
                h.status, info.id, h.id,
                h.previous_exact if h.changed else "",
                h.created_by, h.updated_by,
                "" if h.reviewed else "yes",
            ]))
    return buffer.getvalue()


# --------------------------------------------------------------------------- the formats

@dataclass(frozen=True)
class ExportFormat:
    """One export format: its key (``--format`` and the file suffix), its name for people,
    and how it renders briefings (``group_by`` matters to Markdown only)."""

    key: str
    label: str
    render: Callable[[Any, Sequence[str] | None, str], str]


# The one list of formats: the CLI's --format, the command palette and the app read it.
EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.key: f for f in (
        ExportFormat("md", "Markdown",
                     lambda store, ids, group_by: to_markdown(store, ids, group_by=group_by)),
        ExportFormat("json", "JSON", lambda store, ids, group_by: to_json(store, ids)),
        ExportFormat("csv", "CSV", lambda store, ids, group_by: to_csv(store, ids)),
    )
}
FORMATS = tuple(EXPORT_FORMATS)


def export(store: Any, briefing_ids: Sequence[str] | None = None, *, fmt: str = "md",
           group_by: str = "speaker") -> str:
    """Render in format ``fmt`` (a key of ``EXPORT_FORMATS``: "md", "json" or "csv")."""
    found = EXPORT_FORMATS.get(fmt)
    if found is None:
        raise ExportError(f"unknown format {fmt!r} (choose {', '.join(FORMATS[:-1])}"
                          f" or {FORMATS[-1]})")
    return found.render(store, briefing_ids, group_by)


def export_file(store: Any, briefing_ids: Sequence[str] | None, path: str | os.PathLike[str],
                *, fmt: str = "md", group_by: str = "speaker", force: bool = False) -> Path:
    """Render and write atomically (see :func:`write_atomic`); returns the path written.

    The app runs this in a thread worker with a store opened in that thread.
    """
    return write_atomic(path, export(store, briefing_ids, fmt=fmt, group_by=group_by),
                        force=force)


# --------------------------------------------------------------------------- writing

def write_atomic(path: str | os.PathLike[str], text: str, *, force: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically: a temporary file in the same folder,
    then a rename. Refuses an existing file unless ``force``. Returns the path.

    Raises ``ExportError`` (one line) for an existing file, a missing folder or no permission.
    """
    target = Path(path).expanduser()
    folder = target.parent
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name")
    if not folder.is_dir():
        raise ExportError(f"cannot write {target}: folder {folder} does not exist")
    if target.exists() and not force:
        raise ExportError(f"{target} already exists; use --force to overwrite it")
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private; give it the mode a normal new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        if force:
            os.replace(tmp, target)
        else:
            _link_no_clobber(tmp, target)
    except ExportError:
        tmp.unlink(missing_ok=True)
        raise
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def _link_no_clobber(tmp: Path, target: Path) -> None:
    """Move ``tmp`` to ``target`` unless ``target`` appeared meanwhile (no race window)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise ExportError(f"{target} already exists; use --force to overwrite it") from None
    except OSError:
        # File systems without hard links: the existence check above has to do.
        if target.exists():
            raise ExportError(f"{target} already exists; use --force to overwrite it") from None
        os.replace(tmp, target)
        return
    tmp.unlink(missing_ok=True)
