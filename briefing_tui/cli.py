"""The ``briefing-tui`` command: parse arguments, call the core, print. No logic of its own.

    briefing-tui [PATH ...] [--db FILE]        open the app (PATHs imported, the first opened)
    briefing-tui import PATH... [--encoding E] import files or folders
    briefing-tui list                          briefings with their highlight counts
    briefing-tui export [BRIEFING | --all] [--format md|json|csv|qdpx] [--group-by ...] [-o FILE] [--force]
    briefing-tui suggest BRIEFING [--json] [--apply] [--min-confidence X]
    briefing-tui speakers [--json]             the speaker registry with counts per stance
    briefing-tui dossier SPEAKER [--topic T] [--since D] [--until D] [--json]
    briefing-tui search QUERY [--limit N] [--json]  full-text search across the briefings
    briefing-tui matrix [--topic T] [--since D] [--until D] [--source S] [--format md|csv|json]
    briefing-tui merge OTHER.db [--dry-run]   bring another analyst's work in
    briefing-tui conflicts [--json] | conflicts resolve ID --keep mine|theirs
    briefing-tui agreement A.db B.db [--briefing X] [--json]
    briefing-tui codebook export|import FILE   stance labels, speakers, topics (.toml or .qdc)
    briefing-tui import-annotations FILE.json  W3C annotations back as highlights
    briefing-tui import-qdpx FILE.qdpx         a REFI-QDA project's sources, codes and selections
    briefing-tui serve [--port 8001]           Datasette on the database, read-only

Every error is one line on stderr (``briefing-tui: error: ...``) and a non-zero exit code.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefing_tui import __version__, paths
from briefing_tui.core import queries
from briefing_tui.core.analyst import set_analyst
from briefing_tui.core.errors import ExportError
from briefing_tui.core.export import FORMATS, GROUP_BYS, export, write_atomic
from briefing_tui.core.matrix import MATRIX_FORMATS, MatrixFilter, date_arg, render
from briefing_tui.core.pathnames import display_path
from briefing_tui.core.safetext import safe_line
from briefing_tui.core.store import Store
from briefing_tui.core.titles import shorten
from briefing_tui.launch import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    PROG,
    fail_line,
    failure,
    import_line,
    import_paths,
    open_app,
)
from briefing_tui.ui.startup_gc import freeze_for_exit

if TYPE_CHECKING:
    from briefing_tui.core.importer import ImportResult
    from briefing_tui.core.pathnames import Skipped

# ``list`` on a terminal cuts titles to the width left, but never below this.
LIST_TITLE_MIN = 30
# ``search`` cuts titles to this many characters (the snippet follows on the line).
SEARCH_TITLE_MAX = 40
# Export formats that are archives, not text (never to stdout): the REFI-QDA project.
ARCHIVE_FORMATS = ("qdpx",)

_DB_HELP = f"Database file (default: ${paths.DB_ENV}, else {paths.default_db_path()})."


class _MainGroup(click.Group):
    """A group that also takes PATHs when no subcommand is named, and never shows a traceback.

    ``briefing-tui notes.md`` and ``briefing-tui import notes.md`` both work: if the first
    positional argument is not a command name, every positional argument is a PATH.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options: list[str] = []
        positional: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                positional += args[i + 1:]
                break
            if not positional and arg in self.commands:
                # A subcommand: let click handle it and everything after it.
                return super().parse_args(ctx, options + args[i:])
            if arg in ("--db", "--analyst") and i + 1 < len(args):
                options += args[i:i + 2]
                i += 2
                continue
            if arg.startswith("-") and arg != "-":
                options.append(arg)
            else:
                positional.append(arg)
            i += 1
        ctx.meta["briefing_tui.paths"] = positional
        return super().parse_args(ctx, options)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """Run the command; turn every failure into one stderr line and an exit code."""
        try:
            result = super().main(args=args, prog_name=prog_name or PROG,
                                  complete_var=complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as exc:
            code = exc.exit_code
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else PROG
            hint = f" (see {where} --help)"
            click.echo(fail_line(exc.format_message()) + hint, err=True)
            code = EXIT_USAGE
        except click.ClickException as exc:
            click.echo(fail_line(exc.format_message()), err=True)
            code = exc.exit_code or EXIT_ERROR
        except click.Abort:
            click.echo(fail_line("interrupted"), err=True)
            code = EXIT_INTERRUPTED
        except Exception as exc:
            reported = failure(exc)
            if reported is None:
                raise
            click.echo(reported[0], err=True)
            code = reported[1]
        except KeyboardInterrupt:
            click.echo(fail_line("interrupted"), err=True)
            code = EXIT_INTERRUPTED
        else:
            code = result if isinstance(result, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)


def _db_option(f: Any) -> Any:
    return click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
                        metavar="FILE", help=_DB_HELP)(f)


