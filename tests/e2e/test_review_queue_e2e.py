"""End to end (issue 12.3): in tmux, the review queue: ``a``, ``y``, ``y``, ``n`` makes two
highlights with speakers and one stored rejection; ``u`` undoes the last accept (checked in
the SQLite file). On a fixture briefing of our own (always runs) and on the corpus's seed
article (skips without the corpus)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.corpus import CORPUS, needs_corpus
from tests.e2e.tmux import Tmux, clean_env, console_script

pytestmark = pytest.mark.e2e

WIRE = (
    "Talks in the capital\n\n"
    "Kremlin spokesman Dmitry Peskov spoke to reporters on Monday. "
    '"Everything is progressing well," Peskov said.\n\n'
    "Foreign Minister Sergei Lavrov said that no deal was near.\n\n"
    "Peskov also said that the next round would come in spring.\n"
)


def _rows(db: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    with sqlite3.connect(db) as conn:
        made = conn.execute("SELECT h.exact, s.name FROM highlights h"
                            " JOIN speakers s ON s.id = h.speaker_id"
                            ' ORDER BY h."start"').fetchall()
        rejected = conn.execute("SELECT quote, speaker FROM proposal_rejections").fetchall()
    return made, rejected


def _a_y_y_n_u(tmux: Tmux, env: dict[str, str], path: Path, first_speaker: str
               ) -> tuple[list[tuple[str, str]], list[tuple[str, str]],
                          list[tuple[str, str]]]:
    """Run the flow; the rows after ``n`` and after ``u`` (and the rejections)."""
    tmux.start([console_script(), str(path)], env, cwd=path.parent)
    tmux.wait_for("0 highlights")
    tmux.keys("a")
    tmux.wait_for(first_speaker)
    tmux.wait_for("y Accept")
    tmux.keys("y")
    tmux.wait_for("1 highlight")
    tmux.keys("y")
    tmux.wait_for("2 highlights")
    tmux.keys("n")
    tmux.wait_for("rejected:")
    db = Path(env["BRIEFING_TUI_DB"])
    after_n, rejected = _rows(db)
    tmux.keys("u")
    tmux.wait_for("undone: accept suggestion")
    tmux.keys("C-q")
    tmux.wait_for("__EXIT__0")
    after_u, rejected_after_u = _rows(db)
    assert rejected_after_u == rejected  # u takes back the accept, not the rejection
    return after_n, rejected, after_u


def test_a_y_y_n_u_on_a_fixture_briefing(tmp_path: Path, tmux: Tmux) -> None:
    path = tmp_path / "wire.txt"
    path.write_text(WIRE, encoding="utf-8")
    after_n, rejected, after_u = _a_y_y_n_u(tmux, clean_env(tmp_path), path, "Dmitry Peskov")
    assert after_n == [('"Everything is progressing well," Peskov said', "Dmitry Peskov"),
                       ("Foreign Minister Sergei Lavrov said that no deal was near.",
                        "Sergei Lavrov")]
    assert rejected == [("Peskov also said that the next round would come in spring.",
                         "Dmitry Peskov")]
    assert after_u == after_n[:1]


@needs_corpus
def test_a_y_y_n_u_on_the_seed_article(tmp_path: Path, tmux: Tmux) -> None:
    after_n, rejected, after_u = _a_y_y_n_u(
        tmux, clean_env(tmp_path), CORPUS / "seed_isw_peskov_unn.txt",
        "Institute for the Study")
    assert len(after_n) == 2 and all(name for _, name in after_n)
    assert [name for _, name in after_n] == ["Institute for the Study of War", "Dmitry Peskov"]
    assert len(rejected) == 1
    assert after_u == after_n[:1]
