"""What the console costs on a slow link, measured on its real output through a pty.

An agent on SSH at 64 kbit/s waits a second for every 8 KB the console writes, so the
bytes per keypress are behaviour: a row move must stay a few hundred bytes and a
conversation must open in a fraction of a full-screen repaint.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pyte
import pytest

from tests.ui.store_builder import build_store

ROWS, COLUMNS = 40, 120
CHILD = """
import sys
from pathlib import Path
from csconsole.config import Config
from csconsole.services import Services
from csconsole.ui.app import make_app
config = Config()
make_app(Services(Path(sys.argv[1]), config), config).run()
"""


class Terminal:
    """The console running in a pseudo-terminal, with a count of what it wrote."""

    def __init__(self, store: Path) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the console
            os.environ.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS))
            os.execv(sys.executable, [sys.executable, "-c", CHILD, str(store)])
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.transcript = b""

    def read_until_quiet(self, quiet: float = 0.5, limit: float = 20.0) -> bytes:
        """Everything written until the console stays silent for ``quiet`` seconds."""
        chunk_list: list[bytes] = []
        deadline = time.monotonic() + limit
        last = time.monotonic()
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                chunk_list.append(chunk)
                last = time.monotonic()
            elif chunk_list and time.monotonic() - last > quiet:
                break
        written = b"".join(chunk_list)
        self.transcript += written
        return written

    def press(self, key: bytes) -> int:
        os.write(self.fd, key)
        return len(self.read_until_quiet())

    def screen_text(self) -> str:
        screen = pyte.Screen(COLUMNS, ROWS)
        text = self.transcript.decode("utf-8", "replace")
        pyte.Stream(screen).feed("".join(c for c in text if unicodedata.category(c) != "Cf"))
        return "\n".join(screen.display)

    def close(self) -> None:
        os.write(self.fd, b"\x11")  # ctrl+q
        self.read_until_quiet(0.3, 5.0)
        os.close(self.fd)
        os.waitpid(self.pid, 0)


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
    # The same inbox painted back; only the opened row lost its unread dot.
    assert terminal.screen_text().replace("●", " ") == inbox.replace("●", " ")
    assert terminal.screen_text().count("●") == inbox.count("●") - 1
