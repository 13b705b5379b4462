"""The console running in a real pseudo-terminal, for tests of what it writes.

Textual's headless driver writes nothing, so terminal modes and byte counts can only
be checked on the app's real output.
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
from pathlib import Path

import pyte

CHILD = """
import sys
from pathlib import Path
from csconsole.config import Config
from csconsole.services import Services
from csconsole.ui.app import make_app
config = Config()
make_app(Services(Path(sys.argv[1]), config), config).run()
"""
# What a terminal would tell the app about itself; removed so tests start clean.
TERMINAL_HINTS = ("VTE_VERSION", "MLTERM", "KONSOLE_VERSION", "TERM_PROGRAM", "TMUX")


class Terminal:
    """The console in a pseudo-terminal, with a transcript of what it wrote."""

    def __init__(
        self,
        store: Path,
        environ: dict[str, str] | None = None,
        *,
        rows: int = 40,
        columns: int = 120,
    ) -> None:
        self.rows, self.columns = rows, columns
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: a clean terminal description, then the console
            for name in TERMINAL_HINTS:
                os.environ.pop(name, None)
            os.environ.update(
                {"TERM": "xterm-256color", **(environ or {})}, COLUMNS=str(columns), LINES=str(rows)
            )
            os.execv(sys.executable, [sys.executable, "-c", CHILD, str(store)])
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
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
        """Bytes written in answer to one key."""
        os.write(self.fd, key)
        return len(self.read_until_quiet())

    def screen_text(self) -> str:
        """What a terminal shows after everything written so far."""
        screen = pyte.Screen(self.columns, self.rows)
        text = self.transcript.decode("utf-8", "replace")
        # pyte stops a run at a zero-width format character (the Persian ZWNJ); drop them.
        pyte.Stream(screen).feed("".join(c for c in text if unicodedata.category(c) != "Cf"))
        return "\n".join(screen.display)

    def close(self) -> bytes:
        """Quit with ctrl+q; what the console wrote on the way out."""
        try:
            os.write(self.fd, b"\x11")
            return self.read_until_quiet(1.0, 10.0)
        finally:
            os.close(self.fd)
            os.waitpid(self.pid, 0)
