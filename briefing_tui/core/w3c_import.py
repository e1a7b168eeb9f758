"""W3C Web Annotations back in as highlights (``briefing-tui import-annotations FILE``).

Reads what ``export --format json`` writes (an ``AnnotationCollection`` whose first page
holds the annotations, with our body: speaker, stance, topics, note) and annotations from
other W3C tools: a single ``Annotation``, a list of them, an ``AnnotationPage`` or a
collection, each targeting a source we hold with a ``TextQuoteSelector`` and/or a
``TextPositionSelector``; a ``TextualBody`` with purpose ``tagging`` is a topic, any other
textual body a note.

A target's source is one of our briefings when it is ``urn:uuid:<briefing id>``, else the
briefing's URL or file path, else (our own export, into another database holding the same
briefings) the one briefing with the title, date and source the collection lists for it.
A source we do not hold refuses the whole file (one line, nothing changed).

Each annotation is placed as a re-import places a highlight
(:func:`briefing_tui.core.anchoring.reanchor`: position, quote with its context, fuzzy);
one that cannot be placed is kept as an orphan with its quote. An annotation whose id is a
highlight we already have, or whose quote is already highlighted at the same place, is
skipped, so importing a file twice adds nothing. Everything is written in one transaction.
Text from the file is somebody else's: names, topics, notes and quotes are cleaned as typed
input is (:mod:`briefing_tui.core.safetext`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing_tui.core.errors import ImportRefused
from briefing_tui.core.models import ANCHORED, ORPHANED, BriefingInfo
from briefing_tui.core.safetext import safe_display, safe_line
from briefing_tui.core.schema import new_id, now_iso

__all__ = ["AnnotationsRefused", "AnnotationsReport", "import_annotations", "read_annotations"]

_UUID = re.compile(r"urn:uuid:([0-9a-fA-F-]{36})$")
_BAD = re.compile("[\ud800-\udfff]")


class AnnotationsRefused(ImportRefused):
    """The file is not W3C annotations we can place; the message is one line."""


@dataclass
class AnnotationsReport:
    """What :func:`import_annotations` did."""

    added: int = 0
    by_position: int = 0
    by_quote: int = 0
    fuzzy: int = 0
    orphaned: int = 0
    skipped: int = 0
    briefings: set[str] = field(default_factory=set)
    new_speakers: list[str] = field(default_factory=list)
    new_stances: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """A summary and one line per speaker or stance made, each safe for a terminal."""
        summary = (f"{self.added} highlight{'s' if self.added != 1 else ''} added to"
                   f" {len(self.briefings)} briefing{'s' if len(self.briefings) != 1 else ''}"
                   f" ({self.by_position} by position, {self.by_quote} by quote,"
                   f" {self.fuzzy} fuzzy, {self.orphaned} orphaned);"
                   f" {self.skipped} already there")
        out = [summary]
        out += [f"new speaker {name!r}" for name in self.new_speakers]
        out += [f"new stance {name!r}" for name in self.new_stances]
        return [safe_line(line) for line in out + self.notes]


# --------------------------------------------------------------------------- reading

def read_annotations(path: str | Path) -> Any:
    """The JSON of ``path``; :class:`AnnotationsRefused` (one line) when it is not JSON."""
    path = Path(path).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnnotationsRefused(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise AnnotationsRefused(f"{path.name}: not JSON: {exc}") from None


def _annotations(data: Any) -> Iterator[dict[str, Any]]:
    """The annotations of a collection, a page, a list or a single annotation."""
    if isinstance(data, list):
        for item in data:
            yield from _annotations(item)
        return
    if not isinstance(data, dict):
        return
    kind = data.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if "Annotation" in kinds:
        yield data
    elif "AnnotationPage" in kinds:
        yield from _annotations(data.get("items", []))
        if isinstance(data.get("next"), dict):
            yield from _annotations(data["next"])
    elif "AnnotationCollection" in kinds:
        if isinstance(data.get("first"), dict):
            yield from _annotations(data["first"])
        yield from _annotations(data.get("items", []))


def _str(value: Any) -> str:
    return _BAD.sub("\ufffd", value) if isinstance(value, str) else ""


@dataclass
class _Wanted:
    """One annotation, read: where it points and what it says."""

    id: str | None
    source: str
    exact: str | None = None
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    speaker: dict[str, Any] | None = None
    stance: str | None = None
    topics: list[str] = field(default_factory=list)
    note: str = ""
    orphaned: bool = False
    changed_from: str | None = None
    created: str = ""
    modified: str = ""


def _parse(annotation: dict[str, Any], n: int) -> _Wanted:
    target = annotation.get("target")
    if isinstance(target, list):
        target = next((t for t in target if isinstance(t, dict)), None)
    if isinstance(target, str) or not isinstance(target, dict):
        raise AnnotationsRefused(f"annotation {n}: its target has no text selector")
    source = _str(target.get("source"))
    if not source:
        raise AnnotationsRefused(f"annotation {n}: its target names no source")
    match = _UUID.match(_str(annotation.get("id")))
    wanted = _Wanted(id=match.group(1).lower() if match else None, source=source)
    selectors = target.get("selector", [])
    for selector in selectors if isinstance(selectors, list) else [selectors]:
        if not isinstance(selector, dict):
            continue
        if selector.get("type") == "TextQuoteSelector" and isinstance(selector.get("exact"), str):
            wanted.exact = _str(selector["exact"])
            wanted.prefix = _str(selector.get("prefix"))
            wanted.suffix = _str(selector.get("suffix"))
        elif selector.get("type") == "TextPositionSelector":
            start, end = selector.get("start"), selector.get("end")
            if (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
                    and not isinstance(end, bool) and 0 <= start < end):
                wanted.start, wanted.end = start, end
    if wanted.exact is None and wanted.start is None:
        raise AnnotationsRefused(f"annotation {n}: no TextQuoteSelector or"
                                 " TextPositionSelector")
    if wanted.exact == "":
        raise AnnotationsRefused(f"annotation {n}: its quote is empty")
    bodies = annotation.get("body", [])
    notes: list[str] = []
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if isinstance(body, str):
            notes.append(body)
            continue
        if not isinstance(body, dict):
            continue
        ours = any(key in body for key in ("speaker", "stance", "topics", "note"))
        if ours:
            if isinstance(body.get("speaker"), dict) and _str(body["speaker"].get("name")):
                wanted.speaker = body["speaker"]
            wanted.stance = _str(body.get("stance")) or None
            topics = body.get("topics")
            wanted.topics += [_str(t) for t in topics if isinstance(t, str)] \
                if isinstance(topics, list) else []
            notes.append(_str(body.get("note")))
        elif body.get("purpose") == "tagging":
            wanted.topics.append(_str(body.get("value")))
        elif isinstance(body.get("value"), str):
            notes.append(_str(body["value"]))
    wanted.note = "\n\n".join(n for n in notes if n)
    wanted.orphaned = annotation.get("status") == ORPHANED
    changed = annotation.get("changedFrom")
    wanted.changed_from = _str(changed) if isinstance(changed, str) else None
    wanted.created = _str(annotation.get("created"))
    wanted.modified = _str(annotation.get("modified"))
    return wanted


# --------------------------------------------------------------------------- sources

def _resolver(store: Any, data: Any) -> Any:
    """A function from a target's source to one of our briefings (None: not held)."""
    infos = store.list_briefings()
    by_id = {i.id.lower(): i for i in infos}
    by_url: dict[str, list[BriefingInfo]] = {}
    by_path: dict[str, list[BriefingInfo]] = {}
    for info in infos:
        if info.url:
            by_url.setdefault(info.url, []).append(info)
        if info.path:
            by_path.setdefault(info.path, []).append(info)
    # Our export lists its briefings: the same briefing in another database has another
    # id, but the same title, date and source.
    listed: dict[str, dict[str, Any]] = {}
    if isinstance(data, dict) and isinstance(data.get("briefings"), list):
        for entry in data["briefings"]:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                listed[entry["id"].lower()] = entry

    def resolve(source: str) -> BriefingInfo | None:
        match = _UUID.match(source)
        if match and match.group(1).lower() in by_id:
            return by_id[match.group(1).lower()]
        for table, key in ((by_url, source), (by_path, source.removeprefix("file://"))):
            found = table.get(key, [])
            if len(found) == 1:
                return found[0]
        entry = listed.get(source.lower())
        if entry is not None:
            same = [i for i in infos
                    if (i.title, i.published, i.source) == (entry.get("title"),
                                                            entry.get("published", ""),
                                                            entry.get("source", ""))]
            if len(same) == 1:
                return same[0]
            url = entry.get("url")
            if url and len(by_url.get(url, [])) == 1:
                return by_url[url][0]
        return None

    return resolve


