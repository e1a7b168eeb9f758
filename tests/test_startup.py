"""Start-up cost and memory of opening (issue 4): what the library's start path imports,
and what the store loads for the reader.

The import checks run in a fresh interpreter (``sys.modules`` of this test process
already holds everything); they assert which modules are loaded, never a time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing_tui.core.document import Document
from briefing_tui.core.store import Store, StoreError

REPO = Path(__file__).resolve().parent.parent
# Libraries only importing, re-importing, exporting or the reader need.
DEFERRED = ("markdown_it", "mdit_py_plugins", "yaml", "rapidfuzz", "sqlite_utils",
            "briefing_tui.core.importer", "briefing_tui.core.anchoring",
            "briefing_tui.core.markdown_render", "briefing_tui.ui.screens.reader",
            "briefing_tui.ui.screens.help", "briefing_tui.ui.widgets.pickers",
            # team work (#15): merging and agreement load on use; alpha's numpy never at start
            "briefing_tui.core.merge", "briefing_tui.core.agreement", "krippendorff", "numpy",
            # #17.4 cold start: the note editor's TextArea, the terminal driver (the
            # benchmark's and the tests' apps run under another), the changed-file check's
            # hash, the config's TOML parser (there is no config file here)
            "textual.widgets._text_area", "textual.drivers.linux_driver", "hashlib",
            "tomllib",
            # ... and the command line's parser and subcommands (briefing_tui.launch opens
            # the app without them)
            "click", "briefing_tui.cli", "briefing_tui.core.export", "briefing_tui.core.matrix",
            "briefing_tui.core.dates")


def loaded_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    """The modules of DEFERRED that a fresh interpreter has loaded after running ``code``."""
    probe = (f"import json, sys\n{code}\n"
             f"print(json.dumps([m for m in {list(DEFERRED)!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                         text=True, check=True, timeout=60, env=env)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_library_start_path_imports_no_parser_importer_or_reader(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    with Store(db) as store:  # created (and migrated: sqlite-utils) in this process
        store.add_briefing(title="T", source="", published="", url="", path="", fmt="text",
                           source_text="x", document=Document(text="x"), content_hash="h")
    code = ("import briefing_tui.launch as launch\n"
            "from briefing_tui.core.store import Store\n"
            f"store = Store({str(db)!r})\n"
            "launch.ensure_samples(store)\n"
            "store.list_briefings()\n"
            "from briefing_tui.ui.app import BriefingApp\n"
            "BriefingApp(store)")
    assert loaded_after(code, start_env(tmp_path)) == set()


def start_env(tmp_path: Path) -> dict[str, str]:
    """A start with no config file, under a driver other than the terminal's (as in the
    tests and the cold-start benchmark)."""
    return {**os.environ, "BRIEFING_TUI_CONFIG": str(tmp_path / "no-config.toml"),
            "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver"}


def test_the_library_first_screen_imports_none_of_them_either(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    with Store(db) as store:
        store.add_briefing(title="T", source="", published="", url="", path="", fmt="text",
                           source_text="x", document=Document(text="x"), content_hash="h")
    # The console script's start path (briefing_tui.launch), to the library on screen and out.
    code = ("from briefing_tui.ui.app import BriefingApp\n"
            "run, shown = BriefingApp.run, []\n"
            "async def pilot(pilot):\n"
            "    await pilot.pause()\n"
            "    shown.append(pilot.app.screen.id)\n"
            "    pilot.app.exit()\n"
            "BriefingApp.run = lambda app: run(app, headless=True, auto_pilot=pilot)\n"
            "from briefing_tui.launch import main\n"
            "try:\n"
            f"    main(['--db', {str(db)!r}])\n"
            "except SystemExit as done:\n"
            "    assert done.code == 0 and shown == ['library'], (done.code, shown)\n")
    assert loaded_after(code, start_env(tmp_path)) == set()


def test_parsing_markdown_still_loads_its_parser() -> None:
    # The deferred imports happen on use: the probe can see a module being loaded.
    code = ("from briefing_tui.core.document import parse_source\n"
            "parse_source('---\\ntitle: A\\n---\\n# Hi', 'markdown')")
    assert {"markdown_it", "yaml", "briefing_tui.core.markdown_render"} <= loaded_after(code)


def test_a_new_database_is_migrated_through_sqlite_utils(tmp_path: Path) -> None:
    code = (f"from briefing_tui.core.store import Store\nStore({str(tmp_path / 'n.db')!r})")
    assert "sqlite_utils" in loaded_after(code)


# ----------------------------------------------------------------- the reader's briefing


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "b.db") as opened:
        yield opened


def test_get_briefing_without_source_leaves_it_out(store: Store) -> None:
    info = store.add_briefing(title="T", source="", published="", url="", path="",
                              fmt="text", source_text="SOURCE body", content_hash="h",
                              document=Document(text="body", fmt="text"))
    full = store.get_briefing(info.id)
    lean = store.get_briefing(info.id, with_source=False)
    assert full.source_text == "SOURCE body"
    assert lean.source_text == ""
    assert lean.document.text == full.document.text == "body"
    assert (lean.title, lean.revision) == (full.title, full.revision)


def test_source_text_reads_the_source_alone(store: Store) -> None:
    info = store.add_briefing(title="T", source="", published="", url="", path="",
                              fmt="text", source_text="SOURCE body", content_hash="h",
                              document=Document(text="body", fmt="text"))
    assert store.source_text(info.id) == "SOURCE body"
    with pytest.raises(StoreError, match="no briefing"):
        store.source_text("nope")


def test_store_db_wraps_the_same_connection(store: Store) -> None:
    assert store.db.conn is store.conn
    assert store.db is store.db  # built once


# ----------------------------------------------------------------- the changed-file check


def test_an_unchanged_utf8_file_hashes_to_its_content_hash(store: Store, tmp_path: Path) -> None:
    # BriefingApp's changed-file check trusts the raw bytes' hash when it equals the stored
    # content hash (no read, decode and normalise of a 5 MB file); a file that needed
    # normalising hashes differently and takes the full path.
    from briefing_tui.core.importer import import_paths
    from briefing_tui.core.sources import file_sha256 as _file_sha256

    plain = tmp_path / "plain.md"
    plain.write_text("# Talks\n\nThey met.\n", encoding="utf-8")
    crlf = tmp_path / "crlf.md"
    crlf.write_bytes(b"# Talks\r\n\r\nThey met again.\r\n")
    results = import_paths(store, [plain, crlf])
    plain_info, crlf_info = (store.briefing_info(r.briefing_id) for r in results)
    assert _file_sha256(plain) == plain_info.content_hash
    assert _file_sha256(crlf) != crlf_info.content_hash
    assert _file_sha256(tmp_path / "gone.md") is None
