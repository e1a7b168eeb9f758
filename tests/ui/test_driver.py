"""The terminal driver's input thread survives a byte that is not UTF-8.

Textual's own thread dies on it (and takes the app down: see briefing_tui/ui/driver.py);
the tmux test in tests/e2e/test_stray_byte.py shows the whole app surviving. Here the
driver's input loop reads a pipe instead of the terminal (``fileno`` is its public
attribute) and hands its events to a list.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from textual import events
from textual.message import Message

from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.driver import terminal_driver

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="Linux/macOS driver")


@pytest.fixture
def keep_signals() -> Iterator[None]:
    """The driver installs SIGTSTP/SIGCONT handlers; put the test runner's back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTSTP, signal.SIGCONT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


async def test_input_thread_goes_on_after_a_stray_byte(keep_signals: None) -> None:
    driver_class = terminal_driver()
    assert driver_class is not None
    received: list[Message] = []

    class Recording(driver_class):  # type: ignore[misc, valid-type]
        def process_message(self, message: Message) -> None:
            received.append(message)

    read_end, write_end = os.pipe()
    driver = Recording(object())  # type: ignore[arg-type]  # the app is never reached
    driver.fileno = read_end
    failures: list[BaseException] = []

    def run() -> None:
        try:
            driver.run_input_thread()
        except BaseException as error:  # noqa: BLE001 - what Textual would turn into a panic
            failures.append(error)

    def keys() -> str:
        return "".join(m.character or "" for m in received if isinstance(m, events.Key))

    async def wait_for(text: str) -> None:
        deadline = time.monotonic() + 10
        while keys() != text and not failures and time.monotonic() < deadline:
            await asyncio.sleep(0.01)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        os.write(write_end, b"note")
        await wait_for("note")
        os.write(write_end, b"\x9b")  # CSI in Latin-1: not UTF-8
        await asyncio.sleep(0.2)
        os.write(write_end, " kept é".encode())
        await wait_for("note kept é")
    finally:
        driver.exit_event.set()
        thread.join(timeout=10)
        os.close(write_end)
        os.close(read_end)
    assert failures == []
    assert keys() == "note kept é"
    assert not thread.is_alive()


def test_the_app_runs_on_that_driver(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from briefing_tui.core.store import Store

    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    with Store(tmp_path / "b.db") as store:
        app = BriefingApp(store, config_path=tmp_path / "none.toml")
        assert app.driver_class is terminal_driver()
        assert app.driver_class.__name__ == "TolerantInputDriver"
        monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.linux_driver:LinuxDriver")
        assert terminal_driver() is None  # a driver the user names wins
