"""``briefing-tui [PATH ...] [--db FILE] [--analyst NAME]``: open the app, without click.

The console script starts here. Opening the app (the library, or the briefings of the
PATHs) is what the command does most, and what a user waits for: it is parsed here and
the app starts without importing click or the subcommands (their parsers, the export and
matrix formats: start-up time, #17.4). Every other command line (a subcommand,
``--help``, ``--version``, any other option, ``--``) goes to :mod:`briefing_tui.cli`,
which opens the app through :func:`open_app` too.

    >>> app_arguments(["notes.md", "--db", "x.db"])
    ('x.db', None, ['notes.md'])
    >>> app_arguments(["list"]) is None  # a subcommand: the click command line
    True
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefing_tui import paths
from briefing_tui.core.analyst import set_analyst
from briefing_tui.core.errors import ExportError, ImportRefused, StoreError
from briefing_tui.core.safetext import safe_line
from briefing_tui.core.store import Store
from briefing_tui.ui.startup_gc import freeze_for_exit

if TYPE_CHECKING:
    from briefing_tui.core.importer import ImportResult

PROG = "briefing-tui"
DEBUG_ENV = "BRIEFING_TUI_DEBUG"
# Exit codes: 1 for errors the user can fix, 2 for command-line usage, 130 for ^C.
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
# The subcommands of briefing_tui.cli (a test keeps the two in step): a first PATH by one
# of these names is that command.
COMMANDS = frozenset({
    "agreement", "codebook", "conflicts", "dossier", "export", "import",
    "import-annotations", "import-qdpx", "list", "matrix", "merge", "search", "serve",
    "speakers", "suggest",
})
VALUE_OPTIONS = ("--db", "--analyst")


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point (``briefing-tui``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    parsed = app_arguments(args)
    if parsed is None:
        from briefing_tui.cli import main as cli_main

        cli_main(args)
        return
    db, analyst, given = parsed
    try:
        code = run_reporting(lambda: open_app(db, analyst, given))
    finally:  # the process ends: skip the final collection
        freeze_for_exit()
    sys.exit(code)


def app_arguments(args: Sequence[str]) -> tuple[str | None, str | None, list[str]] | None:
    """``(db, analyst, paths)`` of a command line that opens the app; ``None`` for any
    other (the click command line parses it, and explains what is wrong with it)."""
    values: dict[str, str] = {}
    given: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in VALUE_OPTIONS and i + 1 < len(args) and _plain(args[i + 1]):
            values[arg] = args[i + 1]
            i += 2
            continue
        if not _plain(arg) or (not given and arg in COMMANDS):
            return None
        given.append(arg)
        i += 1
    db = values.get("--db")
    if db is not None and (not db.strip() or os.path.isdir(db)):
        return None  # click says what is wrong with that file name
    return db, values.get("--analyst"), given


def _plain(arg: str) -> bool:
    """An argument that is neither an option nor ``-`` (stdin) nor empty."""
    return bool(arg) and not arg.startswith("-")


def open_app(db: str | None, analyst: str | None, given: Sequence[str],
             say: Callable[[str], None] | None = None) -> None:
    """Open the app on database ``db`` (``None``: ``$BRIEFING_TUI_DB``, else the default).

    With PATHs (files or folders), imports them if new and opens the first one; without,
    the library (the first start on the default database imports the bundled samples).
    ``say`` prints a line on stderr.
    """
    say = say or _say
    if analyst is not None:
        set_analyst(analyst)
    # The samples come with the first start on the default database only: never into a
    # --db or $BRIEFING_TUI_DB file, never back after the user deleted every briefing.
    path = paths.db_path(db)
    first_start = paths.is_default_db(db) and not path.exists()
    store = Store(path)
    try:
        open_id: str | None = None
        if given:
            # A file already in the library opens from its stored copy at once: the app's
            # changed-file check (a stat; a hash in a worker when that differs) offers the
            # re-import if it changed. Only new files and folders are read here.
            known = {raw: _stored_briefing(store, raw) for raw in given}
            fresh = [raw for raw in given if known[raw] is None]
            skipped = lambda entry: say(f"{PROG}: {entry}")
            results = import_paths(store, fresh, on_skip=skipped) if fresh else []
            for result in results:
                if result.action != "unchanged":
                    say(import_line(result))
            open_id = known[given[0]] or (results[0].briefing_id if results else None)
        elif first_start:
            ensure_samples(store, say)
        from briefing_tui.ui.app import BriefingApp  # textual loads only when the app runs

        BriefingApp(store, open_briefing_id=open_id).run()
    finally:
        store.close()


def run_reporting(action: Callable[[], object]) -> int:
    """Run ``action``; its failure is one line on stderr (:func:`failure`) and an exit code."""
    try:
        result = action()
    except BaseException as exc:
        reported = failure(exc)
        if reported is None:
            raise
        line, code = reported
        _say(line)
        return code
    return result if isinstance(result, int) else 0


def failure(exc: BaseException) -> tuple[str, int] | None:
    """The line and exit code for an error that is not the command line's (``None``: not
    one of ours, such as ``SystemExit``; every other exception unless debugging)."""
    if isinstance(exc, KeyboardInterrupt):
        return fail_line("interrupted"), EXIT_INTERRUPTED
    if isinstance(exc, ImportRefused | StoreError | ExportError):
        return fail_line(str(exc)), EXIT_ERROR
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return fail_line(f"{exc.strerror or exc}{where}"), EXIT_ERROR
    if isinstance(exc, Exception) and not os.environ.get(DEBUG_ENV):
        detail = str(exc).strip() or "no details"
        return fail_line(f"unexpected {type(exc).__name__}: {detail}"
                         f" (set {DEBUG_ENV}=1 for a traceback)"), EXIT_ERROR
    return None


def fail_line(message: str) -> str:
    """The one line printed for an error: only the message's first line, prefixed."""
    text = " ".join(str(message).strip().splitlines()[:1]) or "unknown error"
    # Messages name paths and titles: no control character of theirs reaches the terminal.
    return f"{PROG}: error: {safe_line(text)}"


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def import_paths(store: Store, sources: Sequence[str | Path],
                 **options: object) -> list[ImportResult]:
    """:func:`briefing_tui.core.importer.import_paths`, imported on first use.

    The importer brings in markdown-it, YAML and rapidfuzz; opening the library needs
    none of them (start-up time).
    """
    from briefing_tui.core.importer import import_paths as run_import

    return run_import(store, sources, **options)  # type: ignore[arg-type]


