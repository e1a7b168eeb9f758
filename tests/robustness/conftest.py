"""Shared fixtures of the robustness tests: our own briefing on disk and a database holding it.

Test modules that need another shape (a sub-folder, an empty database) define their own
fixture of the same name, which takes precedence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_tui.core.importer import import_paths
from briefing_tui.core.sources import SourceWatch
from briefing_tui.core.store import Store
from tests.notices import record_notifications  # noqa: F401 - autouse: tests read notifications
from tests.robustness.common import BRIEFING


@pytest.fixture
def briefing_file(tmp_path: Path) -> Path:
    """`pause.md`, our own sample briefing, in the test's folder."""
    path = tmp_path / "pause.md"
    path.write_text(BRIEFING, encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path, briefing_file: Path) -> Path:
    """A database holding the briefing, closed again: each test opens its own store (and no
    process races to import it)."""
    path = tmp_path / "briefings.db"
    with Store(path) as store:
        import_paths(store, [briefing_file])
        # Looked at once, as opening it does: its file's stat is known (source_stats), so
        # tests that compare the database before and after see only what they caused.
        for info in store.list_briefings():
            SourceWatch(store).changed_source(info)
    return path
