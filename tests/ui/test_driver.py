"""The terminal driver's input survives bytes that are not UTF-8.

Textual's own input thread dies on one (and takes the app down: see
briefing_tui/ui/driver.py); the tmux test in tests/e2e/test_stray_byte.py shows the
whole app surviving. Here the driver's input loop reads a pipe instead of the terminal
(``fileno`` is its public attribute) and hands its events to a list.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from textual import events
from textual.message import Message

from briefing_tui.core.store import Store
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.driver import terminal_driver

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="TolerantInputDriver wraps the POSIX terminal driver; Windows uses Textual's Windows driver, which it does not replace")


@pytest.fixture
def keep_signals() -> Iterator[None]:
    """The driver installs SIGTSTP/SIGCONT handlers; put the test runner's back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTSTP, signal.SIGCONT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


class Input:
    """A driver's input loop running in a thread on a pipe: ``send`` bytes, read ``received``."""

    def __init__(self) -> None:
        driver_class = terminal_driver()
        assert driver_class is not None
        self.received: list[Message] = []
        received = self.received

        class Recording(driver_class):  # type: ignore[misc, valid-type]
            def process_message(self, message: Message) -> None:
                received.append(message)

        self.read_end, self.write_end = os.pipe()
        self.driver = Recording(object())  # type: ignore[arg-type]  # the app is never reached
        self.driver.fileno = self.read_end
        self.failures: list[BaseException] = []
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        try:
            self.driver.run_input_thread()
        except BaseException as error:  # noqa: BLE001 - what Textual would turn into a panic
            self.failures.append(error)

    def send(self, data: bytes) -> None:
        os.write(self.write_end, data)

    def keys(self) -> str:
        return "".join(m.character or "" for m in self.received if isinstance(m, events.Key))

    async def wait(self, done: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 10
        while not done() and not self.failures and time.monotonic() < deadline:
            await asyncio.sleep(0.01)

    def stop(self) -> None:
        self.driver.exit_event.set()
        self.thread.join(timeout=10)
        os.close(self.write_end)
        os.close(self.read_end)


@pytest.fixture
async def tty(keep_signals: None) -> AsyncIterator[Input]:
    """The driver reading a pipe (a running loop: drivers are made inside one)."""
    running = Input()
    running.thread.start()
    yield running
    running.stop()
    assert running.failures == []
    assert not running.thread.is_alive()
    assert running.driver.fileno == running.read_end  # the terminal's fd is back


async def test_typing_goes_on_after_a_stray_byte(tty: Input) -> None:
    tty.send(b"note")
    await tty.wait(lambda: tty.keys() == "note")
    tty.send(b"\x9b")  # CSI in Latin-1: not UTF-8
    tty.send(" kept é".encode())
    await tty.wait(lambda: tty.keys().endswith("é"))
    assert tty.failures == []
    assert tty.keys() == "note\N{REPLACEMENT CHARACTER} kept é"


async def test_a_paste_with_a_stray_byte_stays_one_paste(tty: Input) -> None:
    # Were the paste cut, its rest would arrive as key presses: x deletes, u undoes ...
    tty.send(b"\x1b[200~ab\xe9xu\x1b[201~")
    await tty.wait(lambda: any(isinstance(m, events.Paste) for m in tty.received))
    assert [m.text for m in tty.received if isinstance(m, events.Paste)] == [
        "ab\N{REPLACEMENT CHARACTER}xu"]
    assert tty.keys() == ""


async def test_a_character_split_across_reads_is_kept(tty: Input) -> None:
    encoded = "é".encode()
    tty.send(encoded[:1])
    await asyncio.sleep(0.2)
    tty.send(encoded[1:])
    await tty.wait(lambda: tty.keys() != "")
    assert tty.keys() == "é"


def test_the_app_runs_on_that_driver(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    with Store(tmp_path / "b.db") as store:
        app = BriefingApp(store, config_path=tmp_path / "none.toml")
        assert app.driver_class is terminal_driver()
        assert app.driver_class.__name__ == "TolerantInputDriver"
        monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.linux_driver:LinuxDriver")
        assert terminal_driver() is None  # a driver the user names wins
