"""The briefings database file: opened safely, migrated, used one transaction at a time.

:class:`DatabaseFile` is the plumbing under :class:`briefing_tui.core.store.Store`,
which adds the queries. Opening: a missing parent folder is created; a file that is
not SQLite, a SQLite file that holds another program's tables, or a database written
by a newer briefing-tui is refused before anything is written to it. A database whose
file or folder is not writable is opened read-only (``readonly`` is true) and every
write raises ``StoreError("database is read-only")``; one that would need a schema
upgrade is refused instead. Then the missing migrations of ``MIGRATIONS`` (see
:mod:`briefing_tui.core.schema`) run in one transaction, with foreign keys off so a
migration may rebuild a table with sqlite-utils' ``transform()``; ``PRAGMA
foreign_key_check`` must find nothing before it commits.

>>> with DatabaseFile(tmp_path / "briefings.db") as dbf:
...     dbf.schema_version == len(MIGRATIONS), dbf.readonly
(True, False)

Every write is :meth:`DatabaseFile._write`: one short ``BEGIN IMMEDIATE`` ... ``COMMIT``
that can record an undo step (:mod:`briefing_tui.core.undo`) of this instance's
``session``. The connection is opened with ``check_same_thread=False`` and every use
of it is serialised by one re-entrant lock, so UI workers may call the store from any
thread.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import quote

from briefing_tui.core.errors import StoreError
from briefing_tui.core.schema import MIGRATIONS, Migration, new_id
from briefing_tui.core.undo import Tx, record_step

if TYPE_CHECKING:
    from sqlite_utils import Database

__all__ = ["BUSY_TIMEOUT_S", "SQLITE_MAGIC", "DatabaseFile", "Params", "sql_error"]

BUSY_TIMEOUT_S = 5.0
MMAP_BYTES = 256 << 20  # PRAGMA mmap_size: address space only, pages are read on use
SQLITE_MAGIC = b"SQLite format 3\x00"
Params = Sequence[Any] | Mapping[str, Any]  # SQL parameters, by position or by name


def sql_error(error: sqlite3.Error) -> StoreError:
    """Turn an sqlite3 error a user can meet into a one-line StoreError.

    >>> sql_error(sqlite3.OperationalError("database is locked"))
    StoreError('database is locked by another program (waited 5 s); try again')
    >>> sql_error(sqlite3.OperationalError("no such table: x"))
    StoreError('database error: no such table: x')
    """
    text = str(error)
    if "locked" in text or "busy" in text:
        return StoreError(
            f"database is locked by another program (waited {BUSY_TIMEOUT_S:g} s); try again"
        )
    if "readonly" in text or "read-only" in text:
        return StoreError("database is read-only")
    if "disk is full" in text:
        return StoreError("disk is full: the change was not saved")
    return StoreError(f"database error: {text}")


class DatabaseFile:
    """An open briefings database. Class attribute ``MIGRATIONS`` is the schema history;
    a subclass may extend it (tests do, to prove the machinery)."""

    MIGRATIONS: tuple[Migration, ...] = MIGRATIONS

    def __init__(self, path: str | Path, *, readonly: bool | None = None) -> None:
        """Open the database at ``path``.

        ``readonly=None`` decides from the file and folder permissions; ``True``
        forces a read-only connection; ``False`` refuses a read-only location.
        """
        self.path = Path(path).expanduser()
        # This instance's undo steps carry it; undo replays no other (see core.undo).
        self.session = new_id()
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self.readonly = self._check_location(readonly)
        if self.path.exists() and self.path.stat().st_size > 0:
            self._probe_existing()
        self._conn = self._connect()
        try:
            self._migrate()
        except BaseException:
            self.close()
            raise

    # ----------------------------------------------------------------- opening

    @cached_property
    def db(self) -> Database:
        """sqlite-utils over the connection: what migrations get, and :meth:`_insert` uses.

        Built on first use: importing sqlite-utils costs start-up time (57-104 ms), and
        opening a database that needs no migration, then reading it, never uses it.
        """
        from sqlite_utils import Database

        # recursive_triggers=False: building it must not change the connection's settings
        # (sqlite-utils turns that pragma on by default) half-way through a session.
        return Database(self.conn, execute_plugins=False, recursive_triggers=False)

    @property
    def conn(self) -> sqlite3.Connection:
        """The underlying connection (serialise use with the store's lock)."""
        if self._conn is None:
            raise StoreError("database is closed")
        return self._conn

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, held under the store's lock: for the read-only queries that
        other core modules run (:mod:`briefing_tui.core.queries`)."""
        with self._lock:
            yield self.conn

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """The connection inside one write transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``;
        ROLLBACK on any exception): for core modules that write many tables at once
        (:mod:`briefing_tui.core.merge`). Records no undo step."""
        with self._write() as _tx:
            yield self.conn

    @property
    def schema_version(self) -> int:
        """The newest schema version this code knows."""
        return len(self.MIGRATIONS)

    def _check_location(self, readonly: bool | None) -> bool:
        """Check the path without touching the file; return whether to open read-only."""
        path, parent = self.path, self.path.parent
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file")
        if not parent.exists():
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"cannot create folder {parent}: {error.strerror}") from None
        if not path.exists():
            if readonly or not os.access(parent, os.W_OK | os.X_OK):
                raise StoreError(f"cannot create {path}: the folder is read-only")
            return False
        try:
            with path.open("rb") as handle:
                header = handle.read(100)
        except OSError as error:
            raise StoreError(f"cannot read {path}: {error.strerror}") from None
        if header and not header.startswith(SQLITE_MAGIC):
            raise StoreError(f"{path} is not a briefing-tui database (not SQLite)")
        # WAL needs to create/write -wal and -shm beside the file.
        sidecars = [Path(f"{path}-wal"), Path(f"{path}-shm")]
        writable = (os.access(path, os.W_OK) and os.access(parent, os.W_OK | os.X_OK)
                    and all(os.access(p, os.W_OK) for p in sidecars if p.exists()))
        if readonly is False and not writable:
            raise StoreError(f"{path} is read-only")
        if readonly or not writable:
            if not header:
                raise StoreError(f"{path} is empty and read-only")
            return True
        return False

    def _wal_has_content(self) -> bool:
        wal = Path(f"{self.path}-wal")
        return wal.exists() and wal.stat().st_size > 0

    def _connect_ro(self, *, immutable: bool = False, **kwargs: Any) -> sqlite3.Connection:
        """A read-only connection.

        ``immutable`` opens without creating ``-wal``/``-shm`` files (only used
        when the ``-wal`` holds nothing, so the main file is the whole truth).
        In a folder where SQLite cannot create the ``-shm`` file a WAL database
        only opens that way too.
        """
        uri = "file:" + quote(str(self.path.resolve())) + "?mode=ro"
        if immutable and not self._wal_has_content():
            return sqlite3.connect(uri + "&immutable=1", uri=True, timeout=BUSY_TIMEOUT_S,
                                   **kwargs)
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, **kwargs)
        try:
            conn.execute("PRAGMA user_version").fetchone()
            return conn
        except sqlite3.OperationalError as error:
            conn.close()
            if "readonly" not in str(error) or self._wal_has_content():
                raise
        return sqlite3.connect(uri + "&immutable=1", uri=True, timeout=BUSY_TIMEOUT_S, **kwargs)

    def _probe_existing(self) -> None:
        """Read the schema version over a read-only connection: refuse, never modify."""
        try:
            # immutable: a refused file must not even get -wal/-shm files beside it
            probe = self._connect_ro(immutable=True)
        except sqlite3.DatabaseError as error:
            if "not a database" in str(error):
                raise StoreError(
                    f"{self.path} is not a briefing-tui database (not SQLite)"
                ) from None
            raise StoreError(f"cannot open {self.path}: {error}") from None
        except sqlite3.Error as error:
            raise StoreError(f"cannot open {self.path}: {error}") from None
        try:
            version = probe.execute("PRAGMA user_version").fetchone()[0]
            tables = probe.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
        except sqlite3.DatabaseError as error:
            if "not a database" in str(error) or "malformed" in str(error):
                raise StoreError(
                    f"{self.path} is not a briefing-tui database (not SQLite)"
                ) from None
            raise sql_error(error) from None
        finally:
            probe.close()
        self._check_version(version)
        if version == 0 and tables:
            raise StoreError(
                f"{self.path} is not a briefing-tui database (it holds other tables)"
            )

    def _check_version(self, version: int) -> None:
        if version > self.schema_version:
            raise StoreError(
                f"{self.path} is from a newer version of briefing-tui (schema {version}, "
                f"this version knows {self.schema_version}); upgrade briefing-tui"
            )

    def _connect(self) -> sqlite3.Connection:
        try:
            if self.readonly:
                conn = self._connect_ro(isolation_level=None, check_same_thread=False)
            else:
                conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S,
                                       isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA cache_size = -32000")  # up to 32 MB: 100k highlights' indexes
            # Memory-mapped reads: a 5 MB briefing's text is thousands of overflow pages, each
            # a read() and a copy into the page cache otherwise (opening it: ~2x faster).
            conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            if not self.readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                # Safe in WAL: a crash may lose the last commits only on power loss.
                conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as error:
            raise sql_error(error) from None
        return conn

    def _migrate(self) -> None:
        conn = self.conn
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        self._check_version(version)
        if version == self.schema_version:
            return
        if self.readonly:
            raise StoreError(
                f"{self.path} is read-only and needs an upgrade to schema {self.schema_version}"
            )
        # SQLite's procedure for schema changes: foreign keys off (the pragma is a no-op inside
        # a transaction, so before BEGIN), check them before COMMIT. With them on, transform()'s
        # DROP TABLE of a parent table would cascade-delete its children (sqlite-utils refuses).
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Another instance may have migrated while we waited for the lock.
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                self._check_version(version)
                for number in range(version + 1, self.schema_version + 1):
                    self.MIGRATIONS[number - 1](self.db)
                    conn.execute(f"PRAGMA user_version = {number}")
                dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
                if dangling:
                    raise StoreError(f"migration to schema {self.schema_version} left "
                                     f"{len(dangling)} rows with a dangling reference "
                                     f"(first: {dangling[0][0]}); nothing was changed")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            raise sql_error(error) from None
        finally:
            conn.execute("PRAGMA foreign_keys = ON")

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- plumbing

    # The reads stay on the raw connection: measured against sqlite-utils' Database.query,
    # - it needs sqlite_utils imported, 57-104 ms here even after textual and the app (its
    #   own imports: click, dateutil, pluggy ...), and the library's first listing is a read:
    #   `benchmarks --only cold_start --repeats 10`, two rounds each, gave 1.28x and 1.26x a
    #   bare Textual app raw, 1.35x and 1.35x with Database.query (bar 1.5x);
    # - per call it adds a SAVEPOINT and a RELEASE (its guard against write statements):
    #   at 100k highlights, list_briefings p50 10.6 vs 10.9 ms, highlight() 0.02 vs 0.03 ms.
    # Writes import it anyway (_insert), after the first frame.
    def _rows(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        """The rows of one read, as dicts (the shape of sqlite-utils' ``query``)."""
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def _row(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        """The first row of one read, or None."""
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    @contextmanager
    def _write(self, description: str | None = None) -> Iterator[Tx]:
        """One short write transaction; records an undo step if ``description`` is given.

        A change that alters nothing records no step (undo would seem to do nothing).
        """
        with self._lock:
            if self.readonly:
                raise StoreError("database is read-only")
            conn = self.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise sql_error(error) from None
            tx = Tx()
            try:
                yield tx
                if description and tx.changes:
                    record_step(conn, tx, description, self.session)
                conn.execute("COMMIT")
            except sqlite3.Error as error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise sql_error(error) from None
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        """Insert one row, inside the open :meth:`_write` transaction.

        sqlite-utils' ``Table.insert``: it wraps the statement in ``Database.atomic()``,
        which inside our transaction is a SAVEPOINT, so nothing commits before our
        COMMIT (a test rolls one back). Its cost (it looks the table up each time):
        ``benchmarks --only store_ops``, create highlight + commit at 100k highlights,
        p50 0.29 ms against 0.15 ms with a raw INSERT, same machine and hour; the bar
        is 2 ms, so the raw statement is not needed here.
        """
        if not self.conn.in_transaction:  # Table.insert would commit on its own
            raise RuntimeError("_insert outside a write transaction")
        self.db.table(table).insert(row)
