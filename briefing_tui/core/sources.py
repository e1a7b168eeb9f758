"""Has a briefing's file changed since its import? Re-import it (re-anchoring highlights).

Both read whole files (hashing 50 MB, parsing it again): the app runs them in thread
workers. :class:`SourceWatch` remembers the hash of a file per (path, size, mtime), so a
file looked at once costs a ``stat`` the next time.

>>> watch = SourceWatch()
>>> path = watch.changed_source(store.briefing_info(bid))   # doctest: +SKIP
>>> describe_reimport(reimport(store, path, "utf-8"))       # doctest: +SKIP
're-imported: 3 highlights re-anchored'
"""

from __future__ import annotations

import codecs
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from briefing_tui.core.errors import StoreError
from briefing_tui.core.models import BriefingInfo

if TYPE_CHECKING:
    from briefing_tui.core.importer import ImportResult
    from briefing_tui.core.store import Store

__all__ = ["SourceWatch", "describe_reimport", "file_sha256", "is_utf8", "reimport"]


class SourceWatch:
    """The changed-file check, with its memory of file hashes (safe across threads).

    With a ``store``, the memory outlives the process: a file found to hold the stored
    text leaves its path, size and modification time in ``source_stats``, and the next
    check in any process that finds the same ``stat`` costs nothing more (as rsync and
    make judge files; a rewrite keeping both size and nanosecond mtime goes unnoticed).
    """

    def __init__(self, store: Store | None = None) -> None:
        # (path, size, mtime_ns) -> content hash of the file on disk
        self._hashes: dict[tuple[str, int, int], str] = {}
        self._lock = threading.Lock()
        self._store = store

    def changed_source(self, info: BriefingInfo) -> Path | None:
        """The briefing's file if it still exists and its text differs from the stored one.

        A file that is gone is not "changed": the stored copy is the briefing. One that can
        no longer be read as a briefing raises ``ImportRefused`` (the caller opens the
        stored copy with a warning).
        """
        if not info.path:
            return None
        path = Path(info.path)
        try:
            stat = path.stat()
        except OSError:
            return None  # deleted or moved after the import: the stored copy is the briefing
        key = (info.path, stat.st_size, stat.st_mtime_ns)
        with self._lock:
            digest = self._hashes.get(key)
        if digest is None and self._store is not None:
            try:
                known = self._store.source_stat(info.id)
            except StoreError:
                known = None
            if known is not None and known[:3] == key:
                digest = known[3]  # the same file as when it was last read: no hashing
        hashed = digest is None  # neither the memory nor the database spared the reading
        utf8 = is_utf8(info.encoding)
        if digest is None and utf8 and file_sha256(path) == info.content_hash:
            # Byte for byte the stored (normalised UTF-8) text: unchanged. Hashing the file in
            # chunks spares reading, decoding and normalising all of it (memory at 5 MB).
            # Only for UTF-8 files: another codec's bytes are not the UTF-8 text hashed.
            digest = info.content_hash
        if digest is None:
            from briefing_tui.core.importer import read_source

            digest = read_source(path, encoding=None if utf8 else info.encoding).content_hash
        with self._lock:
            self._hashes[key] = digest
        if hashed and digest == info.content_hash and self._store is not None:
            # Read and found unchanged: remember this stat (no write when it was known).
            try:
                self._store.save_source_stat(info.id, *key, digest)
            except StoreError:
                pass  # a busy database: the next check hashes again, nothing is lost
        return path if digest != info.content_hash else None


def reimport(store: Store, path: Path, encoding: str = "utf-8") -> ImportResult:
    """Import a changed file again (read with its stored ``encoding``), re-anchoring the
    briefing's highlights; raises the importer's and the store's errors."""
    from briefing_tui.core.importer import import_paths

    [result] = import_paths(store, [path], encoding=None if is_utf8(encoding) else encoding)
    return result


def describe_reimport(result: ImportResult) -> str:
    """The status line after re-importing a changed file.

    >>> from briefing_tui.core.importer import ImportResult
    >>> describe_reimport(ImportResult("a.md", "b1", "Talks", "updated", 3, 1))
    're-imported: 3 highlights re-anchored, 1 orphaned (o lists orphans)'
    """
    if result.action != "updated":
        return "re-imported: the text is unchanged"
    moved = f"{result.reanchored} highlight{'s' if result.reanchored != 1 else ''} re-anchored"
    if not result.orphaned:
        return f"re-imported: {moved}"
    return f"re-imported: {moved}, {result.orphaned} orphaned (o lists orphans)"


def is_utf8(encoding: str) -> bool:
    """Whether a stored encoding name means UTF-8 (an unknown name counts as UTF-8: the
    file is then read as an import without ``--encoding`` reads it)."""
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return True


def file_sha256(path: Path, chunk: int = 1 << 20) -> str | None:
    """The SHA-256 of a file's bytes, read in chunks; ``None`` if it cannot be read."""
    import hashlib  # in the check's worker, not at start-up

    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while block := handle.read(chunk):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()
