"""What the console costs on a slow link, measured on its real output through a pty.

An agent on SSH at 64 kbit/s waits a second for every 8 KB the console writes, so the
bytes per keypress are behaviour: a row move must stay a few hundred bytes and a
conversation must open in a fraction of a full-screen repaint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.pty_console import Terminal
from tests.ui.store_builder import build_store


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    store = tmp_path / "store.sqlite"
    build_store(store, extra=40)
    running = Terminal(store)
    running.read_until_quiet(1.5)
    yield running
    running.close()


@pytest.mark.timeout(60)
def test_row_moves_and_opening_are_cheap_and_show_the_right_screen(terminal: Terminal) -> None:
    inbox = terminal.screen_text()
    moves = [terminal.press(key) for key in [b"j"] * 3 + [b"k"] * 3]
    assert max(moves) <= 300, moves
    opened = terminal.press(b"\r")
    thread = terminal.screen_text()
    subject = thread.splitlines()[0].split("·")[0].strip()
    assert subject and subject in inbox  # the highlighted conversation opened
    assert "No orders (L links one by number)" in thread
    # A full 120x40 repaint of this screen is about 25 KB as Textual writes it.
    assert opened <= 12_000, opened
    back = terminal.press(b"\x1b")
    assert back <= 24_000, back

    # The same inbox painted back; only the opened row lost its unread dot. Counts and
    # badges follow the wall clock, so a deadline passing meanwhile may change digits.
    def layout(screen: str) -> str:
        return re.sub(r"\d", "#", screen.replace("●", " "))

    assert layout(terminal.screen_text()) == layout(inbox)
    assert terminal.screen_text().count("●") == inbox.count("●") - 1
