"""REFI-QDA project export (``export --format qdpx``): a ``.qdpx`` archive for NVivo,
ATLAS.ti, MAXQDA, QualCoder and the rest.

The archive (a zip) holds ``project.qde`` (XML, namespace ``urn:QDA-XML:project:1.0``) and
``sources/<guid>.txt``, one UTF-8 text file per briefing: its reading text, the text the
highlights' offsets count in. In the project:

- ``Users``: the analysts who made the highlights (one, "briefing-tui", while the database
  does not say who);
- ``CodeBook``: the codebook of :mod:`briefing_tui.core.codebook` (stances, speakers and
  topics as codes in three groups), each code's guid the database id of its stance,
  speaker or topic;
- ``Sources``: each briefing as a ``TextSource`` (``plainTextPath`` into ``sources/``), each
  anchored highlight as a ``PlainTextSelection`` whose ``startPosition``/``endPosition``
  are our offsets: zero-based, end exclusive, counted in Unicode code points (characters,
  as Python counts them; not UTF-16 units, not bytes), as the standard counts characters;
  coded (``Coding``/``CodeRef``) with its speaker, stance and topics; its note a ``Note``
  the selection refers to (``NoteRef``);
- ``Notes``: those notes.

Orphaned highlights have no place in the text and are left out (the caller says how many).
Text goes through :func:`~briefing_tui.core.codebook.xml_text`: XML 1.0 has no room for
most C0 controls, and placeholders keep one character for one, so offsets still hold.
"""

from __future__ import annotations

import io
import os
import tempfile
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing_tui import __version__
from briefing_tui.core import queries
from briefing_tui.core.codebook import codebook_codes, codebook_of, xml_document, xml_text
from briefing_tui.core.errors import ExportError

__all__ = ["PROJECT_NS", "QdpxResult", "qdpx_bytes", "write_qdpx"]

PROJECT_NS = "urn:QDA-XML:project:1.0"
DEFAULT_USER = "briefing-tui"
NAME_MAX = 60  # a selection's name: the start of its quote


@dataclass(frozen=True)
class QdpxResult:
    """What went into an archive."""

    sources: int
    selections: int
    notes: int
    orphans_left_out: int


def _guid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "briefing-tui:" + ":".join(parts)))


def _el(parent: ET.Element, tag: str, **attrs: str | None) -> ET.Element:
    return ET.SubElement(parent, f"{{{PROJECT_NS}}}{tag}",
                         {k: v for k, v in attrs.items() if v is not None})


def _stamp(value: str) -> str | None:
    """An ``xsd:dateTime`` from a stored stamp, None when there is none."""
    return value if len(value) >= 19 and value[10] == "T" else None


def _analysts(store: Any) -> dict[str, str]:
    """highlight id -> analyst name, when the database records who made each highlight."""
    with store.reading() as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(highlights)")}
        if "analyst" not in columns:
            return {}
        return {hid: name for hid, name in conn.execute(
            "SELECT id, analyst FROM highlights WHERE analyst IS NOT NULL AND analyst <> ''")}


