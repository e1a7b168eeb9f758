"""A merge and another writer on the same database wait for each other (busy timeout):
neither errs on a lock, nothing is lost (#15.4)."""

from __future__ import annotations

import threading
import time

from briefing_tui.core.merge import merge
from briefing_tui.core.store import Store
from tests.core.test_merge import team  # noqa: F401 - the fixture


def test_merge_waits_for_a_writer_and_a_writer_waits_for_the_merge(team) -> None:  # noqa: F811
    app = Store(team["alice"], analyst="alice")  # the app, open all along
    try:
        version = app.data_version()
        in_merge, results = threading.Event(), {}

        def hold(stage: str) -> None:
            if stage == "highlights":  # the merge holds the write lock: let the app try
                in_merge.set()
                time.sleep(0.3)

        def run_merge() -> None:
            with Store(team["alice"], analyst="lead") as lead:
                results["report"] = merge(lead, team["bob"], hook=hold)

        worker = threading.Thread(target=run_merge)
        worker.start()
        assert in_merge.wait(30)
        app.set_note(team["untouched"], "written while the merge ran")  # waits, no error
        worker.join(60)
        assert results["report"].added["highlights"] == 3
        assert app.data_version() != version  # what the app's poll sees
        ids = {h.id for h in app.highlights(team["bid"])}
        assert {team["overlap"], team["own"]} <= ids
        assert app.highlight(team["untouched"]).note == "written while the merge ran"

        # The other way round: the app holds the write lock while a merge starts.
        results.clear()
        with app.writing() as conn:
            conn.execute("UPDATE highlights SET note = 'held' WHERE id = ?",
                         (team["untouched"],))
            worker = threading.Thread(target=run_merge)
            worker.start()
            time.sleep(0.2)
        worker.join(60)
        assert "report" in results and not results["report"].changed  # it ran after the app's commit, no error
    finally:
        app.close()