def import_line(result: ImportResult) -> str:
    """What ``import`` prints for one file."""
    line = f"{result.action:<9}  {safe_line(result.title)}  ({result.briefing_id[:8]})"
    if result.action == "updated":
        line += f"  ({result.reanchored} re-anchored, {result.orphaned} orphaned)"
    return line


def ensure_samples(store: Store, say: Callable[[str], None] | None = None
                   ) -> list[ImportResult]:
    """Import the bundled sample briefings into an empty database; return what was added.

    The app calls it only on its first start on the default database (see :func:`open_app`).
    """
    # Briefings deleted from the library still count: the samples are not imported again.
    if getattr(store, "readonly", False) or store.list_briefings() or store.deleted_briefings():
        return []
    folder = paths.samples_dir()
    if not folder.is_dir():
        return []
    results = import_paths(store, [folder])
    (say or _say)(f"{PROG}: first run: imported {len(results)} sample briefings from {folder}")
    return results


def _stored_briefing(store: Store, raw: str) -> str | None:
    """The id of the library's briefing imported from file ``raw``, if any (not deleted)."""
    path = Path(raw).expanduser()
    try:
        if not path.is_file():
            return None
        info = store.find_briefing(path=str(path.resolve()))
    except (OSError, ValueError, StoreError):
        return None
    return info.id if info is not None and info.deleted_at is None else None


__all__ = [
    "COMMANDS",
    "app_arguments",
    "ensure_samples",
    "fail_line",
    "failure",
    "main",
    "open_app",
    "run_reporting",
]