# --------------------------------------------------------------------------- importing

def import_annotations(store: Any, data: Any) -> AnnotationsReport:
    """Place the annotations of ``data`` (parsed JSON) as highlights; see the module."""
    from briefing_tui.core.anchoring import quote_selector, reanchor
    from briefing_tui.core.store import normalize_topic

    items = list(_annotations(data))
    if not items:
        raise AnnotationsRefused("not W3C annotations: no Annotation in it")
    wanted = [_parse(a, n) for n, a in enumerate(items, 1)]
    resolve = _resolver(store, data)
    targets: dict[str, BriefingInfo] = {}
    for w in wanted:
        info = resolve(w.source)
        if info is None:
            raise AnnotationsRefused(f"annotations on a source this database does not hold:"
                                     f" {safe_line(w.source)}")
        targets[w.source] = info
    report = AnnotationsReport()
    texts: dict[str, str] = {}
    with store._write() as _tx:  # one transaction; an import from the CLI is not undone
        existing = {r[0] for r in store.conn.execute("SELECT id FROM highlights")}
        spans = {tuple(r) for r in store.conn.execute(
            'SELECT briefing_id, "start", "end", exact FROM highlights')}
        stances = {r["name"].casefold(): r["id"] for r in store._rows(
            "SELECT id, name FROM stances")}
        keys = {r[0] for r in store.conn.execute("SELECT key FROM stances")}
        topics = {r["name"]: r["id"] for r in store._rows("SELECT id, name FROM topics")}
        for w in wanted:
            info = targets[w.source]
            if info.id not in texts:
                texts[info.id] = store._reading_text(info.id)
            text = texts[info.id]
            if w.id is not None and w.id in existing:
                report.skipped += 1
                continue
            place = _place(text, w, reanchor)
            if place is not None:
                start, end = place
                exact, prefix, suffix = quote_selector(text, start, end)
                how = ("by_position" if (start, end) == (w.start, w.end)
                       and (w.exact is None or exact == w.exact)
                       else "by_quote" if exact == (w.exact or exact) else "fuzzy")
            else:
                exact = safe_display(w.exact or "")
                start = w.start if w.start is not None else 0
                end = max(start + 1, start + len(exact)) if w.end is None else w.end
                prefix, suffix, how = safe_display(w.prefix), safe_display(w.suffix), "orphaned"
            if (info.id, start, end, exact) in spans:
                report.skipped += 1
                continue
            previous = None
            if place is not None and w.exact is not None and w.exact != exact:
                previous = safe_display(w.exact)  # a fuzzy placement: the quote as marked
            elif place is not None and w.changed_from and w.changed_from != exact:
                previous = safe_display(w.changed_from)
            now = now_iso()
            row = {"id": w.id or new_id(), "briefing_id": info.id, "start": start, "end": end,
                   "exact": exact, "prefix": prefix, "suffix": suffix,
                   "speaker_id": _speaker_id(store, w.speaker, report),
                   "stance_id": _stance_id(store, w.stance, stances, keys, report),
                   "note": safe_display(w.note),
                   "status": ORPHANED if place is None else ANCHORED,
                   "created": w.created or now, "updated": w.modified or w.created or now,
                   "previous_exact": previous}
            store._insert("highlights", row)
            existing.add(row["id"])
            spans.add((info.id, start, end, exact))
            for name in sorted({n for n in map(normalize_topic, w.topics) if n}):
                if name not in topics:
                    topics[name] = new_id()
                    store._insert("topics", {"id": topics[name], "name": name, "created": now})
                store._insert("highlight_topics", {"id": new_id(), "highlight_id": row["id"],
                                                   "topic_id": topics[name]})
            report.added += 1
            setattr(report, how, getattr(report, how) + 1)
            report.briefings.add(info.id)
    return report