def _explicit_db(ctx: click.Context, db: str | None) -> str | None:
    """--db of the command, else --db of the group."""
    root = ctx.find_root()
    return db or (root.params.get("db") if root is not ctx else None)


def _db_path(ctx: click.Context, db: str | None) -> Path:
    """--db of the command, else --db of the group, else $BRIEFING_TUI_DB, else the default."""
    return paths.db_path(_explicit_db(ctx, db))


def _open_store(ctx: click.Context, db: str | None, *, create: bool = True) -> Store:
    """Open the command's database; a read command (``create=False``) refuses, creating
    nothing, when the file does not exist."""
    path = _db_path(ctx, db)
    if not create and not path.exists():
        raise click.ClickException(f"no database at {display_path(path)}")
    store = Store(path)
    ctx.call_on_close(store.close)
    return store


def _short(briefing_id: str) -> str:
    return briefing_id[:8]


def _skipped(skipped: Skipped) -> None:
    """An entry of a folder left out of an import: one line on stderr, naming it."""
    click.echo(f"{PROG}: {skipped}", err=True)


@click.group(cls=_MainGroup, invoke_without_command=True,
             subcommand_metavar="[PATH]... | COMMAND [ARGS]...",
             context_settings={"help_option_names": ["-h", "--help"]})
@_db_option
@click.option("--analyst", default=None, metavar="NAME",
              help="Record changes as made by NAME (default: $BRIEFING_TUI_ANALYST, else"
                   " `analyst` in config.toml, else the login name).")
@click.version_option(__version__, "--version", prog_name=PROG)
@click.pass_context
def cli(ctx: click.Context, db: str | None, analyst: str | None) -> None:
    """Read and annotate briefings from the keyboard.

    With PATHs (files or folders), imports them if new and opens the first one;
    without, opens the library (the first start on the default database imports the
    bundled samples).
    """
    if analyst is not None:
        set_analyst(analyst)
    if ctx.invoked_subcommand is not None:
        return
    # The same as briefing_tui.launch does without click (analyst set above).
    open_app(db, None, ctx.meta.get("briefing_tui.paths", []),
             say=lambda line: click.echo(line, err=True))


@cli.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path(), metavar="PATH...")
@click.option("--encoding", default=None, metavar="CODEC",
              help="Decode the files with this codec instead of UTF-8 (e.g. cp1252).")
@_db_option
@click.pass_context
def import_command(ctx: click.Context, sources: tuple[str, ...], encoding: str | None,
                   db: str | None) -> None:
    """Import files or folders (.md, .markdown, .txt); print one line per file as it is stored."""
    store = _open_store(ctx, db)
    skipped: list[Skipped] = []

    def skip(entry: Skipped) -> None:
        skipped.append(entry)
        _skipped(entry)

    progress = _ImportProgress()

    def stored(done: int, total: int, result: ImportResult) -> None:
        progress.clear()  # stdout and stderr may share the terminal: no line drawn over
        click.echo(import_line(result))
        progress.show("importing", done, total, Path(result.path))

    try:
        results = import_paths(store, sources, encoding=encoding, on_skip=skip,
                               on_progress=stored,
                               on_check=lambda done, total, path:
                               progress.show("checking", done, total, path))
    finally:
        progress.clear()
    if len(results) > 1 or skipped:
        counts = ", ".join(f"{sum(1 for r in results if r.action == action)} {action}"
                           for action in ("added", "updated", "unchanged"))
        more = f", {len(skipped)} skipped" if skipped else ""
        files = f"{len(results)} file{'s' if len(results) != 1 else ''}"
        click.echo(f"{PROG}: {files}: {counts}{more}", err=True)


