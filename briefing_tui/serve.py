"""``briefing-tui serve``: the database in Datasette, read-only, on 127.0.0.1.

Datasette is an optional extra (``pip install 'briefing-tui[web]'``); nothing here imports
it: the command runs ``python -m datasette serve`` on the database file with metadata
made from the database (:func:`datasette_metadata`):

- titles and descriptions for the tables people read (``highlights_view`` first, made by
  migration 14), the app's own bookkeeping tables hidden;
- full-text search: Datasette finds ``highlights_fts`` and ``briefing_texts_fts`` (migration 9)
  by their ``content=`` table, and the metadata points the view's search box at
  ``highlights_fts`` (``fts_pk``: the view's ``highlight_rowid``);
- canned queries: a speaker's statements (``speaker_statements``, parameter ``speaker``: a
  name or alias, any case) and the speaker × stance matrix (``speaker_stance_matrix``, one
  column per stance of the label set as it was when the server started).

Read-only: Datasette opens a file it was not told is immutable with ``mode=ro`` and
``query_only`` connections and allows SELECT statements only; no plugin that writes is
loaded. Not ``--immutable``: that would skip the write-ahead log, and the app may be
writing while Datasette reads.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_PORT", "HOST", "ServeError", "datasette_command", "datasette_metadata",
           "serve"]

HOST = "127.0.0.1"
DEFAULT_PORT = 8001
# Tables nobody needs to browse: the app's bookkeeping.
HIDDEN = ("undo_steps", "note_drafts", "reading_positions", "source_stats", "revisions",
          "database_info", "merges", "merge_bases")  # the last three: merging (#15)


class ServeError(Exception):
    """Datasette cannot be started; the message is one line."""


def _ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    """A quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def matrix_sql(stances: list[Any]) -> str:
    """The speaker × stance matrix: a row per speaker (and one for the unattributed), a
    column per stance, then the highlights with no stance, and the total."""
    columns = [f"count(CASE WHEN h.stance_id = {_literal(s.id)} THEN 1 END) AS {_ident(s.name)}"
               for s in stances]
    columns.append("count(CASE WHEN h.stance_id IS NULL THEN 1 END) AS \"no stance\"")
    return ("SELECT coalesce(sp.name, '(unattributed)') AS speaker,\n  "
            + ",\n  ".join(columns)
            + ",\n  count(*) AS total\n"
            "FROM highlights h\nJOIN briefings b ON b.id = h.briefing_id\n"
            "LEFT JOIN speakers sp ON sp.id = h.speaker_id\n"
            "WHERE b.deleted_at IS NULL\n"
            "GROUP BY h.speaker_id\nORDER BY total DESC, speaker")


STATEMENTS_SQL = """SELECT briefing_date, briefing_title, stance, topics, quote, note, status
FROM highlights_view
WHERE speaker_id IN (
  SELECT id FROM speakers
  WHERE name = :speaker COLLATE NOCASE
     OR EXISTS (SELECT 1 FROM json_each(speakers.aliases) WHERE value = :speaker COLLATE NOCASE)
)
ORDER BY briefing_date, briefing_title, start_offset"""


def datasette_metadata(store: Any, database: str) -> dict[str, Any]:
    """Datasette's metadata for the database called ``database`` (the file's stem)."""
    tables: dict[str, Any] = {
        "highlights_view": {
            "title": "Highlights",
            "description": "Every highlight of a live briefing: the briefing's title and"
                           " date, who said it, the stance, topics, the quote and the"
                           " analyst's note, and which analyst made it. The search box searches quotes and"
                           " notes.",
            "fts_table": "highlights_fts", "fts_pk": "highlight_rowid",
            "facets": ["speaker", "stance", "briefing_title", "analyst"],
            "sort": "briefing_date",
        },
        "briefings": {"title": "Briefings",
                      "description": "The imported briefings: title, source, date, URL,"
                                     " file. Deleted ones have deleted_at set."},
        "briefing_texts": {"title": "Briefing texts",
                           "description": "Each briefing's reading text (searchable)."},
        "briefing_sources": {"title": "Briefing sources",
                             "description": "Each briefing's source text as imported"
                                            " (Markdown or plain text)."},
        "highlights": {"title": "Highlights (raw)",
                       "description": "The highlights as stored: offsets into the reading"
                                      " text, the quote with its context, ids."},
        "speakers": {"title": "Speakers",
                     "description": "Who said it: name, role, affiliation, aliases."},
        "stances": {"title": "Stance labels",
                    "description": "The stance label set: hotkey, name, colour."},
        "topics": {"title": "Topics", "description": "Topic tags."},
        "highlight_topics": {"title": "Highlight topics",
                             "description": "Which highlight has which topic."},
    }
    for name in HIDDEN:
        tables[name] = {"hidden": True}
    return {
        "title": "briefing-tui",
        "description": "Briefings, their highlights, speakers, stances and topics"
                       " (read-only).",
        "databases": {database: {
            "title": "Briefings and highlights",
            "tables": tables,
            "queries": {
                "speaker_statements": {
                    "title": "A speaker's statements",
                    "description": "Everything one speaker said across the briefings, by"
                                   " date: give a name or an alias (any case).",
                    "sql": STATEMENTS_SQL,
                },
                "speaker_stance_matrix": {
                    "title": "Speaker × stance matrix",
                    "description": "How many highlights each speaker has per stance, over"
                                   " every live briefing.",
                    "sql": matrix_sql(store.stances()),
                },
            },
        }},
    }


def datasette_command(db_path: Path, metadata_path: Path, port: int) -> list[str]:
    """The command that serves ``db_path`` read-only on ``HOST:port``."""
    return [sys.executable, "-m", "datasette", "serve", str(db_path),
            "--metadata", str(metadata_path), "--host", HOST, "--port", str(port),
            "--setting", "default_page_size", "50"]


def serve(store: Any, db_path: Path, port: int, *, announce: Any = print) -> int:
    """Run Datasette on the database until it stops (^C); return its exit code.

    ``announce`` gets the URL line before Datasette starts.
    """
    if importlib.util.find_spec("datasette") is None:
        raise ServeError("Datasette is not installed: pip install 'briefing-tui[web]'")
    database = db_path.stem
    metadata = datasette_metadata(store, database)
    fd, name = tempfile.mkstemp(prefix="briefing-tui-datasette-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(metadata, fh, ensure_ascii=True)
        announce(f"Datasette on http://{HOST}:{port}/{database} (read-only; ctrl+c stops it)")
        try:
            return subprocess.call(datasette_command(db_path, Path(name), port))
        except KeyboardInterrupt:
            return 130
    finally:
        Path(name).unlink(missing_ok=True)
