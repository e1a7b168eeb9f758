"""Files and folders -> briefings in the store.

``import_paths(store, ["notes/", "wire.txt"])`` reads every file first, refuses the
whole batch with one clear line (``ImportRefused``) if any of them is unusable, and
only then writes, committing file by file (a killed import keeps the files done; a
re-run adds the rest). A file already stored unchanged is left alone; a changed file
becomes a new revision of the same briefing with its highlights re-anchored. Inside a
folder, an entry that cannot be stored (a name that is not UTF-8, a symlink loop, an
unreadable sub-folder) is skipped and reported through ``on_skip`` (the walk:
:mod:`briefing_tui.core.pathnames`).
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from briefing_tui.core import anchoring
from briefing_tui.core.dates import TOP_CHARS, date_near_top
from briefing_tui.core.document import (
    FRONT_MATTER_MAX,
    Document,
    normalize,
    parse_markdown,
    parse_text,
    split_front_matter,
)
from briefing_tui.core.errors import ImportRefused
from briefing_tui.core.memory import release_freed_memory
from briefing_tui.core.models import Highlight

# The folder walk lives in pathnames; its names are the importer's API too.
from briefing_tui.core.pathnames import (  # noqa: F401 - re-exported
    FORMATS,
    SkipHandler,
    Skipped,
    collect_files,
)
from briefing_tui.core.safetext import safe_display, safe_line

# How a title is found without front matter: its names are the importer's API too.
from briefing_tui.core.titles import TITLE_MAX, derive_title, text_metadata  # noqa: F401


@dataclass(frozen=True)
class ImportResult:
    """What happened to one file: ``action`` is "added", "unchanged" or "updated"."""

    path: str
    briefing_id: str
    title: str
    action: str
    reanchored: int = 0
    orphaned: int = 0


# Called after each file is stored: (files done, files in all, what happened to it).
ProgressHandler = Callable[[int, int, ImportResult], None]
# Called after each file is read and checked, before anything is written:
# (files checked, files in all, the file).
CheckHandler = Callable[[int, int, Path], None]

# Parses kept from the checking pass to the storing pass, in characters of source text:
# a folder of 2,000 briefings is parsed a second time file by file rather than held
# whole in memory (a parse holds several times its text).
KEEP_PARSED_CHARS = 16_000_000


@dataclass
class _Source:
    """One file read, decoded, normalised and checked; parsed lazily."""

    path: Path
    fmt: str
    # The normalised source text (what the hash covers) as UTF-8: a byte a character for
    # most text, where a Python string of it takes 4 as soon as it holds one emoji.
    source: bytes
    content_hash: str
    meta: dict[str, str]
    body_start: int  # the byte where the text after the front matter starts

    def take_source(self) -> bytes:
        """The source, given up: once stored, the store holds its only copy."""
        source, self.source = self.source, b""
        return source

    @property
    def text(self) -> str:
        """The normalised source text (decoded on each use)."""
        return self.source.decode("utf-8", "surrogatepass")

    @property
    def body(self) -> str:
        """The text without its front matter (decoded on each use)."""
        return self.source[self.body_start:].decode("utf-8", "surrogatepass")

    def parse(self) -> Document:
        # The reading text shows controls and bidi overrides as placeholders, one
        # character for one (see core/safetext.py); the stored source stays byte-exact.
        if self.fmt == "markdown":  # decoded a piece at a time (markdown_render)
            doc = parse_markdown(self.source, self.body_start, clean=safe_display)
        else:
            doc = parse_text(safe_display(self.body))
        if doc.blank:
            raise ImportRefused(f"{self.path}: no text to read after the front matter")
        return doc


def import_paths(store: Any, paths: Iterable[str | Path], *,
                 encoding: str | None = None, on_skip: SkipHandler | None = None,
                 on_progress: ProgressHandler | None = None,
                 on_check: CheckHandler | None = None) -> list[ImportResult]:
    """Import files and folders into ``store``; return one result per file, in order.

    Folders are searched recursively for ``.md``, ``.markdown`` and ``.txt`` files
    (sorted; hidden entries and README/LICENSE-like files left out; entries that
    cannot be imported reported to ``on_skip``). Every file is read and checked
    before anything is written (each reported to ``on_check``), so a refusal leaves
    the database untouched; then each file is committed in a transaction of its own
    and reported to ``on_progress``. ``encoding``
    decodes the files with that codec instead of UTF-8.

    >>> from briefing_tui.core.store import Store
    >>> from briefing_tui.paths import samples_dir
    >>> store = Store(tmp_path / "briefings.db")
    >>> results = import_paths(store, [samples_dir()])
    >>> [(r.action, Path(r.path).name) for r in results][:2]  # doctest: +NORMALIZE_WHITESPACE
    [('added', 'kremlin-signals-no-quick-truce.md'),
     ('added', 'ministry-press-briefing-2025-03-18.txt')]
    >>> import_paths(store, [samples_dir()])[0].action  # the same text again
    'unchanged'
    >>> store.close()
    """
    codec = "utf-8"  # what the store records: the codec's canonical name ("CP1252" -> "cp1252")
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise ImportRefused(f"unknown encoding: {encoding}") from None
    files = collect_files(paths, on_skip=on_skip)
    sources: list[_Source] = []
    # Parse (and so validate) everything that will be written before the first write.
    documents: dict[Path, Document] = {}
    kept = 0  # characters of the sources whose parse is kept for the storing pass
    for f in files:
        src = read_source(f, encoding=encoding)
        sources.append(src)
        known = store.find_briefing(path=str(src.path), include_deleted=True)
        if not (known is not None and known.content_hash == src.content_hash) and not (
                known is None and store.find_briefing(content_hash=src.content_hash)):
            document = src.parse()
            if kept + len(src.source) <= KEEP_PARSED_CHARS or not kept:
                documents[src.path] = document
                kept += len(src.source)
            del document
        if on_check is not None:
            on_check(len(sources), len(files), src.path)

    results: list[ImportResult] = []
    for src in sources:
        results.append(_store_one(store, src, documents, codec))
        documents.pop(src.path, None)  # stored: its parse need not be held any longer
        if on_progress is not None:
            on_progress(len(results), len(sources), results[-1])
    return results


def read_source(path: Path, *, encoding: str | None = None) -> _Source:
    """Read, decode, normalise and check one file; raise ``ImportRefused`` if unusable."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot read ({exc.strerror or exc})") from None
    if encoding is None:
        nul = raw.find(b"\x00")
        if nul != -1:
            raise ImportRefused(f"{path}: binary file (NUL byte at offset {nul}), not a briefing")
        if len(raw) > SOURCE_CHUNK:
            return _read_utf8_by_lines(path, raw)
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, raw, exc.start) from None
    else:
        try:
            decoded = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                f"{path}: cannot be decoded as {encoding} (byte offset {exc.start})") from None
        nul = decoded.find("\x00")
        if nul != -1:
            raise ImportRefused(f"{path}: binary file (NUL character at {nul}), not a briefing")
    if not decoded or decoded.isspace():  # (strip() would copy a 50 MB text)
        raise ImportRefused(f"{path}: empty file")
    text = normalize(decoded)
    # Kept as UTF-8: the file's own bytes when normalising changed nothing.
    same = text is decoded and encoding is None
    del decoded
    if not text or text.isspace():
        raise ImportRefused(f"{path}: empty file")
    source = raw if same else text.encode("utf-8", "surrogatepass")
    del raw, text
    return _checked(path, source)