@cli.command("list")
@_db_option
@click.pass_context
def list_command(ctx: click.Context, db: str | None) -> None:
    """List the briefings with their highlight, orphan and changed counts."""
    store = _open_store(ctx, db, create=False)
    infos = queries.briefings(store)
    if not infos:
        click.echo(f"No briefings yet. Import some with: {PROG} import PATH")
        return
    rows = [("id", "published", "highlights", "orphans", "changed", "source", "title")]
    for b in infos:
        # Stored before the importer cleaned metadata, a title may still hold controls.
        source = safe_line(b.source if len(b.source) <= 28 else b.source[:27] + "…")
        rows.append((_short(b.id), safe_line(b.published[:10]), str(b.highlight_count),
                     str(b.orphan_count), str(b.changed_count), source, safe_line(b.title)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    numeric = {2, 3, 4}
    # Titles are stored whole; on a terminal the title column gets the width left over
    # (cut at a word), piped or redirected it stays whole.
    columns = _terminal_columns()
    room = None if columns is None else max(LIST_TITLE_MIN, columns - sum(widths) - 2 * len(widths))
    for row in rows:
        cells = [row[i].rjust(widths[i]) if i in numeric and row is not rows[0]
                 else row[i].ljust(widths[i]) for i in range(len(widths))]
        title = row[-1] if room is None else shorten(row[-1], room)
        click.echo("  ".join(cells + [title]).rstrip())


def _terminal_columns() -> int | None:
    """The width of the terminal ``list`` writes to; None when stdout is not a terminal."""
    isatty = getattr(sys.stdout, "isatty", None)
    if not callable(isatty) or not isatty():
        return None
    return shutil.get_terminal_size().columns


@cli.command("export")
@click.argument("briefing", required=False, metavar="[BRIEFING]")
@click.option("--format", "fmt", type=click.Choice([*FORMATS, *ARCHIVE_FORMATS]), default="md",
              show_default=True, help="Output format (qdpx: a REFI-QDA project, needs -o).")
@click.option("--group-by", type=click.Choice(list(GROUP_BYS)), default="speaker",
              show_default=True, help="How Markdown groups the highlights.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Write to FILE (atomically) instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option("--all", "all_briefings", is_flag=True,
              help="Every briefing (the default without BRIEFING); Markdown opens with the "
                   "library-wide speaker × stance matrix.")
@_db_option
@click.pass_context
def export_command(ctx: click.Context, briefing: str | None, fmt: str, group_by: str,
                   output: str | None, force: bool, all_briefings: bool, db: str | None) -> None:
    """Export one BRIEFING (id, path or unique title fragment), or all, with its highlights."""
    if briefing and all_briefings:
        raise click.UsageError("name a BRIEFING or give --all, not both")
    store = _open_store(ctx, db, create=False)
    ids = [store.resolve_briefing(briefing).id] if briefing else None
    if ids is None and not store.list_briefings():
        raise ExportError("the database has no briefings to export")
    if fmt == "qdpx":
        _export_qdpx(store, ids, output, force)
        return
    text = export(store, ids, fmt=fmt, group_by=group_by)
    if output is None:
        # Safe for the terminal as it is: Markdown and CSV show controls as placeholders,
        # JSON escapes them (core/export.py); so stdout equals what -o writes.
        click.echo(text, nl=False)
        return
    target = write_atomic(output, text, force=force)
    click.echo(f"wrote {safe_line(str(target))}")


@cli.command("suggest")
@click.argument("briefing", metavar="BRIEFING")
@click.option("--json", "as_json", is_flag=True,
              help="JSON Lines: start, end, quote, speaker, role, kind, cue, confidence.")
@click.option("--apply", "apply_them", is_flag=True,
              help="Highlight the pending proposals (not overlapping a highlight, not "
                   "rejected) with their speakers, marked unreviewed until confirmed in "
                   "the app.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              metavar="X", help="Only proposals with a confidence of at least X.")
@_db_option
@click.pass_context
def suggest_command(ctx: click.Context, briefing: str, as_json: bool, apply_them: bool,
                    min_confidence: float, db: str | None) -> None:
    """Propose who said what in BRIEFING (id, path or unique title fragment)."""
    from briefing_tui.core import review
    from briefing_tui.core.attribution import propose  # not on the start-up path

    store = _open_store(ctx, db, create=False)
    info = store.resolve_briefing(briefing)
    doc = store.get_briefing(info.id, with_source=False).document
    if apply_them:
        made = review.apply(store, info.id, min_confidence)
        names = {s.id: s.name for s in store.speakers()}
        for h in made:
            row = {"start": h.start, "end": h.end, "quote": h.exact,
                   "speaker": names.get(h.speaker_id or "", ""), "highlight_id": h.id,
                   "reviewed": False}
            if as_json:
                click.echo(json.dumps(row, ensure_ascii=True))
            else:
                click.echo(f"{h.start:>7}-{h.end:<7} {safe_line(str(row['speaker']))}  "
                           f"{safe_line(_cut(h.exact, 70))}")
        click.echo(f"{len(made)} suggestion{'s' if len(made) != 1 else ''} highlighted in "
                   f"{safe_line(shorten(info.title, 60))}, unreviewed until confirmed in the "
                   "app (a, then y)", err=as_json)
        return
    proposals = [p for p in propose(doc, store.speakers(), info.title)
                 if p.confidence >= min_confidence]
    if as_json:
        for p in proposals:
            # ensure_ascii: controls in a quote are \\uXXXX escapes, safe to print.
            click.echo(json.dumps(p.as_dict(doc.text), ensure_ascii=True))
        return
    for p in proposals:
        quote = _cut(doc.text[p.start:p.end], 70)
        speaker = p.speaker + (f" ({p.role})" if p.role else "") + ("" if p.speaker_id else " [new]")
        click.echo(f"{p.start:>7}-{p.end:<7} {p.kind:<8} {p.confidence:.2f}  "
                   f"{safe_line(speaker)}  «{safe_line(p.cue)}»  {safe_line(quote)}")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


@cli.command("speakers")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of Markdown.")
@_db_option
@click.pass_context
def speakers_command(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """The speaker registry: role, affiliation, aliases, statements, briefings, first and
    last date, and counts per stance."""
    from briefing_tui.core.dossier import speakers_json, speakers_markdown

    store = _open_store(ctx, db, create=False)
    summaries = queries.speaker_summaries(store)
    render = speakers_json if as_json else speakers_markdown
    click.echo(render(summaries, store.stances()), nl=False)


@cli.command("dossier")
@click.argument("speaker", metavar="SPEAKER")
@click.option("--topic", default=None, metavar="T", help="Only statements with this topic.")
@click.option("--since", default=None, metavar="D", help="Only briefings dated D or later.")
@click.option("--until", default=None, metavar="D", help="Only briefings dated D or earlier.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of Markdown.")
@_db_option
@click.pass_context
def dossier_command(ctx: click.Context, speaker: str, topic: str | None, since: str | None,
                    until: str | None, as_json: bool, db: str | None) -> None:
    """Everything SPEAKER (a name, an alias, a unique part of one, or an id) said across the
    briefings, by date, with the stance over time."""
    from briefing_tui.core.dossier import (
        dossier,
        dossier_json,
        dossier_markdown,
        parse_date,
        resolve_speaker,
    )
    from briefing_tui.core.store import normalize_topic

    for name, value in (("--since", since), ("--until", until)):
        if value is not None and parse_date(value) is None:
            raise click.ClickException(f"{name} wants a date as YYYY-MM-DD, not {value!r}")
    store = _open_store(ctx, db, create=False)
    found = resolve_speaker(store.speakers(), speaker)
    result = dossier(store, found, topic=normalize_topic(topic) if topic else None,
                     since=since, until=until)
    render = dossier_json if as_json else dossier_markdown
    click.echo(render(result, store.stances()), nl=False)


@cli.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="At most this many hits.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit (JSON Lines).")
@_db_option
@click.pass_context
def search_command(ctx: click.Context, query: tuple[str, ...], limit: int, as_json: bool,
                   db: str | None) -> None:
    """Search the reading texts, quotes and notes of every briefing for QUERY (all its words;
    "a phrase" in quotes; OR between two terms; word* for a prefix), best first."""
    from briefing_tui.core.search import search

    store = _open_store(ctx, db, create=False)
    hits = search(store, " ".join(query), limit)
    if as_json:
        for hit in hits:
            click.echo(json.dumps({
                "briefing_id": hit.briefing_id, "title": safe_line(hit.title),
                "date": safe_line(hit.date), "start": hit.start, "end": hit.end,
                "snippet": safe_line(hit.snippet), "kind": hit.kind,
                "highlight_id": hit.highlight_id}, ensure_ascii=False))
        return
    if not hits:
        click.echo("No matches.")
        return
    rows = [(_short(hit.briefing_id), safe_line(hit.date[:10]) or "-",
             safe_line(shorten(hit.title, SEARCH_TITLE_MAX)), hit.kind, str(hit.start),
             safe_line(hit.snippet)) for hit in hits]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        cells = [row[i].rjust(widths[i]) if i == 4 else row[i].ljust(widths[i]) for i in range(5)]
        click.echo("  ".join([*cells, row[5]]))


def _date_option(name: str, help_text: str) -> Any:
    def convert(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return date_arg(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return click.option(name, default=None, metavar="DATE", callback=convert, help=help_text)


@cli.command("matrix")
@click.option("--topic", default=None, metavar="T", help="Only highlights with this topic.")
@_date_option("--since", "Only briefings published on or after DATE (YYYY[-MM[-DD]]).")
@_date_option("--until", "Only briefings published on or before DATE (YYYY[-MM[-DD]]).")
@click.option("--source", default=None, metavar="S", help="Only briefings whose source holds S.")
@click.option("--sort", type=click.Choice(["total", "name"]), default="total",
              show_default=True, help="Order of the speakers.")
@click.option("--format", "fmt", type=click.Choice(list(MATRIX_FORMATS)), default="md",
              show_default=True, help="Output format.")
@click.option("--json", "as_json", is_flag=True, help="The same as --format json.")
@_db_option
@click.pass_context
def matrix_command(ctx: click.Context, topic: str | None, since: str | None, until: str | None,
                   source: str | None, sort: str, fmt: str, as_json: bool,
                   db: str | None) -> None:
    """Speaker × stance counts over the library, or over a topic, dates or a source."""
    fmt = "json" if as_json else fmt
    store = _open_store(ctx, db, create=False)
    filters = MatrixFilter(topic=topic.lstrip("#") if topic else None, since=since,
                           until=until, source=source)
    grid = queries.matrix(store, filters.query(), sort="name" if sort == "name" else "total")
    # Safe for the terminal as it is: names are placeholders (md, csv) or escapes (json).
    click.echo(render(grid, fmt, filters), nl=False)


# --------------------------------------------------------------------------- team work (#15)


@cli.command("merge")
@click.argument("other", type=click.Path(dir_okay=False), metavar="OTHER.db")
@click.option("--dry-run", is_flag=True, help="Say what merging would do; change nothing.")
@_db_option
@click.pass_context
def merge_command(ctx: click.Context, other: str, dry_run: bool, db: str | None) -> None:
    """Bring another analyst's briefings, highlights, speakers, stances and topics into this
    database (OTHER.db is read, never changed). Highlights changed on both sides become
    conflicts (see `conflicts`); merging the same file again changes nothing."""
    from briefing_tui.core.merge import merge

    store = _open_store(ctx, db, create=False)
    report = merge(store, other, dry_run=dry_run)
    for line in report.lines():
        click.echo(safe_line(line))


@cli.group("conflicts", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@_db_option
@click.pass_context
def conflicts_command(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """List the highlights changed on both sides of a merge: both versions of each."""
    if ctx.invoked_subcommand is not None:
        return
    from briefing_tui.core.merge import conflicts, describe

    store = _open_store(ctx, db, create=False)
    found = conflicts(store)
    if as_json:
        click.echo(json.dumps([{"id": c.id, "highlight_id": c.highlight_id,
                                "briefing": c.briefing_title, "source": c.source_path,
                                "found": c.found, "mine": c.mine, "theirs": c.theirs}
                               for c in found], ensure_ascii=True, indent=2, default=str))
        return
    if not found:
        click.echo("no conflicts")
        return
    for c in found:
        click.echo(f"{c.id[:8]}  {safe_line(shorten(c.briefing_title, 60))}"
                   f"  (from {safe_line(display_path(Path(c.source_path)))})")
        click.echo(f"  mine:   {safe_line(describe(store, c.mine))}")
        click.echo(f"  theirs: {safe_line(describe(store, c.theirs))}")
    click.echo(f"{len(found)} conflicts; keep one with: {PROG} conflicts resolve ID"
               " --keep mine|theirs")


@conflicts_command.command("resolve")
@click.argument("conflict_id", metavar="ID")
@click.option("--keep", type=click.Choice(["mine", "theirs"]), required=True,
              help="Which version of the highlight stays.")
@_db_option
@click.pass_context
def resolve_command(ctx: click.Context, conflict_id: str, keep: str, db: str | None) -> None:
    """Close conflict ID (or an id prefix) keeping one version."""
    from briefing_tui.core.merge import resolve_conflict

    group_db = ctx.parent.params.get("db") if ctx.parent is not None else None
    store = _open_store(ctx, db or group_db, create=False)
    conflict = resolve_conflict(store, conflict_id, keep)
    click.echo(f"kept {keep} for {conflict.id[:8]}"
               f"  {safe_line(shorten(conflict.briefing_title, 60))}")


@cli.command("agreement")
@click.argument("db_a", type=click.Path(dir_okay=False), metavar="A.db")
@click.argument("db_b", type=click.Path(dir_okay=False), metavar="B.db")
@click.option("--briefing", default=None, metavar="X",
              help="Only the briefings whose id starts with X or whose title holds X.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of Markdown.")
def agreement_command(db_a: str, db_b: str, briefing: str | None, as_json: bool) -> None:
    """How far two analysts agree on the briefings both coded: per sentence, highlighted or
    not, speaker and stance, with percent agreement, Cohen's kappa and Krippendorff's alpha,
    and the sentences they disagree on (Markdown). Both files are only read."""
    from briefing_tui.core.agreement import agreement

    report = agreement(db_a, db_b, briefing=briefing)
    if as_json:
        click.echo(report.to_json())
        return
    click.echo("\n".join(safe_line(line) for line in report.to_markdown().splitlines()))


# --------------------------------------------------------------------------- codebook (#16)

@cli.group("codebook")
def codebook_group() -> None:
    """The codebook: stance labels, speakers and topics, as TOML or REFI-QDA .qdc."""


@codebook_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False), metavar="FILE")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@_db_option
@click.pass_context
def codebook_export_command(ctx: click.Context, file: str, force: bool, db: str | None) -> None:
    """Write the codebook to FILE: .toml (hand-editable) or .qdc (REFI-QDA codebook)."""
    from briefing_tui.core.codebook import codebook_of, render_codebook

    suffix = Path(file).suffix.lower()
    if suffix not in (".toml", ".qdc"):
        raise ExportError(f"{Path(file).name}: unknown codebook format (use a .toml or .qdc file)")
    store = _open_store(ctx, db, create=False)
    text = render_codebook(codebook_of(store), suffix)
    target = write_atomic(file, text, force=force)
    click.echo(f"wrote {safe_line(str(target))}")


@codebook_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False), metavar="FILE")
@_db_option
@click.pass_context
def codebook_import_command(ctx: click.Context, file: str, db: str | None) -> None:
    """Merge the codebook in FILE (.toml or .qdc) into the database: by name (and alias),
    never deleting; prints what was added and what clashed."""
    from briefing_tui.core.codebook import import_codebook, read_codebook

    book = read_codebook(file)  # read first: a bad file changes nothing, not even --db
    store = _open_store(ctx, db)
    report = import_codebook(store, book)
    for line in report.lines():
        click.echo(line)
    click.echo(f"{PROG}: codebook {safe_line(Path(file).name)}: {report.summary()}", err=True)


# --------------------------------------------------------------------------- W3C annotations (#16)

@cli.command("import-annotations")
@click.argument("file", type=click.Path(dir_okay=False), metavar="FILE")
@_db_option
@click.pass_context
def import_annotations_command(ctx: click.Context, file: str, db: str | None) -> None:
    """Bring W3C Web Annotations in FILE (what `export --format json` writes, or another
    tool's, with text selectors on briefings this database holds) back as highlights."""
    from briefing_tui.core.w3c_import import import_annotations, read_annotations

    data = read_annotations(file)
    store = _open_store(ctx, db, create=False)
    for line in import_annotations(store, data).lines():
        click.echo(line)


# --------------------------------------------------------------------------- REFI-QDA project (#16)

def _export_qdpx(store: Store, ids: list[str] | None, output: str | None, force: bool) -> None:
    """``export --format qdpx``: the REFI-QDA project archive (a zip: never to stdout)."""
    from briefing_tui.core.qdpx import write_qdpx

    if output is None:
        raise click.UsageError("--format qdpx writes a zip archive: give -o FILE.qdpx")
    target, result = write_qdpx(store, ids, output, force=force)
    def count(n: int, what: str) -> str:
        return f"{n} {what}{'s' if n != 1 else ''}"

    left = (f"; {count(result.orphans_left_out, 'orphaned highlight')} left out"
            if result.orphans_left_out else "")
    click.echo(f"wrote {safe_line(str(target))} ({count(result.sources, 'source')},"
               f" {count(result.selections, 'selection')}, {count(result.notes, 'note')}{left})")


@cli.command("import-qdpx")
@click.argument("file", type=click.Path(dir_okay=False), metavar="FILE.qdpx")
@_db_option
@click.pass_context
def import_qdpx_command(ctx: click.Context, file: str, db: str | None) -> None:
    """Bring a REFI-QDA project (from NVivo, ATLAS.ti, MAXQDA, QualCoder or `export --format
    qdpx`) in: its codebook, the text sources we lack, its coded selections as highlights."""
    from briefing_tui.core.qdpx_import import import_qdpx, read_qdpx

    project = read_qdpx(file)  # all read and checked first: a bad file changes nothing
    store = _open_store(ctx, db)
    for line in import_qdpx(store, project).lines():
        click.echo(safe_line(line))


# --------------------------------------------------------------------------- Datasette (#16)

@cli.command("serve")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True,
              help="The port on 127.0.0.1.")
@_db_option
@click.pass_context
def serve_command(ctx: click.Context, port: int, db: str | None) -> int:
    """Browse the database in Datasette, read-only, on 127.0.0.1 (needs the `web` extra:
    pip install 'briefing-tui[web]')."""
    from briefing_tui.serve import ServeError, serve

    path = _db_path(ctx, db)
    store = _open_store(ctx, db, create=False)  # migrated: highlights_view is there
    try:
        return serve(store, path.resolve(), port,
                     announce=lambda line: click.echo(safe_line(line)))
    except ServeError as exc:
        raise click.ClickException(str(exc)) from None

# --------------------------------------------------------------------------- import progress

class _ImportProgress:
    """How far ``import`` is, on stderr (stdout keeps one line per file for scripts).

    On a terminal: one line redrawn in place per file, ``[ 120/2000] importing name``,
    erased when the import ends. Otherwise (a log): a line every ``EVERY`` files of a
    folder of more than ``EVERY``. Only for several files; names are escaped
    (``display_path``).
    """

    EVERY = 100

    def __init__(self) -> None:
        isatty = getattr(sys.stderr, "isatty", None)
        self.tty = bool(callable(isatty) and isatty())
        self.shown = 0  # cells of the line drawn on the terminal (0: none)

    def show(self, verb: str, done: int, total: int, path: Path) -> None:
        if total < 2:
            return
        count = f"[{done:>{len(str(total))}}/{total}]"
        if not self.tty:
            if total > self.EVERY and (done % self.EVERY == 0 or done == total):
                click.echo(f"{PROG}: {count} {verb} files", err=True)
            return
        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        line = f"{count} {verb} {safe_line(display_path(path.name))}"
        # A line that wraps cannot be redrawn in place: wide characters count twice.
        line = shorten(line, width if line.isascii() else width // 2)
        pad = " " * max(0, self.shown - len(line))
        click.echo(f"\r{line}{pad}", err=True, nl=False)
        self.shown = len(line)

    def clear(self) -> None:
        if self.tty and self.shown:
            click.echo("\r" + " " * self.shown + "\r", err=True, nl=False)
            self.shown = 0


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point (``briefing-tui``)."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name=PROG)
    finally:  # click ends with SystemExit: the process ends, skip the final collection
        freeze_for_exit()
