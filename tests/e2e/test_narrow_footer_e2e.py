"""End to end: in an 80-column terminal the reader's and the library's footers show
every key they list, "/ Find" and "? Help" included (the reader's four ways to select show
as one item, ``v s p " Select``; the library's delete and metadata keys are in help)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.tmux import Tmux, clean_env, console_script

pytestmark = pytest.mark.e2e

SAMPLES = Path(__file__).resolve().parents[2] / "sample_briefings"


def test_the_reader_footer_fits_80_columns(tmp_path: Path) -> None:
    sample = SAMPLES / "kremlin-signals-no-quick-truce.md"
    tmux = Tmux(width=80, height=24)
    try:
        tmux.start([console_script(), str(sample)], clean_env(tmp_path), cwd=tmp_path)
        tmux.wait_for("0 highlights")
        screen = tmux.wait_for(" Select ")  # the footer comes after the first frame
        footer = screen.rstrip("\n").splitlines()[-1]
        for item in ('v s p " Select', "⏎ Highlight", "t Speaker", "/ Find", "^q Quit",
                     "? Help"):
            assert item in footer, footer
        tmux.keys("?")
        tmux.wait_for("Keys")
        tmux.keys("Escape")
        tmux.keys("/")
        tmux.wait_for("find in the briefing")
        tmux.keys("Escape")
        tmux.keys("Escape")  # back to the library: its footer fits too
        screen = tmux.wait_for("⏎ Open")
        footer = screen.rstrip("\n").splitlines()[-1]
        for item in ("⏎ Open", "/ Filter", "i Import", "S Speakers", "^q Quit", "? Help"):
            assert item in footer, footer
        tmux.keys("C-q")
        tmux.wait_for("__EXIT__0")
    finally:
        tmux.kill()