# A UTF-8 file bigger than this is decoded and normalised a run of lines at a time, never
# held whole as a string (4 bytes a character as soon as it holds one emoji).
SOURCE_CHUNK = 1 << 20


def _not_utf8(path: Path, raw: bytes, at: int) -> ImportRefused:
    return ImportRefused(
        f"{path}: not valid UTF-8 (byte 0x{raw[at]:02x} at offset {at}); "
        f"if you know its encoding, say so with --encoding (e.g. --encoding cp1252)")


def _read_utf8_by_lines(path: Path, raw: bytes) -> _Source:
    """:func:`read_source` of a big UTF-8 file, a run of whole lines at a time: each of
    the normalisations works within a line (a cut after "\\n" is a cut between
    characters, after any CR, and no character composes with a newline), so normalising
    the runs one by one gives what normalising the whole gives."""
    parts: list[bytes] = []  # the normalised runs, once one of them changed
    changed, blank = False, True
    pos, end = 0, len(raw)
    while pos < end:
        cut = raw.find(b"\n", pos + SOURCE_CHUNK) + 1 or end
        try:
            run = raw[pos:cut].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _not_utf8(path, raw, pos + exc.start) from None
        text = normalize(run) if pos == 0 else _normalize_inside(run)
        if text is not run and not changed:
            changed = True
            parts.append(raw[:pos])
        if blank and text and not text.isspace():
            blank = False
        if changed:
            parts.append(text.encode("utf-8", "surrogatepass"))
        del run, text
        pos = cut
    if blank:
        raise ImportRefused(f"{path}: empty file")
    source = raw if not changed else b"".join(parts)
    del parts, raw
    return _checked(path, source)


