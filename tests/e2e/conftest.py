"""The tmux session every end-to-end test drives (120×40, killed afterwards)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.tmux import Tmux


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    """A fresh detached tmux session of 120×40 cells."""
    session = Tmux(width=120, height=40)
    yield session
    session.kill()
