"""`briefing-tui serve` (#16.4): highlights_view (migration 14), the Datasette metadata and
canned queries, and the real server on a free local port, read-only."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from briefing_tui.core.importer import import_paths
from briefing_tui.core.store import Store
from briefing_tui.paths import samples_dir
from briefing_tui.serve import STATEMENTS_SQL, datasette_metadata, matrix_sql
from tests.hostile import PAYLOAD


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    """Samples with highlights: Peskov (alias "Kremlin spokesman") twice, one unattributed."""
    path = tmp_path / "library.db"
    store = Store(path)
    try:
        results = import_paths(store, [samples_dir()])
        first, second = results[0].briefing_id, results[1].briefing_id
        peskov = store.create_speaker("Dmitry Peskov", "spokesman", aliases=["Kremlin spokesman"])
        for bid, key in ((first, 2), (second, 3)):
            h = store.create_highlight(bid, 0, 12)
            store.set_speaker(h.id, peskov.id)
            store.set_stance(h.id, store.stance_by_key(key).id)
            store.set_topics(h.id, ["talks", "ceasefire"])
            store.set_note(h.id, "noted")
        store.create_highlight(first, 20, 30)
        gone = store.create_highlight(results[2].briefing_id, 0, 5)
        store.set_speaker(gone.id, peskov.id)
        store.delete_briefing(results[2].briefing_id)  # hidden: not in the view
    finally:
        store.close()
    return path


def rows(path: Path, sql: str, params: dict | tuple = ()) -> list[dict]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def test_highlights_view_reads_well(db):
    view = rows(db, "SELECT * FROM highlights_view ORDER BY speaker IS NULL, briefing_date")
    assert len(view) == 3  # the deleted briefing's highlight is left out
    assert list(view[0])[:8] == ["highlight_id", "briefing_title", "briefing_date", "speaker",
                                 "stance", "topics", "quote", "note"]
    assert view[0]["speaker"] == "Dmitry Peskov" and view[0]["topics"] == "ceasefire, talks"
    assert {v["stance"] for v in view} == {"opposes", "conditional", None}
    # The view's search (Datasette's fts_pk) finds quotes through highlights_fts.
    word = view[0]["quote"].split()[0]
    found = rows(db, "SELECT highlight_id FROM highlights_view WHERE highlight_rowid IN"
                     " (SELECT rowid FROM highlights_fts WHERE highlights_fts MATCH ?)",
                 (f'"{word}"',))
    assert view[0]["highlight_id"] in {f["highlight_id"] for f in found}


def test_canned_queries_in_sqlite(db):
    store = Store(db)
    try:
        metadata = datasette_metadata(store, "library")
        stances = store.stances()
    finally:
        store.close()
    queries = metadata["databases"]["library"]["queries"]
    assert queries["speaker_statements"]["sql"] == STATEMENTS_SQL
    by_alias = rows(db, STATEMENTS_SQL, {"speaker": "KREMLIN SPOKESMAN"})
    assert sorted(r["stance"] for r in by_alias) == ["conditional", "opposes"]
    assert rows(db, STATEMENTS_SQL, {"speaker": "dmitry peskov"}) == by_alias
    grid = rows(db, queries["speaker_stance_matrix"]["sql"])
    assert grid[0] == {"speaker": "Dmitry Peskov", "supports": 0, "opposes": 1,
                       "conditional": 1, "neutral": 0, "no stance": 0, "total": 2}
    assert grid[1]["speaker"] == "(unattributed)" and grid[1]["no stance"] == 1
    # Stance names are quoted as identifiers: hostile ones cannot break out.
    from briefing_tui.core.models import Stance

    odd = [Stance(stances[0].id, 1, f'x" FROM speakers; --{PAYLOAD}\'', "#000000")]
    assert list(rows(db, matrix_sql(odd))[0])[1] == f'x" FROM speakers; --{PAYLOAD}\''
    hidden = metadata["databases"]["library"]["tables"]["undo_steps"]
    assert hidden == {"hidden": True}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, object]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_serve_answers_with_the_canned_queries_and_refuses_to_write(db, tmp_path):
    pytest.importorskip("datasette", reason="datasette (the web extra) is not installed")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        # Its own session: the test stops the server and the Datasette it started, by id.
        proc = subprocess.Popen([sys.executable, "-m", "briefing_tui", "serve", "--db", str(db),
                                 "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    base = f"http://127.0.0.1:{port}/library"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = get(f"{base}.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"serve did not start: {log.read_text()}")
                time.sleep(0.3)
        assert status == 200
        assert f"http://127.0.0.1:{port}/library" in log.read_text().splitlines()[0]
        status, matrix = get(f"{base}/speaker_stance_matrix.json?_shape=array")
        assert status == 200
        assert matrix[0]["speaker"] == "Dmitry Peskov" and matrix[0]["total"] == 2
        query = urllib.parse.urlencode({"speaker": "Kremlin spokesman", "_shape": "array"})
        status, said = get(f"{base}/speaker_statements.json?{query}")
        assert status == 200 and len(said) == 2 and all(s["note"] == "noted" for s in said)
        word = said[0]["quote"].split()[0]
        query = urllib.parse.urlencode({"_search": word, "_shape": "array"})
        status, found = get(f"{base}/highlights_view.json?{query}")
        assert status == 200 and any(f["quote"] == said[0]["quote"] for f in found)
        for sql in ("DELETE FROM highlights", "UPDATE speakers SET name = 'x'",
                    "SELECT 1; DELETE FROM highlights"):
            status, _ = get(f"{base}.json?" + urllib.parse.urlencode({"sql": sql}))
            assert status == 400
        request = urllib.request.Request(f"{base}/highlights/-/insert", method="POST",
                                         data=b'{"row": {"id": "x"}}')
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=10)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    assert len(rows(db, "SELECT id FROM highlights")) == 4  # nothing written


def test_serve_without_a_database_is_one_line(tmp_path):
    from click.testing import CliRunner

    from briefing_tui.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "no database at" in result.stderr


def test_the_url_line_is_inert_and_a_missing_datasette_is_one_line(tmp_path, monkeypatch):
    import importlib.util

    from click.testing import CliRunner

    import briefing_tui.serve as serve_mod
    from briefing_tui.cli import cli
    from tests.hostile import UNSAFE

    db = tmp_path / f"lib{PAYLOAD[:6]}.db"
    Store(db).close()
    calls: list[list[str]] = []
    monkeypatch.setattr(serve_mod.subprocess, "call", lambda argv: calls.append(argv) or 0)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    result = CliRunner().invoke(cli, ["serve", "--db", str(db), "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert UNSAFE.search(result.output) is None
    assert "http://127.0.0.1:8123/lib␛]0;" in result.stdout
    [argv] = calls
    assert argv[1:4] == ["-m", "datasette", "serve"] and "--immutable" not in argv
    assert argv[argv.index("--host") + 1] == "127.0.0.1"
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    result = CliRunner().invoke(cli, ["serve", "--db", str(db)])
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "pip install 'briefing-tui[web]'" in result.stderr