def _normalize_inside(run: str) -> str:
    """``normalize`` of a run of lines that does not start the file: behind a newline,
    so that no BOM is stripped from it (only the file's first characters lose theirs)."""
    behind = "\n" + run
    text = normalize(behind)
    return run if text is behind else text[1:]


def _checked(path: Path, source: bytes) -> _Source:
    """The front matter and metadata of a normalised source text given as UTF-8."""
    fmt = FORMATS[path.suffix.lower()]
    meta: dict[str, Any] = {}
    body_start = 0
    if fmt == "markdown" and source.startswith(b"---"):
        # The front matter is looked for in the first characters only (see
        # split_front_matter): a head of the text decides it.
        cut = min(len(source), 4 * FRONT_MATTER_MAX + 4)  # at least that many characters
        while cut < len(source) and 0x80 <= source[cut] < 0xC0:  # not inside a character
            cut -= 1
        head = source[:cut].decode("utf-8", "surrogatepass")
        try:
            meta, body = split_front_matter(head)
        except Exception as exc:  # noqa: BLE001 - any YAML error is the file's fault
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ImportRefused(f"{path}: invalid YAML front matter ({first})") from None
        if not isinstance(meta, dict):
            meta = {}
        skipped = len(head) - len(body)
        body_start = len(head[:skipped].encode("utf-8", "surrogatepass"))  # in bytes
        del head, body
    if body_start and _blank_utf8(source, body_start):  # (the whole was not blank)
        raise ImportRefused(f"{path}: no text to read after the front matter")
    return _Source(path=path, fmt=fmt, source=source,
                   content_hash=hashlib.sha256(source).hexdigest(),
                   meta=_metadata(meta), body_start=body_start)


def _blank_utf8(source: bytes, start: int) -> bool:
    """Whether ``source[start:]`` (UTF-8) is empty or blanks only, a run at a time."""
    end = len(source)
    if start >= end:
        return True
    while start < end:
        cut = source.find(b"\n", start + SOURCE_CHUNK) + 1 or end
        if not source[start:cut].decode("utf-8", "surrogatepass").isspace():
            return False
        start = cut
    return True