def _place(text: str, w: _Wanted, reanchor: Any) -> tuple[int, int] | None:
    """Where the annotation lies in ``text`` (None: an orphan)."""
    if w.exact is None:  # a position alone: take it if it is in the text
        assert w.start is not None and w.end is not None
        return (w.start, w.end) if w.end <= len(text) else None
    if w.orphaned and (w.start is None or text[w.start:w.end] != w.exact):
        return None  # exported as an orphan: the text it was on is gone
    start = w.start if w.start is not None else max(text.find(w.exact), 0)
    end = w.end if w.end is not None else start + len(w.exact)
    return reanchor(text, w.exact, w.prefix, w.suffix, start, end)


def _speaker_id(store: Any, speaker: dict[str, Any] | None,
                report: AnnotationsReport) -> str | None:
    if speaker is None:
        return None
    name = " ".join(safe_line(_str(speaker.get("name"))).split())
    if not name:
        return None
    found = store.find_speaker(name)
    if found is not None:
        return str(found.id)
    aliases = speaker.get("aliases")
    # Our export names the speaker's id: keep it when it is free (the same person in both).
    match = _UUID.match(_str(speaker.get("id")))
    speaker_id = match.group(1).lower() if match else new_id()
    if store.conn.execute("SELECT 1 FROM speakers WHERE id = ?", (speaker_id,)).fetchone():
        speaker_id = new_id()
    row = {"id": speaker_id, "name": name, "name_key": name.casefold(),
           "role": safe_line(_str(speaker.get("role"))).strip(),
           "affiliation": safe_line(_str(speaker.get("affiliation"))).strip(),
           "aliases": json.dumps([a for a in dict.fromkeys(
               " ".join(safe_line(_str(a)).split()) for a in aliases)
               if a and a.casefold() != name.casefold()] if isinstance(aliases, list) else [],
               ensure_ascii=False),
           "created": now_iso(), "updated": now_iso()}
    store._insert("speakers", row)
    report.new_speakers.append(name)
    return row["id"]


def _stance_id(store: Any, name: str | None, stances: dict[str, str], keys: set[int],
               report: AnnotationsReport) -> str | None:
    if not name:
        return None
    name = " ".join(safe_line(name).split())
    if name.casefold() in stances:
        return stances[name.casefold()]
    free = next((k for k in range(1, 10) if k not in keys), None)
    if free is None:
        report.notes.append(f"stance {name!r} left off: hotkeys 1-9 are all taken")
        stances[name.casefold()] = None  # type: ignore[assignment] - asked once
        return None
    row = {"id": new_id(), "key": free, "name": name, "color": "#888888", "description": ""}
    store._insert("stances", row)
    keys.add(free)
    stances[name.casefold()] = row["id"]
    report.new_stances.append(f"{name} (hotkey {free})")
    return row["id"]
