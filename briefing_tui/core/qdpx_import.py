"""A REFI-QDA project (``.qdpx``) from another tool, or from us, into the database
(``briefing-tui import-qdpx FILE.qdpx``).

What is read: the codebook (merged as ``codebook import`` merges: codes in a *Stances* or
*Speakers* group are stance labels and speakers, every other code a topic), the text
sources (``plainTextPath`` into the archive's ``sources/``, or ``PlainTextContent``), their
plain-text selections with their codings and notes. A source is a briefing we hold when its
guid is one of our briefing ids or its text is a briefing's reading text; else it is added as
a plain-text briefing named after the source. Each selection becomes a highlight through
:func:`briefing_tui.core.w3c_import.import_annotations` (its quote and context taken from the
source's text at its positions, placed as re-imports place highlights: a new briefing's
reading text may differ a little from the source file, its leading blank lines dropped);
a selection already there is skipped.

The whole archive is read and checked before anything is written: a file that is not a zip,
an archive without a project, a project that is not REFI-QDA or a source it names but lacks
is one line, and nothing changes.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from briefing_tui.core.anchoring import CONTEXT
from briefing_tui.core.codebook import (
    CodebookError,
    ImportReport,
    codebook_from_codes,
    import_codebook,
    parse_xml,
)
from briefing_tui.core.errors import ImportRefused
from briefing_tui.core.qdpx import PROJECT_NS
from briefing_tui.core.safetext import safe_display, safe_line
from briefing_tui.core.w3c_import import AnnotationsReport, import_annotations

__all__ = ["QdpxImport", "QdpxRefused", "import_qdpx", "read_qdpx"]

_NS = f"{{{PROJECT_NS}}}"
MAX_SOURCE_BYTES = 200 * 1024 * 1024  # a zip bomb's "source" is refused, not inflated


class QdpxRefused(ImportRefused):
    """Not a REFI-QDA project we can read; the message is one line."""


@dataclass
class _Source:
    guid: str
    name: str
    text: str
    selections: list[dict[str, Any]]


@dataclass
class QdpxProject:
    """What an archive holds, read and checked."""

    codes: list[Element]
    kinds: dict[str, tuple[str, str]]  # code guid -> (stance|speaker|topic, name)
    notes: dict[str, str]
    sources: list[_Source]


@dataclass
class QdpxImport:
    """What :func:`import_qdpx` did."""

    codebook: ImportReport
    annotations: AnnotationsReport | None
    briefings_added: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Lines for a terminal: briefings added, the codebook, the highlights."""
        out = [f"added briefing {safe_line(t)!r}" for t in self.briefings_added]
        out += self.codebook.lines()
        out.append(f"codebook: {self.codebook.summary()}")
        if self.annotations is not None:
            out += self.annotations.lines()
        return out


def _code_kinds(codes: list[Element]) -> dict[str, tuple[str, str]]:
    kinds: dict[str, tuple[str, str]] = {}

    def walk(code: Element, kind: str) -> None:
        for child in code.findall(f"{_NS}Code"):
            kinds[child.get("guid", "").lower()] = (kind, child.get("name", ""))
            walk(child, kind)

    for group in codes:
        name = (group.get("name") or "").strip().casefold().rstrip("s")
        if name in ("stance", "speaker"):
            for child in group.findall(f"{_NS}Code"):
                kinds[child.get("guid", "").lower()] = (name, child.get("name", ""))
        elif name == "topic":
            walk(group, "topic")
        else:
            kinds[group.get("guid", "").lower()] = ("topic", group.get("name", ""))
            walk(group, "topic")
    return {guid: kind for guid, kind in kinds.items() if kind[1]}


def read_qdpx(path: str | Path) -> QdpxProject:
    """Open and check a ``.qdpx``; :class:`QdpxRefused` (one line) when it is not one."""
    path = Path(path).expanduser()
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise QdpxRefused(f"{path.name}: not a REFI-QDA project (not a zip archive)") from None
    except OSError as exc:
        raise QdpxRefused(f"cannot read {path}: {exc.strerror or exc}") from None
    with archive:
        names = {info.filename: info for info in archive.infolist()}
        qde = next((n for n in names if "/" not in n and n.lower().endswith(".qde")), None)
        if qde is None:
            raise QdpxRefused(f"{path.name}: not a REFI-QDA project (no .qde file in it)")

        def read(name: str) -> bytes:
            info = names.get(name)
            if info is None:
                raise QdpxRefused(f"{path.name}: {name} is missing from the archive")
            if info.file_size > MAX_SOURCE_BYTES:
                raise QdpxRefused(f"{path.name}: {name} is too large")
            try:
                return archive.read(info)
            except (zipfile.BadZipFile, OSError) as exc:
                raise QdpxRefused(f"{path.name}: cannot read {name}: {exc}") from None

        try:
            root = parse_xml(read(qde), "a REFI-QDA project")
        except CodebookError as exc:
            raise QdpxRefused(f"{path.name}: {exc}") from None
        if root.tag != f"{_NS}Project":
            raise QdpxRefused(f"{path.name}: not a REFI-QDA project (its root is not Project"
                              f" in {PROJECT_NS})")
        codes = root.findall(f"{_NS}CodeBook/{_NS}Codes/{_NS}Code")
        notes = {n.get("guid", "").lower(): n.findtext(f"{_NS}PlainTextContent") or ""
                 for n in root.findall(f"{_NS}Notes/{_NS}Note")}
        sources = []
        for element in root.findall(f"{_NS}Sources/{_NS}TextSource"):
            sources.append(_read_source(element, read, path.name))
    return QdpxProject(codes, _code_kinds(codes), notes, sources)