def _scalar(value: Any) -> str:
    """A front-matter value as one line of text (YAML may give dates, numbers, lists)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_scalar(v) for v in value if v is not None)
    return " ".join(str(value).split())


def _metadata(front: dict[str, Any]) -> dict[str, str]:
    lowered = {str(k).strip().lower(): v for k, v in front.items()}

    def first(*keys: str) -> str:
        for key in keys:
            # Shown in tables, status lines and CLI output: no control character survives.
            value = safe_line(_scalar(lowered.get(key))).strip()
            if value:
                return value
        return ""

    return {
        "title": first("title"),
        "source": first("source", "publisher", "site"),
        "published": first("published", "date", "published_time"),
        "url": first("url", "source_url", "link"),
    }


def _store_one(store: Any, src: _Source, documents: dict[Path, Document],
               encoding: str = "utf-8") -> ImportResult:
    path = str(src.path)
    known = store.find_briefing(path=path, include_deleted=True)
    if known is not None and known.deleted_at is not None:
        # Deleted from the library: importing its file brings it back, highlights and all.
        known = store.restore_briefing(known.id)
        if known.content_hash == src.content_hash:
            return ImportResult(path, known.id, known.title, "added")
    if known is not None and known.content_hash == src.content_hash:
        return ImportResult(path, known.id, known.title, "unchanged")
    if known is None:
        same = store.find_briefing(content_hash=src.content_hash)
        if same is not None:
            return ImportResult(path, same.id, same.title, "unchanged")
    document = documents.get(src.path)
    if document is None:
        document = src.parse()
    if len(src.source) > SOURCE_CHUNK:
        release_parser_memory()
    meta = src.meta
    title = meta["title"] or derive_title(document, src.path)
    if src.fmt == "text":  # no front matter: the lines under the title may tell
        stated = text_metadata(document)
        meta = {**meta, "source": meta["source"] or stated["source"],
                "published": meta["published"] or stated["published"]}
    if not meta["published"]:  # else a date the text states near its top; never the mtime
        meta = {**meta, "published": date_near_top(document.head(TOP_CHARS))}
    if known is None:
        info = store.add_briefing(
            title=title, source=meta["source"], published=meta["published"], url=meta["url"],
            path=path, fmt=src.fmt, source_text=src.take_source(), document=document,
            content_hash=src.content_hash, encoding=encoding)
        return ImportResult(path, info.id, info.title, "added")

    highlights = store.highlights(known.id)
    placements: dict[str, tuple[int, int] | None] = {}
    if highlights:
        old_text = store.get_briefing(known.id).document.text
        placements = reanchor_highlights(old_text, document.text, highlights)
    info = store.update_briefing_text(
        known.id, source_text=src.source, document=document, content_hash=src.content_hash,
        path=path, placements=placements, title=title, source=meta["source"],
        published=meta["published"], url=meta["url"], encoding=encoding)
    found = sum(1 for p in placements.values() if p is not None)
    return ImportResult(path, info.id, info.title, "updated",
                        reanchored=found, orphaned=len(placements) - found)


def release_parser_memory() -> None:
    """Give the memory markdown-it's tokens took back to the system before the store's
    copies are made: glibc keeps freed small blocks in its heaps (~1.5x a big file);
    ``malloc_trim`` returns them. Elsewhere nothing is done."""
    release_freed_memory()


def reanchor_highlights(old_text: str, new_text: str,
                        highlights: Sequence[Highlight]) -> dict[str, tuple[int, int] | None]:
    """New places of a briefing's highlights (None = orphan) after its text changed.

    Uses ``anchoring.reanchor_all`` (diff-guided, the full strategy) when it exists,
    else ``reanchor_highlight`` one by one.
    """
    full = getattr(anchoring, "reanchor_all", None)
    if callable(full):
        found = full(old_text, new_text,
                     [(h.id, h.start, h.end, h.exact, h.prefix, h.suffix) for h in highlights])
        return {h.id: found.get(h.id) for h in highlights}
    return {h.id: reanchor_highlight(new_text, h) for h in highlights}


def reanchor_highlight(new_text: str, highlight: Highlight) -> tuple[int, int] | None:
    """Where ``highlight`` lies in ``new_text``, or None when it cannot be found (an orphan).

    Uses ``anchoring.reanchor`` (the full strategy) when it exists, else a simple
    fallback: same position, then the exact quote chosen among repeats by context.
    """
    full = getattr(anchoring, "reanchor", None)
    args = (new_text, highlight.exact, highlight.prefix, highlight.suffix,
            highlight.start, highlight.end)
    if callable(full):
        return full(*args)
    return simple_reanchor(*args)


def simple_reanchor(text: str, exact: str, prefix: str, suffix: str,
                    old_start: int, old_end: int) -> tuple[int, int] | None:
    """Find ``exact`` in ``text``: at its old position if still there, else the occurrence
    whose surroundings best match ``prefix``/``suffix`` (ties: nearest the old position).

    >>> simple_reanchor("a cat and a cat.", "cat", "and a ", ".", 7, 10)
    (12, 15)
    """
    if not exact:
        return None
    if 0 <= old_start and old_end <= len(text) and text[old_start:old_end] == exact:
        return old_start, old_end
    best: tuple[int, int] | None = None
    best_key: tuple[int, int] | None = None
    pos = text.find(exact)
    while pos != -1:
        end = pos + len(exact)
        score = _common_suffix(prefix, text, pos) + _common_prefix(suffix, text, end)
        key = (score, -abs(pos - old_start))
        if best_key is None or key > best_key:
            best, best_key = (pos, end), key
        pos = text.find(exact, pos + 1)
    return best


def _common_suffix(prefix: str, text: str, pos: int) -> int:
    """How many characters before ``pos`` in ``text`` equal the end of ``prefix``."""
    n = 0
    while n < len(prefix) and pos - n - 1 >= 0 and text[pos - n - 1] == prefix[-n - 1]:
        n += 1
    return n


def _common_prefix(suffix: str, text: str, pos: int) -> int:
    n = 0
    while n < len(suffix) and pos + n < len(text) and text[pos + n] == suffix[n]:
        n += 1
    return n


def results_summary(results: Sequence[ImportResult]) -> dict[str, int]:
    """Counts per action, e.g. ``{"added": 3, "unchanged": 1, "updated": 0}``."""
    counts = {"added": 0, "unchanged": 0, "updated": 0}
    for r in results:
        counts[r.action] = counts.get(r.action, 0) + 1
    return counts
