"""Team work from the command palette (#15): merge another analyst's database, the
conflicts it found, and the agreement of the two analysts of a merged database.

Each runs its database work in a thread worker through the app's store (its connection is
serialised by a lock and open for any thread: see :mod:`briefing_tui.core.dbfile`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing_tui.core.safetext import safe_line
from briefing_tui.ui.messages import USER_ERRORS, StoreChange, one_line, services

if TYPE_CHECKING:
    from textual.app import App

WORKERS = "store-io"  # the app's group of thread workers


def merge_flow(app: App[Any]) -> None:
    """Ask for the other database's path, merge it in a worker, say what it did."""
    from briefing_tui.ui.widgets.pickers import PathPrompt

    def chosen(answer: str | None) -> None:
        if answer and answer.strip():
            path = Path(answer.strip()).expanduser()
            app.run_worker(lambda: _merge(app, path), thread=True, group=WORKERS,
                           exit_on_error=False)

    app.push_screen(PathPrompt("Merge another analyst's database (path)", ""), chosen)


def _merge(app: App[Any], path: Path) -> None:
    from briefing_tui.core.merge import merge

    service = services(app)
    try:
        report = merge(service.store, path)
    except USER_ERRORS as error:
        app.call_from_thread(service.report_error, error)
        return
    text = " · ".join(report.lines())  # counts only: no data text

    def done() -> None:
        app.notify(text, title="Merge", markup=False,
                   severity="warning" if report.conflicts else "information")
        # Texts may have changed too (a newer revision): readers reload.
        service.store_changed.publish(StoreChange(None, reimported=report.reanchored_briefings
                                                  > 0, message="merged"))

    app.call_from_thread(done)


def show_conflicts(app: App[Any]) -> None:
    """The conflicts list (keep mine / theirs)."""
    from briefing_tui.ui.screens.conflicts import ConflictsScreen

    app.push_screen(ConflictsScreen())


def agreement_flow(app: App[Any]) -> None:
    """The agreement of the two analysts with the most highlights in this database: the
    figures in a notification, the Markdown report written to the export folder."""
    app.run_worker(lambda: _agreement(app), thread=True, group=WORKERS, exit_on_error=False)


def _agreement(app: App[Any]) -> None:
    from briefing_tui.core.agreement import agreement_within, analysts
    from briefing_tui.core.export import write_atomic

    service = services(app)
    try:
        with service.store.reading() as conn:
            names = analysts(conn)
            if len(names) < 2:
                app.call_from_thread(
                    app.notify, "Agreement needs the highlights of two analysts in this"
                    " database: merge another analyst's file first", severity="warning",
                    markup=False)
                return
            a, b = names[0][0], names[1][0]
            report = agreement_within(conn, a, b)
        folder = service.export_folder()
        folder.mkdir(parents=True, exist_ok=True)
        path = write_atomic(folder / "agreement.md", report.to_markdown(), force=True)
    except USER_ERRORS as error:
        app.call_from_thread(app.notify, one_line(error), severity="error", markup=False)
        return
    figures = "; ".join(
        f"{f.field}: {_num(f.kappa)} kappa, {_num(f.alpha)} alpha ({f.units} units)"
        for f in report.fields)
    message = (f"{safe_line(a)} and {safe_line(b)}: {figures}."
               f" {len(report.disagreements)} disagreements in {path}")
    app.call_from_thread(app.notify, message, title="Agreement", markup=False, timeout=15)


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"