def qdpx_bytes(store: Any, briefing_ids: Sequence[str] | None = None) -> tuple[bytes, QdpxResult]:
    """The ``.qdpx`` archive of the briefings (all when None) and what it holds."""
    infos = queries.briefings(store, briefing_ids, order="date")
    if not infos:
        raise ExportError("no briefings to export")
    items = queries.annotated_highlights(store, queries.HighlightQuery(
        briefing_ids=None if briefing_ids is None else [i.id for i in infos]))
    groups = queries.group_by_briefing(items)
    with store.reading() as conn:
        topic_ids = dict(conn.execute("SELECT name, id FROM topics"))
    book = codebook_of(store)
    stance_ids = {s.name: s.id for s in store.stances()}
    speaker_ids = {s.name.casefold(): s.id for s in store.speakers()}
    ids = {"stance": stance_ids, "speaker": speaker_ids, "topic": topic_ids}

    def code_guid(group: str, name: str) -> str:
        return ids[group].get(name) or _guid(group, name)

    analysts = _analysts(store)
    users = {name: _guid("user", name) for name in sorted(set(analysts.values()))}
    default_user = _guid("user", DEFAULT_USER)
    if not users or len(analysts) < len(items):
        users.setdefault(DEFAULT_USER, default_user)

    root = ET.Element(f"{{{PROJECT_NS}}}Project", {
        "name": "briefing-tui highlights", "origin": f"briefing-tui {__version__}",
        "creatingUserGUID": users.get(DEFAULT_USER, next(iter(users.values())))})
    users_el = _el(root, "Users")
    for name, guid in users.items():
        _el(users_el, "User", guid=guid, name=xml_text(name))
    codebook = _el(root, "CodeBook")
    codebook.append(codebook_codes(book, PROJECT_NS, code_guid))
    sources = _el(root, "Sources")
    notes: list[tuple[str, str, str, str | None]] = []  # guid, name, text, user
    files: dict[str, str] = {}
    selections = orphans = 0
    for info in infos:
        text = xml_text(store.get_briefing(info.id, with_source=False).document.text)
        files[f"sources/{info.id}.txt"] = text
        source = _el(sources, "TextSource", guid=info.id, name=xml_text(info.title),
                     plainTextPath=f"internal://{info.id}.txt",
                     creationDateTime=_stamp(info.imported))
        facts = " · ".join(v for v in (info.source, info.published, info.url) if v)
        if facts:
            _el(source, "Description").text = xml_text(facts)
        for item in groups.get(info.id, []):
            h = item.highlight
            if item.orphaned:
                orphans += 1
                continue
            user = users.get(analysts.get(h.id, DEFAULT_USER), default_user)
            quote = " ".join(text[h.start:h.end].split())
            name = quote if len(quote) <= NAME_MAX else quote[:NAME_MAX - 1] + "…"
            selection = _el(source, "PlainTextSelection", guid=h.id, name=name,
                            startPosition=str(h.start), endPosition=str(h.end),
                            creatingUser=user, creationDateTime=_stamp(h.created),
                            modifyingUser=user, modifiedDateTime=_stamp(h.updated))
            targets = []
            if item.speaker is not None:
                targets.append(code_guid("speaker", item.speaker.name.casefold()))
            if item.stance is not None:
                targets.append(code_guid("stance", item.stance.name))
            targets += [code_guid("topic", t) for t in h.topics]
            for target in targets:
                coding = _el(selection, "Coding", guid=_guid("coding", h.id, target),
                             creatingUser=user)
                _el(coding, "CodeRef", targetGUID=target)
            if h.note:
                note_guid = _guid("note", h.id)
                _el(selection, "NoteRef", targetGUID=note_guid)
                notes.append((note_guid, f"Note: {name}", h.note, user))
            selections += 1
    if notes:
        notes_el = _el(root, "Notes")
        for guid, name, note, user in notes:
            note_el = _el(notes_el, "Note", guid=guid, name=name, creatingUser=user)
            _el(note_el, "PlainTextContent").text = xml_text(note)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_entry("project.qde"), xml_document(root, PROJECT_NS).encode("utf-8"))
        for path, content in files.items():
            archive.writestr(_entry(path), content.encode("utf-8"))
    return buffer.getvalue(), QdpxResult(len(infos), selections, len(notes), orphans)


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry with a fixed date: the same database gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def write_qdpx(store: Any, briefing_ids: Sequence[str] | None, path: str | os.PathLike[str],
               *, force: bool = False) -> tuple[Path, QdpxResult]:
    """Write the archive to ``path`` atomically (refusing an existing file unless ``force``)."""
    data, result = qdpx_bytes(store, briefing_ids)
    target = Path(path).expanduser()
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name")
    if not target.parent.is_dir():
        raise ExportError(f"cannot write {target}: folder {target.parent} does not exist")
    if target.exists() and not force:
        raise ExportError(f"{target} already exists; use --force to overwrite it")
    tmp: Path | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".tmp")
        tmp = Path(tmp_name)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        if force:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)  # no clobbering a file made meanwhile
    except FileExistsError:
        raise ExportError(f"{target} already exists; use --force to overwrite it") from None
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    return target, result