def _read_source(element: Element, read: Any, archive_name: str) -> _Source:
    guid = element.get("guid", "").lower()
    name = element.get("name") or guid
    plain = element.get("plainTextPath")
    if plain and plain.startswith("internal://"):
        data = read("sources/" + plain.removeprefix("internal://"))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise QdpxRefused(f"{archive_name}: source {safe_line(name)!r} is not UTF-8"
                              ) from None
    elif element.find(f"{_NS}PlainTextContent") is not None:
        text = element.findtext(f"{_NS}PlainTextContent") or ""
    else:
        raise QdpxRefused(f"{archive_name}: source {safe_line(name)!r} has no text in the"
                          " archive")
    selections = []
    for sel in element.findall(f"{_NS}PlainTextSelection"):
        try:
            start = int(sel.get("startPosition", ""))
            end = int(sel.get("endPosition", ""))
        except ValueError:
            raise QdpxRefused(f"{archive_name}: a selection of {safe_line(name)!r} has no"
                              " positions") from None
        if not 0 <= start < end <= len(text):
            raise QdpxRefused(f"{archive_name}: a selection of {safe_line(name)!r} lies"
                              f" outside its text ({start}-{end})")
        selections.append({
            "guid": sel.get("guid", "").lower(), "start": start, "end": end,
            "codes": [c.get("targetGUID", "").lower()
                      for c in sel.findall(f"{_NS}Coding/{_NS}CodeRef")],
            "notes": [r.get("targetGUID", "").lower() for r in sel.findall(f"{_NS}NoteRef")],
            "created": sel.get("creationDateTime", ""),
            "modified": sel.get("modifiedDateTime", ""),
        })
    return _Source(guid, name, text, selections)


def import_qdpx(store: Any, project: QdpxProject) -> QdpxImport:
    """Bring a checked project in: its codebook, its sources we lack, its selections."""
    from briefing_tui.core.document import normalize, parse_text

    codebook = import_codebook(store, codebook_from_codes(project.codes, PROJECT_NS))
    result = QdpxImport(codebook, None)
    live = {info.id: info for info in store.list_briefings()}
    by_text: dict[str, str] = {}
    for info in live.values():
        text = store.get_briefing(info.id, with_source=False).document.text
        by_text.setdefault(hashlib.sha256(text.encode("utf-8")).hexdigest(), info.id)
    items: list[dict[str, Any]] = []
    speakers = {s.name.casefold(): s for s in store.speakers()}
    for source in project.sources:
        digest = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
        briefing_id = source.guid if source.guid in live else by_text.get(digest)
        clean = safe_display(normalize(source.text))
        content_hash = hashlib.sha256(clean.encode("utf-8")).hexdigest()
        if briefing_id is None:  # added by an earlier import of this project?
            known = store.find_briefing(content_hash=content_hash)
            briefing_id = known.id if known is not None and known.id in live else None
        if briefing_id is None:
            if not clean.strip():
                continue
            info = store.add_briefing(
                title=" ".join(safe_line(source.name).split()) or "Untitled source",
                source="REFI-QDA project", published="", url="", path="", fmt="text",
                source_text=clean, document=parse_text(clean),
                content_hash=content_hash)
            briefing_id = info.id
            result.briefings_added.append(info.title)
        for sel in source.selections:
            items.append(_annotation(project, source, sel, briefing_id, speakers))
    if items:
        result.annotations = import_annotations(store, {"type": "AnnotationPage",
                                                        "items": items})
    return result


def _annotation(project: QdpxProject, source: _Source, sel: dict[str, Any], briefing_id: str,
                speakers: dict[str, Any]) -> dict[str, Any]:
    """A selection as a W3C annotation on our briefing."""
    text, start, end = source.text, sel["start"], sel["end"]
    speaker = stance = None
    topics = []
    for guid in sel["codes"]:
        kind, name = project.kinds.get(guid, ("", ""))
        if kind == "speaker" and speaker is None:
            known = speakers.get(name.casefold())
            speaker = {"name": name} if known is None else {
                "name": known.name, "role": known.role, "affiliation": known.affiliation,
                "aliases": list(known.aliases)}
        elif kind == "stance" and stance is None:
            stance = name
        elif kind in ("topic", "speaker", "stance"):
            topics.append(name)
    note = "\n\n".join(project.notes[n] for n in sel["notes"] if project.notes.get(n))
    annotation: dict[str, Any] = {
        "type": "Annotation",
        "target": {"source": f"urn:uuid:{briefing_id}", "selector": [
            {"type": "TextQuoteSelector", "exact": text[start:end],
             "prefix": text[max(0, start - CONTEXT):start], "suffix": text[end:end + CONTEXT]},
            {"type": "TextPositionSelector", "start": start, "end": end}]},
        "body": {"speaker": speaker, "stance": stance, "topics": topics, "note": note},
        "created": sel["created"], "modified": sel["modified"],
    }
    if len(sel["guid"]) == 36:
        annotation["id"] = f"urn:uuid:{sel['guid']}"
    return annotation
