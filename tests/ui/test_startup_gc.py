"""The garbage collector is held while the first screen is built, then runs (see startup_gc)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.startup_gc import StartupGC


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_hold_release_end() -> None:
    gc.enable()
    startup = StartupGC()
    startup.hold()
    assert startup.held and not gc.isenabled()
    startup.release()
    assert not startup.held and gc.isenabled() and gc.get_freeze_count() > 0
    startup.end()
    assert gc.isenabled() and gc.get_freeze_count() == 0


@pytest.mark.parametrize("enabled", [True, False])
def test_the_end_leaves_the_collector_as_the_host_had_it(enabled: bool) -> None:
    # Also when no first screen was ever shown (release never came).
    (gc.enable if enabled else gc.disable)()
    startup = StartupGC()
    startup.hold()
    assert startup.held is enabled and not gc.isenabled()
    startup.end()
    assert gc.isenabled() is enabled and gc.get_freeze_count() == 0


async def test_the_app_holds_the_collector_until_its_first_screen_is_shown(
        make_app, briefing_id, monkeypatch: pytest.MonkeyPatch) -> None:
    gc.enable()
    seen_while_composing: list[bool] = []
    compose = ReaderScreen.compose

    def composing(screen: ReaderScreen):  # type: ignore[no-untyped-def]
        seen_while_composing.append(gc.isenabled())
        return compose(screen)

    monkeypatch.setattr(ReaderScreen, "compose", composing)
    app = make_app(briefing_id)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.pause()
        assert seen_while_composing == [False]
        assert gc.isenabled() and not app.startup_gc.held
        assert gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0  # the app's end unfroze it


def test_the_console_script_freezes_everything_as_the_process_ends(
        capsys: pytest.CaptureFixture[str]) -> None:
    from briefing_tui.cli import main

    gc.unfreeze()
    with pytest.raises(SystemExit) as ended:
        main(["--version"])
    assert ended.value.code == 0 and "briefing-tui" in capsys.readouterr().out
    # Python's final collection would walk all of these; frozen, it does not.
    assert gc.get_freeze_count() > 1000
